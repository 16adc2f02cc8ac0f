"""The weight indicator on a serial line: a device path or a pyserial URL (`socket://`, `loop://`)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator

import serial

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.weighbridge.devices.frames.base import FrameParser, Weighed
from opsuite.weighbridge.devices.interface import DeviceTimedOut, DeviceUnavailable, WeightReading

_READ_SIZE = 256


class StabilityWindow:
    """Stable when all readings of the last `duration_s` (a window spanning it) lie within `tolerance_kg`."""

    def __init__(self, *, tolerance_kg: float = 20.0, duration_s: float = 2.0, min_kg: float = 0.0) -> None:
        self._tolerance = tolerance_kg
        self._duration = duration_s
        self._min = min_kg
        self._samples: deque[tuple[float, float]] = deque()

    def update(self, kg: float, at: float) -> bool:
        """Add a reading taken at monotonic time `at`; tell whether the weight is now stable."""
        self._samples.append((at, kg))
        # Keep one sample at or before the window's start, so a full window can be told from a young one.
        while len(self._samples) > 1 and self._samples[1][0] <= at - self._duration:
            self._samples.popleft()
        weights = [weight for _, weight in self._samples]
        spans = self._samples[0][0] <= at - self._duration
        return spans and max(weights) - min(weights) <= self._tolerance and kg >= self._min

    def reset(self) -> None:
        """Forget every reading, for a fresh connection."""
        self._samples.clear()


class SerialIndicator:
    """Reads an indicator through pyserial: `/dev/ttyUSB0`, `socket://host:port`, `loop://`.

    pyserial blocks, so each read runs in a worker thread and returns after at most `read_timeout`
    seconds; `frame_timeout` seconds on `clock` without a valid frame raise DeviceTimedOut.
    """

    def __init__(
        self,
        url: str,
        parser: FrameParser,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        read_timeout: float = 0.2,
        frame_timeout: float = 2.0,
        window: StabilityWindow | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._url = url
        self._parser = parser
        self._options = {"baudrate": baudrate, "bytesize": bytesize, "parity": parity, "stopbits": stopbits}
        self._read_timeout = read_timeout
        self._frame_timeout = frame_timeout
        self._window = window or StabilityWindow()
        self._clock = clock
        self._latest: WeightReading | None = None

    def latest(self) -> WeightReading | None:
        """The most recent reading, or None before the first."""
        return self._latest

    async def readings(self) -> AsyncGenerator[WeightReading, None]:
        """Open the port and yield readings until it fails (DeviceError) or the consumer stops."""
        port = await self._open()
        self._parser.reset()
        self._window.reset()
        try:
            last_frame = self._clock.monotonic()
            while True:
                chunk = await asyncio.to_thread(_read, port)
                weighed = self._parser.feed(chunk)
                if weighed:
                    last_frame = self._clock.monotonic()
                elif self._clock.monotonic() - last_frame >= self._frame_timeout:
                    raise DeviceTimedOut(f"no valid frame from {self._url} for {self._frame_timeout} s")
                for item in weighed:
                    yield self._reading(item)
        finally:
            port.close()

    def _reading(self, item: Weighed) -> WeightReading:
        in_window = self._window.update(item.kg, self._clock.monotonic())
        stable = in_window if item.stable is None else item.stable
        self._latest = WeightReading(kg=item.kg, stable=stable, at=self._clock.now())
        return self._latest

    async def _open(self) -> serial.SerialBase:
        def open_port() -> serial.SerialBase:
            port: serial.SerialBase = serial.serial_for_url(
                self._url, do_not_open=True, timeout=self._read_timeout, **self._options
            )
            port.open()
            return port

        bound = self._read_timeout + self._frame_timeout
        opening = asyncio.ensure_future(asyncio.to_thread(open_port))
        try:
            async with asyncio.timeout(bound):  # unlike 3.11's wait_for, never drops a cancellation
                return await asyncio.shield(opening)
        except asyncio.CancelledError:
            opening.add_done_callback(_close_if_opened)
            raise
        except TimeoutError as exc:
            # The thread cannot be stopped; whenever it does open the port, close it again.
            opening.add_done_callback(_close_if_opened)
            raise DeviceTimedOut(f"opening {self._url} took over {bound} s") from exc
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceUnavailable(f"cannot open {self._url}: {exc}") from exc


def _read(port: serial.SerialBase) -> bytes:
    """Whatever arrived, waiting at most the port's timeout for the first byte."""
    try:
        data: bytes = port.read(min(max(port.in_waiting, 1), _READ_SIZE))
    except (serial.SerialException, OSError) as exc:
        raise DeviceUnavailable(f"indicator port failed: {exc}") from exc
    return data


def _close_if_opened(opening: asyncio.Future[serial.SerialBase]) -> None:
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()
