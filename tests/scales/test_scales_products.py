"""Products: live fetch into the cache, PATCH whitelist and checks, dirty protection, upload."""

from __future__ import annotations

import copy
from typing import Any

from tests.scales.helpers import Api, Scales

from opsuite.scales.devices.sample_products import generate_product_file

DIRTY = (
    "В кэше есть незагруженные изменения. Загрузите их в весы (POST /devices/1/upload) "
    "или отмените их (DELETE /devices/1/products/changes), затем повторите чтение; "
    "?force=true читает весы, отбрасывая изменения"
)

FILE = generate_product_file(4, seed=7, without_plu=1)
FILE["extraTopLevel"] = {"kept": [1, 2, 3]}
FILE["products"][0]["vendorSpecific"] = {"x": "y"}


def _ready(alice: Api, scales: Scales) -> None:
    scales[1111].products = FILE
    alice.add_device()
    assert alice.get("/devices/1/products").status_code == 200


def test_cached_is_empty_products_before_any_fetch(alice: Api) -> None:
    alice.add_device()
    response = alice.get("/devices/1/products/cached")
    assert response.status_code == 200
    assert response.json() == {"products": {"products": []}}


def test_fetch_reads_the_scale_and_refreshes_the_cache(alice: Api, scales: Scales) -> None:
    scales[1111].products = FILE
    alice.add_device()
    response = alice.get("/devices/1/products")
    assert response.status_code == 200
    assert response.json() == {"products": FILE}
    assert alice.get("/devices/1/products/cached").json() == {"products": FILE}
    assert scales[1111].calls == ["fetch_products"]


def test_patch_changes_whitelisted_fields_and_keeps_everything_else(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    fields = {
        "name": "Колбаса\nдокторская",
        "price": 512.5,
        "shelfLife": 10,
        "manufactureDate": "",
        "sellByDate": "20-03-26",
    }
    response = alice.patch("/devices/1/products/1", json={"fields": fields})
    assert response.status_code == 200
    expected = copy.deepcopy(FILE)
    expected["products"][0].update(
        {
            "name": "Колбаса\nдокторская",
            "price": 512.5,
            "shelfLife": 10,
            "shelfLifeInDays": 10,
            "sellByDate": "20-03-26",
        }
    )
    assert response.json() == {"products": expected}
    assert alice.get("/devices/1/products/cached").json() == {"products": expected}
    assert alice.get("/devices/1").json()["cached_dirty"] is True


def test_patch_hours_shelf_life_keeps_days_consistent(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    response = alice.patch(
        "/devices/1/products/2", json={"fields": {"shelfLife": 50, "shelfLifeType": "HOURS"}}
    )
    product = response.json()["products"]["products"][1]
    assert (product["shelfLife"], product["shelfLifeType"], product["shelfLifeInDays"]) == (50, "HOURS", 2)


def test_patch_rejects_unknown_keys_and_bad_values_naming_the_field(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"bogus": {"a": 1}}, "bogus", "bogus: это поле менять нельзя"),
        ({"price": "abc"}, "price", "Цена: нужно число"),
        ({"price": -1}, "price", "Цена: от 0 до 1 000 000"),
        ({"price": 1.005}, "price", "Цена: не больше 2 знаков после запятой"),
        ({"name": ""}, "name", "Название: от 1 до 64 символов"),
        ({"name": "a\nb\nc"}, "name", "Название: не больше 2 строк"),
        ({"pluNumber": 0}, "pluNumber", "Номер PLU: от 1 до 999 999"),
        ({"pluNumber": 2.5}, "pluNumber", "Номер PLU: нужно целое число"),
        ({"pluNumber": True}, "pluNumber", "Номер PLU: нужно целое число"),
        ({"productType": "BOX"}, "productType", "Тип товара: одно из: WEIGHT, PIECE"),
        ({"sellByDate": "31-02-26"}, "sellByDate", "Годен до: дата в формате ДД-ММ-ГГ"),
        ({"sellByDate": "2026-03-01"}, "sellByDate", "Годен до: дата в формате ДД-ММ-ГГ"),
        ({"deleted": "yes"}, "deleted", "Удалён: нужно true или false"),
    ]
    for fields, field, message in cases:
        response = alice.patch("/devices/1/products/1", json={"fields": fields})
        assert response.status_code == 422, fields
        value = next(iter(fields.values()))
        assert response.json() == {
            "detail": [
                {"type": "value_error", "loc": ["body", "fields", field], "msg": message, "input": value}
            ],
            "message": message,
        }
    assert alice.get("/devices/1/products/cached").json() == {"products": FILE}
    assert alice.get("/devices/1").json()["cached_dirty"] is False


