"""The schemathesis walk every system's contract test runs: each operation, generated cases, all failures at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as st_checks

DEVICE_FAILURES = frozenset({502, 503, 504})
"""What a route answers when the device behind it fails: documented, and not a server error."""


@schemathesis.check
def no_server_error_but_a_device_failure(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 5xx is a server error unless it is a device's documented failure (502/503/504)."""
    del ctx, case
    if response.status_code >= 500 and response.status_code not in DEVICE_FAILURES:
        raise AssertionError(f"server error {response.status_code}: {response.text[:300]}")
    return None


CHECKS = [
    st_checks.not_a_server_error,
    st_checks.response_schema_conformance,
    st_checks.status_code_conformance,
]
DEVICE_CHECKS = [no_server_error_but_a_device_failure, *CHECKS[1:]]
"""For a system whose routes talk to devices that tests make fail on purpose."""


def walk(
    api_schema: Any,
    *,
    max_examples: int,
    headers: Mapping[str, str] | None = None,
    checks: list[Any] = CHECKS,
    minimum_operations: int = 1,
) -> list[str]:
    """Every operation's failures (deletes last, so seeded rows live while the others run), one line each."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    assert len(operations) >= minimum_operations
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=dict(headers or {}), checks=checks)

        try:
            check()
        # Schemathesis raises a BaseExceptionGroup: collect every operation's failure, then fail once with all.
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:2000])
    return failures
