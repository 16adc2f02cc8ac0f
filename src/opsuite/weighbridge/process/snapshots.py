"""Photos of a confirmed weighing: both cameras shot in the background, each JPEG attached to the action."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from opsuite.weighbridge.photos.service import attach_photo
from opsuite.weighbridge.process.bridge import CAMERAS, Bridge
from opsuite.weighbridge.process.visits import AfterConfirm
from opsuite.weighbridge.runtime import WeighbridgeRuntime

log = logging.getLogger(__name__)

PhotoSink = Callable[[int, int, bytes], None]
"""(action id, camera 1|2, JPEG) -> stored; sync, run in a worker thread."""


def after_confirm(bridge: Bridge, sink: PhotoSink) -> AfterConfirm:
    """What a committed confirm calls: shoot each camera on the host loop and hand every JPEG to `sink`.

    A camera that fails is logged and skipped: photos never hold up or undo a weighing.
    """

    def shoot(action_id: int) -> None:
        async def both() -> None:
            for camera_id in CAMERAS:
                image = await bridge.snapshot_async(camera_id)
                if image is None:
                    continue
                try:
                    await asyncio.to_thread(sink, action_id, camera_id, image)
                except Exception:
                    log.exception("photo of camera %d for action %d not stored", camera_id, action_id)

        bridge.spawn(both)

    return shoot


def photo_sink(runtime: WeighbridgeRuntime) -> PhotoSink:
    """Store each JPEG as a photo of the action, in a transaction of its own (wb-app's `attach_photo`)."""

    def attach(action_id: int, camera_id: int, image: bytes) -> None:
        with runtime.database.session() as session:
            attach_photo(session, action_id, camera_id, image, store=runtime.photos, now=runtime.clock.now())

    return attach
