"""What the real React client showed: its auto-update body, the dirty-cache 409, discarding edits, pushed edits."""

from __future__ import annotations

from typing import Any

from tests.clock import FakeClock
from tests.scales.helpers import Api, Scales

from opsuite.scales.devices.sample_products import generate_product_file

# Exactly what the client's auto-update form sends on every change (src/api/devices.js).
CLIENT_BODY = {"enabled": True, "interval_minutes": 60}

DIRTY = (
    "В кэше есть незагруженные изменения. Загрузите их в весы (POST /devices/1/upload) "
    "или отмените их (DELETE /devices/1/products/changes), затем повторите чтение; "
    "?force=true читает весы, отбрасывая изменения"
)


def _edited(alice: Api, scales: Scales) -> dict[str, Any]:
    """A device whose cache was fetched, then edited: price 7.5 on PLU 1 not yet sent."""
    scales[1111].products = generate_product_file(2)
    alice.add_device()
    fetched: dict[str, Any] = alice.get("/devices/1/products").json()["products"]
    assert alice.patch("/devices/1/products/1", json={"fields": {"price": 7.5}}).status_code == 200
    return fetched


def test_the_clients_auto_update_body_keeps_a_daily_run_at(alice: Api) -> None:
    alice.add_device()
    daily = alice.put(
        "/devices/1/auto-update", json={"enabled": True, "interval_minutes": 60, "run_at": "00:05"}
    )
    assert daily.json()["next_run_utc"] == "2026-03-10T21:05:00Z"
    response = alice.put("/devices/1/auto-update", json=CLIENT_BODY)
    assert response.status_code == 200
    assert (response.json()["run_at"], response.json()["next_run_utc"]) == ("00:05", "2026-03-10T21:05:00Z")
    off = alice.put("/devices/1/auto-update", json={"enabled": False})
    assert (off.json()["enabled"], off.json()["interval_minutes"], off.json()["run_at"]) == (
        False,
        60,
        "00:05",
    )
    cleared = alice.put("/devices/1/auto-update", json={"run_at": None})
    assert (cleared.json()["run_at"], cleared.json()["enabled"]) == (None, False)


def test_an_explicit_null_enabled_or_interval_is_422(alice: Api) -> None:
    alice.add_device()
    for field in ("enabled", "interval_minutes"):
        response = alice.put("/devices/1/auto-update", json={**CLIENT_BODY, field: None})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", field]


def test_a_fetch_over_unsent_edits_says_in_russian_what_to_do(alice: Api, scales: Scales) -> None:
    _edited(alice, scales)
    response = alice.get("/devices/1/products")
    assert (response.status_code, response.json()) == (409, {"detail": DIRTY})
    assert scales[1111].calls == ["fetch_products"]


def test_discarding_edits_restores_what_the_scale_has_and_allows_a_fetch(alice: Api, scales: Scales) -> None:
    fetched = _edited(alice, scales)
    discarded = alice.delete("/devices/1/products/changes")
    assert (discarded.status_code, discarded.json()) == (200, {"products": fetched})
    assert alice.get("/devices/1/products/cached").json() == {"products": fetched}
    assert alice.get("/devices/1").json()["cached_dirty"] is False
    assert alice.get("/devices/1/products").status_code == 200
    assert alice.get("/devices/1/log").json()[1]["operation"] == "discard"


def test_discard_after_an_upload_goes_back_to_what_was_uploaded(alice: Api, scales: Scales) -> None:
    _edited(alice, scales)
    assert alice.post("/devices/1/upload").status_code == 200
    uploaded = alice.get("/devices/1/products/cached").json()
    alice.patch("/devices/1/products/1", json={"fields": {"price": 9.25}})
    assert alice.delete("/devices/1/products/changes").json() == uploaded
    assert uploaded["products"]["products"][0]["price"] == 7.5
    # Nothing unsent: discarding changes nothing.
    assert alice.delete("/devices/1/products/changes").json() == uploaded


def test_discard_before_any_fetch_and_for_another_user(alice: Api, bob: Api) -> None:
    alice.add_device()
    assert alice.delete("/devices/1/products/changes").json() == {"products": {"products": []}}
    assert bob.delete("/devices/1/products/changes").status_code == 404


def test_an_auto_update_that_pushes_unsent_edits_says_so(
    alice: Api, scales: Scales, app: Any, clock: FakeClock
) -> None:
    _edited(alice, scales)
    alice.put("/devices/1/auto-update", json={"enabled": True, "interval_minutes": 5})
    clock.advance(minutes=5)
    app.state.scheduler.run_pending()
    assert app.state.runner.join(10)
    assert app.state.runner.join(10)
    body = alice.get("/devices/1/auto-update").json()
    assert (body["last_status"], body["last_error"]) == ("OK_PUSHED_EDITS", None)
    entry = alice.get("/devices/1/log").json()[0]
    assert (entry["operation"], entry["status"], entry["detail"]) == (
        "auto-update",
        "OK_PUSHED_EDITS",
        "В кэше были незагруженные изменения: даты обновлены в локальном кэше, и он загружен в весы "
        "вместе с этими изменениями (товары с весов не читались)",
    )
    assert scales[1111].pushes[0].data["products"][0]["price"] == 7.5
