"""Publishes through a RedisHub from a process of its own: the far side of the live hub's two-process test.

Usage: python tests/core/live_publisher.py REDIS_URL CHANNEL_PREFIX TOPIC COUNT
"""

from __future__ import annotations

import asyncio
import sys

from opsuite.core.realtime import RedisHub


async def main(url: str, prefix: str, topic: str, count: int) -> None:
    """Publish `count` frames to `topic`, then "done" to `done`, and stop (which sends what is queued)."""
    hub = RedisHub(url, channel_prefix=prefix)
    await hub.start()
    for n in range(count):
        hub.publish(topic, {"n": n})
    hub.publish("done", "done")
    await hub.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
