"""The ids of the demo rows, fixed so that the OpenAPI examples can name rows that exist after `make run`."""

from __future__ import annotations

import uuid

WORK_CENTERS = {
    "WC-001": uuid.UUID("11111111-1111-4111-8111-000000000001"),
    "WC-002": uuid.UUID("11111111-1111-4111-8111-000000000002"),
    "WC-003": uuid.UUID("11111111-1111-4111-8111-000000000003"),
}
WEBHOOK = uuid.UUID("44444444-4444-4444-8444-000000000001")
RECEIVER = "http://127.0.0.1:8003/api/webhooks/test"
"""This system's own test receiver on the port `opsuite serve` gives it: the webhook examples point here."""


def batch_id(number: int) -> uuid.UUID:
    """The id of demo batch `number` (1001...)."""
    return uuid.UUID(f"22222222-2222-4222-8222-{number:012d}")


def product_id(number: int, index: int) -> uuid.UUID:
    """The id of product `DEMO-<number>-<index>` of a demo batch."""
    return uuid.UUID(f"33333333-3333-4333-8333-{number:08d}{index:04d}")
