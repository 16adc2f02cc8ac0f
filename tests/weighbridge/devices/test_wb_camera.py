"""The HTTP snapshot driver against the camera simulator on 127.0.0.1: auth kinds, slow and failing cameras."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from opsuite.weighbridge.devices.camera import DAHUA_SNAPSHOT, AuthKind, HttpCamera, is_jpeg
from opsuite.weighbridge.devices.fake import FakeCamera
from opsuite.weighbridge.devices.interface import Camera, DeviceTimedOut, DeviceUnavailable
from opsuite.weighbridge.devices.simulators.camera import SAMPLE_JPEG, CameraMode, CameraSimulator

from .conftest import Run


async def with_camera(
    simulator: CameraSimulator, scenario: Callable[[CameraSimulator], Awaitable[None]]
) -> None:
    await simulator.start()
    try:
        await scenario(simulator)
    finally:
        await simulator.stop()


def test_driver_and_fake_satisfy_the_interface() -> None:
    assert isinstance(HttpCamera("http://127.0.0.1:1/"), Camera)
    assert isinstance(FakeCamera(), Camera)


def test_the_sample_is_a_jpeg() -> None:
    assert is_jpeg(SAMPLE_JPEG)
    assert SAMPLE_JPEG.endswith(b"\xff\xd9")
    assert len(SAMPLE_JPEG) == 632


@pytest.mark.parametrize("auth", ["digest", "basic"])
def test_snapshot_with_auth_returns_the_exact_bytes(run: Run, auth: AuthKind) -> None:
    async def scenario(simulator: CameraSimulator) -> None:
        camera = HttpCamera(simulator.url(), username="admin", password="admin12345", auth=auth)
        assert await camera.snapshot() == SAMPLE_JPEG
        assert (
            await HttpCamera(
                simulator.url(DAHUA_SNAPSHOT), username="admin", password="admin12345", auth=auth
            ).snapshot()
            == SAMPLE_JPEG
        )
        assert simulator.served == 2

    run(with_camera(CameraSimulator(auth=auth), scenario))


def test_snapshot_without_auth(run: Run) -> None:
    async def scenario(simulator: CameraSimulator) -> None:
        assert await HttpCamera(simulator.url()).snapshot() == b"\xff\xd8\xff\xe0custom"

    run(with_camera(CameraSimulator(auth=None, image=b"\xff\xd8\xff\xe0custom"), scenario))


@pytest.mark.parametrize(
    ("mode", "password", "reason"),
    [
        ("ok", "wrong", "camera answered HTTP 401"),
        ("error", "admin12345", "camera answered HTTP 500"),
        ("not_jpeg", "admin12345", "camera answered something that is not a JPEG"),
    ],
)
def test_failing_cameras_are_unavailable_with_a_short_reason(
    run: Run, mode: CameraMode, password: str, reason: str
) -> None:
    async def scenario(simulator: CameraSimulator) -> None:
        simulator.mode = mode
        with pytest.raises(DeviceUnavailable) as caught:
            await HttpCamera(simulator.url(), username="admin", password=password).snapshot()
        assert str(caught.value) == reason
        assert simulator.served == 0

    run(with_camera(CameraSimulator(), scenario))


def test_a_slow_camera_times_out(run: Run) -> None:
    async def scenario(simulator: CameraSimulator) -> None:
        simulator.mode = "slow"
        with pytest.raises(DeviceTimedOut) as caught:
            await HttpCamera(simulator.url(), username="admin", password="admin12345", timeout=0.3).snapshot()
        assert str(caught.value) == "camera did not answer within 0.3 s"

    run(with_camera(CameraSimulator(), scenario))


def test_an_oversized_snapshot_is_refused(run: Run) -> None:
    async def scenario(simulator: CameraSimulator) -> None:
        with pytest.raises(DeviceUnavailable, match="camera snapshot over 100 bytes"):
            await HttpCamera(simulator.url(), max_bytes=100).snapshot()

    run(with_camera(CameraSimulator(auth=None), scenario))


def test_an_unreachable_camera_is_unavailable(run: Run) -> None:
    async def scenario() -> None:
        simulator = CameraSimulator()
        await simulator.start()
        url = simulator.url()
        await simulator.stop()
        with pytest.raises(DeviceUnavailable) as caught:
            await HttpCamera(url).snapshot()
        assert str(caught.value) == "camera unreachable: ConnectError"

    run(scenario())
