"""Batches: create, read, filter, sort, PATCH (also reopen and close), delete, and their error bodies."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.production.helpers import BATCH, Api


def _clock(api: Api) -> Any:
    return api.client.app.state.runtime.clock  # type: ignore[attr-defined]


def test_create_refusals(api: Api) -> None:
    center = api.work_center()
    unknown = uuid.uuid4()
    assert api.call("POST", "/api/batches", 404, json={**BATCH, "work_center_id": str(unknown)}) == {
        "detail": f"Рабочий центр с UUID {unknown} не найден"
    }
    api.batch(center["uuid"])
    assert api.call("POST", "/api/batches", 409, json={**BATCH, "work_center_id": center["uuid"]}) == {
        "detail": "Партия с номером 1001 и датой 2025-01-20 уже существует"
    }
    # Same number on another date is another batch.
    api.batch(center["uuid"], batch_date="2025-01-21")


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (
            {"shift_end": "2025-01-20T08:00:00Z"},
            ["body"],
            "Время окончания смены должно быть позже времени начала",
        ),
        ({"batch_number": 0}, ["body", "batch_number"], "Номер партии должен быть положительным числом"),
        ({"team": " "}, ["body", "team"], "Бригада не может быть пустой"),
        ({"shift": ""}, ["body", "shift"], "Смена не может быть пустой"),
        ({"nomenclature": "\t"}, ["body", "nomenclature"], "Номенклатура не может быть пустой"),
        ({"ekn_code": " "}, ["body", "ekn_code"], "Код ЕКН не может быть пустым"),
        ({"task_description": " "}, ["body", "task_description"], "Описание задачи не может быть пустым"),
    ],
)
def test_create_value_errors_are_422_with_the_rule(
    api: Api, change: dict[str, Any], loc: list[str], message: str
) -> None:
    center = api.work_center()
    body = api.call("POST", "/api/batches", 422, json={**BATCH, "work_center_id": center["uuid"], **change})
    assert body["detail"] == "Ошибка валидации запроса"
    assert [(error["loc"], message in error["msg"]) for error in body["errors"]] == [(loc, True)]


def test_naive_times_are_utc_and_offsets_are_converted(api: Api) -> None:
    created = api.batch(shift_start="2025-01-20T08:00:00", shift_end="2025-01-20T23:00:00+03:00")
    assert created["shift_time_range"] == {"start": "2025-01-20T08:00:00Z", "end": "2025-01-20T20:00:00Z"}


def _three(api: Api) -> list[dict[str, Any]]:
    first_center = api.work_center()
    other_center = api.work_center(identifier="WC-OTHER")
    made = []
    for number, day, center, shift in (
        (1, "2025-01-10", first_center, "1"),
        (2, "2025-01-20", first_center, "2"),
        (3, "2025-01-31", other_center, "1"),
    ):
        made.append(api.batch(center["uuid"], batch_number=number, batch_date=day, shift=shift))
        _clock(api).advance(seconds=1)
    api.call("PATCH", f"/api/batches/{made[0]['uuid']}/close", 200)
    return made


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("", [3, 2, 1]),
        ("is_closed=true", [1]),
        ("is_closed=false", [3, 2]),
        ("batch_number=2", [2]),
        ("batch_date=2025-01-31", [3]),
        ("batch_date_from=2025-01-20", [3, 2]),
        ("batch_date_to=2025-01-20", [2, 1]),
        ("batch_date_from=2025-01-11&batch_date_to=2025-01-30", [2]),
        ("shift=1", [3, 1]),
        ("sort_field=batch_number&sort_direction=ASC", [1, 2, 3]),
        ("sort_field=batch_number&sort_direction=asc", [1, 2, 3]),
        ("sort_field=batch_date&sort_direction=Desc", [3, 2, 1]),
        ("limit=1&offset=1", [2]),
    ],
)
def test_list_filters_and_sorting(api: Api, query: str, numbers: list[int]) -> None:
    _three(api)
    page = api.call("GET", f"/api/batches?{query}", 200)
    assert [item["batch_number"] for item in page["items"]] == numbers


def test_sort_by_is_closed_puts_closed_first_when_descending(api: Api) -> None:
    _three(api)
    page = api.call("GET", "/api/batches?sort_field=is_closed&sort_direction=DESC", 200)
    assert [item["is_closed"] for item in page["items"]] == [True, False, False]
    assert page["items"][0]["batch_number"] == 1


def test_list_by_work_center_and_page_envelope(api: Api) -> None:
    made = _three(api)
    page = api.call("GET", f"/api/batches?work_center_id={made[2]['work_center_id']}&limit=10", 200)
    assert (page["total"], page["limit"], page["offset"]) == (1, 10, 0)
    assert page["items"][0]["uuid"] == made[2]["uuid"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "offset=-1",
        "sort_direction=up",
        "batch_number=0",
        "batch_date=2025-13-01",
        "work_center_id=nope",
        "is_closed=maybe",
    ],
)
def test_list_bad_parameters_are_422(api: Api, query: str) -> None:
    assert api.call("GET", f"/api/batches?{query}", 422)["detail"] == "Ошибка валидации запроса"


def test_unknown_sort_field_names_the_allowed_ones(api: Api) -> None:
    assert api.call("GET", "/api/batches?sort_field=nomenclature", 422) == {
        "detail": "Недопустимое поле сортировки для batches: nomenclature. Допустимые значения: "
        "created_at, updated_at, batch_number, batch_date, shift, team, is_closed"
    }


def test_get_missing_is_404(api: Api) -> None:
    missing = uuid.uuid4()
    assert api.call("GET", f"/api/batches/{missing}", 404) == {
        "detail": f"Партия с UUID {missing} не найдена"
    }


def test_patch_changes_fields_and_keeps_its_own_number(api: Api) -> None:
    batch = api.batch()
    _clock(api).advance(minutes=30)
    patched = api.call(
        "PATCH",
        f"/api/batches/{batch['uuid']}",
        200,
        json={"team": "Бригада Б", "batch_number": 1001, "shift_start": "2025-01-20T09:00:00Z"},
    )
    assert patched == {
        **batch,
        "team": "Бригада Б",
        "updated_at": "2025-01-15T11:00:00Z",
        "shift_time_range": {"start": "2025-01-20T09:00:00Z", "end": "2025-01-20T20:00:00Z"},
    }


def test_patch_refusals(api: Api) -> None:
    center = api.work_center()
    first = api.batch(center["uuid"])
    api.batch(center["uuid"], batch_number=1002)
    assert api.call("PATCH", f"/api/batches/{first['uuid']}", 409, json={"batch_number": 1002}) == {
        "detail": "Партия с номером 1002 и датой 2025-01-20 уже существует"
    }
    # The merged shift must stay ordered.
    assert api.call(
        "PATCH", f"/api/batches/{first['uuid']}", 422, json={"shift_start": "2025-01-20T21:00:00Z"}
    ) == {"detail": "Время окончания смены должно быть позже времени начала"}
    unknown = uuid.uuid4()
    assert api.call("PATCH", f"/api/batches/{first['uuid']}", 404, json={"work_center_id": str(unknown)}) == {
        "detail": f"Рабочий центр с UUID {unknown} не найден"
    }
    api.call("PATCH", f"/api/batches/{first['uuid']}/close", 200)
    assert api.call(
        "PATCH", f"/api/batches/{first['uuid']}", 409, json={"shift_end": "2025-01-20T21:00:00Z"}
    ) == {"detail": "Нельзя изменять время смены для закрытой партии"}
    # Descriptive fields of a closed batch may change.
    assert api.call("PATCH", f"/api/batches/{first['uuid']}", 200, json={"team": "Б"})["team"] == "Б"


def test_patch_is_closed_closes_and_reopens(api: Api) -> None:
    batch = api.batch()
    _clock(api).advance(hours=1)
    closed = api.call("PATCH", f"/api/batches/{batch['uuid']}", 200, json={"is_closed": True})
    assert (closed["is_closed"], closed["closed_at"], closed["updated_at"]) == (
        True,
        "2025-01-15T11:30:00Z",
        "2025-01-15T11:30:00Z",
    )
    again = api.call("PATCH", f"/api/batches/{batch['uuid']}", 200, json={"is_closed": True})
    assert again == closed
    _clock(api).advance(hours=1)
    reopened = api.call("PATCH", f"/api/batches/{batch['uuid']}", 200, json={"is_closed": False})
    assert (reopened["is_closed"], reopened["closed_at"], reopened["updated_at"]) == (
        False,
        None,
        "2025-01-15T12:30:00Z",
    )


def test_close_defaults_to_now_and_refuses_twice(api: Api) -> None:
    batch = api.batch()
    closed = api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
    assert (closed["is_closed"], closed["closed_at"]) == (True, "2025-01-15T10:30:00Z")
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 409, json={}) == {
        "detail": "Партия уже закрыта"
    }


def test_strict_close_setting_demands_aggregated_products(api: Api) -> None:
    api.client.app.state.settings.strict_close = True  # type: ignore[attr-defined]
    batch = api.batch()
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 409) == {
        "detail": "Невозможно закрыть партию"
    }
    api.add_product(batch["uuid"], "A-1")
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 409) == {
        "detail": "Невозможно закрыть партию"
    }
    api.call("PATCH", f"/api/batches/{batch['uuid']}/aggregate", 202)
    assert api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)["is_closed"] is True


def test_delete_only_closed_and_products_go_with_it(api: Api) -> None:
    batch = api.batch()
    product = api.add_product(batch["uuid"], "PROD-001")["products"][0]
    assert api.call("DELETE", f"/api/batches/{batch['uuid']}", 409) == {
        "detail": "Можно удалить только закрытую партию"
    }
    api.call("PATCH", f"/api/batches/{batch['uuid']}/close", 200)
    assert api.call("DELETE", f"/api/batches/{batch['uuid']}", 204) is None
    assert api.call("GET", f"/api/products/{product['uuid']}", 404) == {
        "detail": f"Продукт с UUID {product['uuid']} не найден"
    }
    assert api.call("GET", "/api/products", 200)["total"] == 0
    # The code is free again.
    api.add_product(api.batch(batch_number=7)["uuid"], "PROD-001")


def test_v1_prefix_serves_the_same_routes(api: Api) -> None:
    batch = api.batch()
    assert api.call("GET", f"/api/v1/batches/{batch['uuid']}", 200) == batch
