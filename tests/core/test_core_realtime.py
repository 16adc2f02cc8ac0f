"""The live hub: bounded drop-oldest queues, one encoding per publish, threads, and Redis across processes."""

from __future__ import annotations

import asyncio
import sys
import threading
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import REDIS_ENV, service_url

from opsuite.core.realtime import (
    Frame,
    MemoryHub,
    RedisHub,
    Subscription,
    SubscriptionClosed,
    build_hub,
    encode,
)

# Far above what any scenario needs: a broken hub fails the test instead of hanging the suite.
LIMIT = 30.0

PUBLISHER = Path(__file__).with_name("live_publisher.py")


async def drain(subscription: Subscription) -> list[Frame]:
    """Everything a subscription still holds, read until it ends."""
    return [frame async for frame in subscription]


def test_a_frame_is_compact_json_encoded_once() -> None:
    payload = {
        "at": datetime(2025, 1, 20, 9, 0, tzinfo=UTC),
        "kg": Decimal("12.50"),
        "plate": "А123ВС",
        "ok": None,
    }
    assert encode(payload) == Frame('{"at":"2025-01-20T09:00:00Z","kg":"12.50","plate":"А123ВС","ok":null}')


def test_a_slow_subscriber_among_1000_loses_only_its_own_oldest_frames() -> None:
    count = 20  # above the default maxsize of 16

    async def scenario() -> None:
        hub = MemoryHub()
        fast = [hub.subscribe("weight") for _ in range(999)]
        slow = hub.subscribe("weight")  # never reads until the end
        received: list[list[Frame]] = [[] for _ in fast]

        async def read(subscription: Subscription, into: list[Frame]) -> None:
            async for frame in subscription:
                into.append(frame)

        readers = [asyncio.create_task(read(s, into)) for s, into in zip(fast, received, strict=True)]
        published = []
        for n in range(count):
            published.append(hub.publish("weight", {"n": n}))
            while any(len(into) <= n for into in received):  # the fast ones keep up
                await asyncio.sleep(0)
        await hub.stop()
        await asyncio.gather(*readers)

        assert [frame.text for frame in published] == [f'{{"n":{n}}}' for n in range(count)]
        for into in received:
            assert len(into) == count
            assert all(got is sent for got, sent in zip(into, published, strict=True))  # one object, shared
        assert {subscription.dropped for subscription in fast} == {0}
        assert await drain(slow) == published[-16:]
        assert slow.dropped == count - 16

    asyncio.run(asyncio.wait_for(scenario(), LIMIT))


def test_publish_from_another_thread_wakes_the_subscriber_on_its_loop() -> None:
    async def scenario() -> list[str]:
        hub = MemoryHub()
        with hub.subscribe("gate", maxsize=4) as gate:

            async def first_three() -> list[str]:
                return [(await gate.get()).text for _ in range(3)]

            reader = asyncio.create_task(first_three())
            await asyncio.sleep(0)  # the reader now waits on an empty queue

            def publish() -> None:
                for state in ("open", "closing", "closed"):
                    hub.publish("gate", {"state": state})

            threading.Thread(target=publish).start()
            return await reader

    assert asyncio.run(asyncio.wait_for(scenario(), LIMIT)) == [
        '{"state":"open"}',
        '{"state":"closing"}',
        '{"state":"closed"}',
    ]


def test_a_closed_subscription_leaves_its_topic() -> None:
    async def scenario() -> None:
        hub = MemoryHub()
        with hub.subscribe("weight", maxsize=2) as left:
            hub.publish("weight", 1)
        stays = hub.subscribe("weight", maxsize=2)
        hub.publish("weight", 2)
        hub.publish("elsewhere", 3)
        assert (await left.get()).text == "1"  # queued before it closed
        with pytest.raises(SubscriptionClosed):
            await left.get()
        stays.close()
        assert await drain(stays) == [Frame("2")]
        with pytest.raises(ValueError, match=r"^maxsize must be at least 1, not 0$"):
            hub.subscribe("weight", maxsize=0)

    asyncio.run(asyncio.wait_for(scenario(), LIMIT))


def test_build_hub_picks_redis_only_when_a_url_is_set() -> None:
    assert isinstance(build_hub(None, channel_prefix="p:"), MemoryHub)
    redis_hub = build_hub("redis://127.0.0.1:6379/15", channel_prefix="p:")
    assert isinstance(redis_hub, RedisHub)
    assert redis_hub.channel_prefix == "p:"


@pytest.mark.redis
def test_redis_hub_delivers_frames_published_by_another_process() -> None:
    url = service_url(REDIS_ENV)
    prefix = f"opsuite:test:{uuid.uuid4().hex[:12]}:"

    async def scenario() -> None:
        hub = RedisHub(url, channel_prefix=prefix)
        await hub.start()
        try:
            with hub.subscribe("weight", maxsize=8) as weight, hub.subscribe("done") as done:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, str(PUBLISHER), url, prefix, "weight", "5"
                )
                assert await process.wait() == 0
                assert (await done.get()).text == '"done"'
                assert [(await weight.get()).text for _ in range(5)] == [f'{{"n":{n}}}' for n in range(5)]
                # This process's own frames go round through Redis too, from any thread.
                await asyncio.to_thread(hub.publish, "weight", {"n": 5})
                assert (await weight.get()).text == '{"n":5}'
                assert weight.dropped == 0
        finally:
            await hub.stop()
        assert await drain(weight) == []  # stop closed it

    asyncio.run(asyncio.wait_for(scenario(), LIMIT))
