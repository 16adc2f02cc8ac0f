"""Schemathesis hooks for the campaign: keep generated writes off the principal the campaign is logged in as.

Loaded by the `st run` subprocess through `SCHEMATHESIS_HOOKS=tests.attack.schemathesis_guard`. Without
it the examples phase alone rewrites the waybills administrator (`PUT /api/users/1/` with a driver's
role and a new password) within seconds, and every later case only tests 401/403. A write aimed at a
protected record is redirected to a decoy record of the same kind, so the operation is still exercised.
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis

PROTECT_ENV = "OPSUITE_CAMPAIGN_PROTECT"
WRITES = frozenset({"PUT", "PATCH", "DELETE", "POST"})


def load_rules() -> list[dict[str, Any]]:
    """Rules from the environment: [{"path": template, "param": name, "protected": id, "decoy": id}]."""
    return list(json.loads(os.environ.get(PROTECT_ENV) or "[]"))


RULES = load_rules()


def redirect(method: str, path: str, path_parameters: dict[str, Any] | None) -> dict[str, Any] | None:
    """The path parameters with a protected id swapped for its decoy, or None when nothing is protected."""
    if method.upper() not in WRITES or not path_parameters:
        return None
    for rule in RULES:
        param = rule["param"]
        if rule["path"] == path and str(path_parameters.get(param)) == str(rule["protected"]):
            return {**path_parameters, param: rule["decoy"]}
    return None


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Send writes to the campaign's own user, role or permissions to a decoy record instead."""
    replaced = redirect(case.method, case.path, case.path_parameters)
    if replaced is not None:
        case.path_parameters = replaced
    return case
