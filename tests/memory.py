"""The process's resident memory, read from /proc/self/status: for tests that bound what a request may cost."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

MiB = 1024 * 1024


def rss_bytes() -> int:
    """The current resident set size of this process."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class Growth:
    """The largest RSS growth seen over the baseline while a block ran."""

    def __init__(self) -> None:
        self.baseline = rss_bytes()
        self.peak = self.baseline

    @property
    def bytes(self) -> int:
        """Peak RSS minus the RSS when the block began."""
        return self.peak - self.baseline


@contextmanager
def rss_growth(interval: float = 0.005) -> Iterator[Growth]:
    """Sample RSS every `interval` seconds while the block runs; yields the growth record."""
    growth = Growth()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            growth.peak = max(growth.peak, rss_bytes())
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield growth
    finally:
        done.set()
        sampler.join(timeout=5)
        growth.peak = max(growth.peak, rss_bytes())
