"""A weight indicator streaming frames of a chosen format over TCP, as a serial-to-Ethernet gateway would."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Literal

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.weighbridge.devices.frames.formats import FrameFormat, encoder_for
from opsuite.weighbridge.devices.simulators.listening import bound_port

IndicatorFault = Literal["none", "silent", "noise"]
_NOISE = b"\x00\xff\x7f~?"


class IndicatorSimulator:
    """Sends the weight to every client each `interval` seconds; faults: silent, or noise between frames."""

    def __init__(
        self,
        frame_format: FrameFormat = "yaohua",
        *,
        decimals: int = 0,
        interval: float = 0.1,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._encode = encoder_for(frame_format, decimals=decimals)
        self._interval = interval
        self._clock = clock
        self.kg = 0.0
        self.stable = True
        self.fault: IndicatorFault = "none"
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[object]] = set()

    @property
    def port(self) -> int:
        """The TCP port it listens on (after start)."""
        return bound_port(self._server, "indicator")

    @property
    def url(self) -> str:
        """The pyserial URL a reader opens."""
        return f"socket://127.0.0.1:{self.port}"

    @property
    def clients(self) -> int:
        """How many readers are connected now."""
        return len(self._clients)

    def set(self, kg: float, *, stable: bool = True) -> None:
        """Show `kg` from the next frame on (`stable` only reaches formats that carry the flag)."""
        self.kg = kg
        self.stable = stable

    def inject(self, data: bytes) -> None:
        """Send raw bytes to every client now, between frames: garbage, a split frame, a bad checksum."""
        for writer in self._clients:
            writer.write(data)

    async def drop_clients(self) -> None:
        """Close every open connection, as a gateway that resets."""
        for writer in list(self._clients):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen; returns the port."""
        self._server = await asyncio.start_server(self._serve, host, port)
        return self.port

    async def stop(self) -> None:
        """Stop listening and drop every client."""
        if self._server is not None:
            self._server.close()
            await self.drop_clients()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._clients.add(writer)
        try:
            while True:
                if self.fault != "silent":
                    frame = self._encode(self.kg, self.stable)
                    writer.write(
                        _NOISE + frame[: len(frame) // 2] + frame if self.fault == "noise" else frame
                    )
                    await writer.drain()
                await self._clock.sleep(self._interval)
        except (ConnectionError, asyncio.CancelledError):
            # A drop ends the handler quietly: Python 3.11's stream server logs cancelled handlers as errors.
            pass
        finally:
            self._clients.discard(writer)
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
