"""`opsuite simulate weighbridge`: sites on consecutive ports, announced as the settings name them."""

from __future__ import annotations

import asyncio

import httpx

from opsuite.core.system import SimulateOptions
from opsuite.weighbridge.devices.simulators.camera import SAMPLE_JPEG
from opsuite.weighbridge.simulation.standalone import simulate, site_ports
from tests.weighbridge.process.rig import run_async


def test_site_ports_follow_the_base_port() -> None:
    assert site_ports(19000, 1) == {
        "indicator": 19004,
        "modbus": 19005,
        "camera_in": 19006,
        "camera_out": 19007,
    }
    assert site_ports(0, 3) == {"indicator": 0, "modbus": 0, "camera_in": 0, "camera_out": 0}


def test_simulate_announces_sites_that_answer() -> None:
    async def scenario() -> list[str]:
        lines: list[str] = []
        running = asyncio.create_task(simulate(SimulateOptions(2, 0, "127.0.0.1", lines.append)))
        while len(lines) < 2:
            await asyncio.sleep(0.01)
        camera = lines[1].rsplit("camera_out_ip=", 1)[1]
        async with httpx.AsyncClient(auth=httpx.DigestAuth("admin", "admin12345")) as client:
            shot = await client.get(f"http://{camera}/ISAPI/Streaming/channels/101/picture")
        assert shot.content == SAMPLE_JPEG
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        return lines

    lines = run_async(asyncio.wait_for(scenario(), 20))
    assert [line.split(" scale_port=socket://127.0.0.1:")[0] for line in lines] == ["weighbridge site:"] * 2
