"""Work centers: CRUD, the identifier filter, uniqueness, and the guard on delete."""

from __future__ import annotations

import uuid

from tests.production.helpers import Api


def test_create_get_patch_delete(api: Api) -> None:
    created = api.work_center()
    assert created == {
        "uuid": created["uuid"],
        "created_at": "2025-01-15T10:30:00Z",
        "updated_at": None,
        "identifier": "WC-001",
        "name": "Цех №1",
    }
    assert api.call("GET", f"/api/work_centers/{created['uuid']}", 200) == created
    api.client.app.state.runtime.clock.advance(minutes=30)  # type: ignore[attr-defined]
    patched = api.call(
        "PATCH",
        f"/api/work_centers/{created['uuid']}",
        200,
        json={"identifier": "WC-002", "name": "Обновленное имя"},
    )
    assert patched == {
        **created,
        "identifier": "WC-002",
        "name": "Обновленное имя",
        "updated_at": "2025-01-15T11:00:00Z",
    }
    assert api.call("DELETE", f"/api/work_centers/{created['uuid']}", 204) is None
    missing = api.call("GET", f"/api/work_centers/{created['uuid']}", 404)
    assert missing == {"detail": f"Рабочий центр с UUID {created['uuid']} не найден"}


def test_identifier_is_unique_on_create_and_rename(api: Api) -> None:
    first = api.work_center()
    second = api.work_center(identifier="WC-002")
    assert api.call("POST", "/api/work_centers", 409, json={"identifier": "WC-001", "name": "X"}) == {
        "detail": "Рабочий центр с идентификатором WC-001 уже существует"
    }
    assert api.call("PATCH", f"/api/work_centers/{second['uuid']}", 409, json={"identifier": "WC-001"}) == {
        "detail": "Рабочий центр с идентификатором WC-001 уже существует"
    }
    # Renaming to its own identifier is not a conflict.
    api.call("PATCH", f"/api/work_centers/{first['uuid']}", 200, json={"identifier": "WC-001"})


def test_list_filters_by_identifier_and_pages(api: Api) -> None:
    clock = api.client.app.state.runtime.clock  # type: ignore[attr-defined]
    made = []
    for index in range(3):
        made.append(api.work_center(identifier=f"WC-{index}", name=f"Цех {index}"))
        clock.advance(seconds=1)
    page = api.call("GET", "/api/work_centers?limit=2", 200)
    assert [item["identifier"] for item in page["items"]] == ["WC-2", "WC-1"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    page = api.call("GET", "/api/work_centers?limit=2&offset=2", 200)
    assert [item["identifier"] for item in page["items"]] == ["WC-0"]
    only = api.call("GET", "/api/work_centers?identifier=WC-1", 200)
    assert only == {"items": [made[1]], "total": 1, "limit": 25, "offset": 0}
    by_name = api.call("GET", "/api/work_centers?sort_field=name&sort_direction=asc", 200)
    assert [item["name"] for item in by_name["items"]] == ["Цех 0", "Цех 1", "Цех 2"]


def test_blank_fields_and_bad_sort_are_422(api: Api) -> None:
    body = api.call("POST", "/api/work_centers", 422, json={"identifier": "  ", "name": "Цех"})
    assert body["detail"] == "Ошибка валидации запроса"
    assert body["errors"][0]["loc"] == ["body", "identifier"]
    assert "Идентификатор рабочего центра не может быть пустым" in body["errors"][0]["msg"]
    assert api.call("GET", "/api/work_centers?sort_field=secret", 422) == {
        "detail": "Недопустимое поле сортировки для work_centers: secret. "
        "Допустимые значения: created_at, updated_at, identifier, name"
    }


def test_delete_in_use_is_409_and_unknown_is_404(api: Api) -> None:
    center = api.work_center()
    api.batch(center["uuid"])
    assert api.call("DELETE", f"/api/work_centers/{center['uuid']}", 409) == {
        "detail": "Рабочий центр используется в партиях"
    }
    unknown = uuid.uuid4()
    assert api.call("DELETE", f"/api/work_centers/{unknown}", 404) == {
        "detail": f"Рабочий центр с UUID {unknown} не найден"
    }
    assert api.call("GET", "/api/work_centers/not-a-uuid", 422)["detail"] == "Ошибка валидации запроса"