def test_patch_accepts_an_integral_float_for_integer_fields(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    response = alice.patch("/devices/1/products/1", json={"fields": {"pluNumber": 77.0}})
    assert response.json()["products"]["products"][0]["pluNumber"] == 77


def test_patch_to_a_duplicate_plu_is_409(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    response = alice.patch("/devices/1/products/1", json={"fields": {"pluNumber": 2}})
    assert response.status_code == 409
    assert response.json() == {"detail": "Товар с pluNumber=2 уже есть"}


def test_patch_unknown_plu_is_404(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    # The product without pluNumber cannot be reached by its code, as in the original.
    for plu in ("999", str(FILE["products"][3]["code"])):
        response = alice.patch(f"/devices/1/products/{plu}", json={"fields": {"price": 1}})
        assert response.status_code == 404
        assert response.json() == {"detail": "Товар не найден (plu)"}


def test_fetch_with_unsent_edits_is_409_unless_forced(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    alice.patch("/devices/1/products/1", json={"fields": {"price": 1.5}})
    refused = alice.get("/devices/1/products")
    assert refused.status_code == 409
    assert refused.json() == {"detail": DIRTY}
    assert alice.get("/devices/1/products/cached").json()["products"]["products"][0]["price"] == 1.5
    forced = alice.get("/devices/1/products", params={"force": "true"})
    assert forced.status_code == 200
    assert forced.json() == {"products": FILE}
    assert alice.get("/devices/1").json()["cached_dirty"] is False


def test_upload_pushes_the_cache_and_marks_it_clean(alice: Api, scales: Scales) -> None:
    _ready(alice, scales)
    alice.patch("/devices/1/products/1", json={"fields": {"price": 99.99}})
    response = alice.post("/devices/1/upload")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    [push] = scales[1111].pushes
    assert push.clear_database is False
    assert push.data["products"][0]["price"] == 99.99
    assert push.data["extraTopLevel"] == {"kept": [1, 2, 3]}
    assert push.data["products"][0]["vendorSpecific"] == {"x": "y"}
    assert alice.get("/devices/1").json()["cached_dirty"] is False


def test_upload_without_cache_is_409(alice: Api, scales: Scales) -> None:
    alice.add_device()
    response = alice.post("/devices/1/upload")
    assert response.status_code == 409
    assert response.json() == {"detail": "Нет кэша товаров для загрузки: сначала прочитайте товары с весов"}
    assert scales[1111].calls == []


def test_fetch_of_a_file_with_duplicate_plus_is_502_and_cache_untouched(alice: Api, scales: Scales) -> None:
    bad = generate_product_file(2)
    bad["products"][1]["pluNumber"] = 1
    scales[1111].products = bad
    alice.add_device()
    response = alice.get("/devices/1/products")
    assert response.status_code == 502
    assert response.json() == {
        "detail": "Весы 127.0.0.1:1111 прислали негодный файл товаров: pluNumber=1 повторяется"
    }
    assert alice.get("/devices/1/products/cached").json() == {"products": {"products": []}}


def test_operation_log_records_each_operation(alice: Api, scales: Scales, clock: Any) -> None:
    _ready(alice, scales)
    clock.advance(minutes=1)
    alice.patch("/devices/1/products/1", json={"fields": {"price": 2}})
    alice.get("/devices/1/products")
    alice.post("/devices/1/upload")
    entries = alice.get("/devices/1/log").json()
    assert [(e["operation"], e["status"], e["http_status"], e["detail"]) for e in entries] == [
        ("upload", "OK", 200, None),
        ("fetch", "ERROR", 409, DIRTY),
        ("patch", "OK", 200, None),
        ("fetch", "OK", 200, None),
    ]
    assert [e["at"] for e in entries] == ["2026-03-10T09:01:00Z"] * 3 + ["2026-03-10T09:00:00Z"]
