"""The Modbus simulator listens under uvloop too: `opsuite serve` runs uvicorn on it, whose server is no asyncio.Server."""

from __future__ import annotations

import asyncio

import uvloop

from opsuite.weighbridge.devices.simulators.modbus import ModbusSimulator


def test_the_modbus_simulator_starts_on_uvloop() -> None:
    async def run() -> tuple[bool, int]:
        simulator = ModbusSimulator()
        port = await simulator.start("127.0.0.1", 0)
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            await writer.wait_closed()
            return isinstance(asyncio.get_running_loop(), uvloop.Loop), port
        finally:
            await simulator.stop()

    on_uvloop, port = uvloop.run(run())
    assert on_uvloop is True
    assert 0 < port < 65536
