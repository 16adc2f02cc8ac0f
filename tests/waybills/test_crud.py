"""ModelViewSet semantics, DRF error shapes and texts, live-only uniqueness, filters and extra actions."""

from __future__ import annotations

import pytest

from tests.waybills.helpers import Api

REQUIRED = "Поле обязательно для заполнения."
NOT_NULL = "Это поле не может быть пустым."
UNIQUE = "Запись с таким значением уже существует."


def test_create_list_retrieve_put_patch_delete_of_a_car(api: Api) -> None:
    car = api.ok(
        "POST", "passenger-cars/", {"number": "A001AA54", "brand": "Toyota", "model": "Camry"}, status=201
    )
    assert api.ok("GET", "passenger-cars/") == [car]
    assert api.ok("GET", f"passenger-cars/{car['id']}/") == car
    put = api.ok(
        "PUT", f"passenger-cars/{car['id']}/", {"number": "A001AA54", "brand": "Lada", "model": "Vesta"}
    )
    assert (put["brand"], put["model"]) == ("Lada", "Vesta")
    patched = api.ok(
        "PATCH", f"passenger-cars/{car['id']}/", {"model": "Granta", "deleted_at": "2024-01-01T00:00:00Z"}
    )
    assert (patched["brand"], patched["model"], patched["deleted_at"]) == ("Lada", "Granta", None)
    missing = api.put(f"passenger-cars/{car['id']}/", json={"number": "A001AA54"})
    assert (missing.status_code, missing.json()) == (400, {"brand": [REQUIRED], "model": [REQUIRED]})
    response = api.delete(f"passenger-cars/{car['id']}/")
    assert (response.status_code, response.content) == (204, b"")
    assert api.get(f"passenger-cars/{car['id']}/").json() == {"detail": "Не найдено."}
    assert api.get(f"passenger-cars/{car['id']}/").status_code == 404
    assert api.ok("GET", "passenger-cars/") == []


def test_field_errors_have_drf_shape_and_the_original_texts(api: Api) -> None:
    response = api.post("passenger-cars/", json={"number": "A" * 10, "brand": "", "model": None})
    assert response.status_code == 400
    assert response.json() == {
        "number": ["Длина поля ограничена 9 символами."],
        "brand": [NOT_NULL],
        "model": [NOT_NULL],
    }
    car = api.car("passenger")
    bad_norm = api.post("passenger-car-norms/", json={
        "car": car["id"], "season": "spring", "city_norm": "0.1234", "area_norm": "-1", "date": "01.09.2024",
    })  # fmt: skip
    assert bad_norm.status_code == 400
    assert bad_norm.json() == {
        "season": ["Значения «spring» нет среди допустимых вариантов."],
        "city_norm": ["Убедитесь, что в числе не больше 3 знаков после запятой."],
        "area_norm": ["Значение не должно быть меньше 0."],
        "date": ["Неправильный формат даты. Используйте формат YYYY-MM-DD."],
    }
    too_big = api.post("passenger-car-norms/", json={"car": car["id"], "season": "summer", "city_norm": "10.000",
                                                       "area_norm": "0.1"})  # fmt: skip
    assert too_big.json() == {"city_norm": ["Убедитесь, что в числе не больше 1 знаков перед запятой."]}
    unknown = api.post(
        "passenger-car-norms/", json={"car": 999, "season": "summer", "city_norm": "0.1", "area_norm": "0.1"}
    )
    assert (unknown.status_code, unknown.json()) == (
        400,
        {"car": ['Недопустимый первичный ключ "999" - объект не существует.']},
    )
    not_object = api.post("passenger-cars/", json=[1, 2])
    assert (not_object.status_code, not_object.json()) == (
        400,
        {"non_field_errors": ["Недопустимые данные. Ожидался словарь."]},
    )
    broken = api.call(
        "POST", "passenger-cars/", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json() == {"detail": "JSON parse error - тело запроса не является корректным JSON."}


def test_uniqueness_holds_among_live_rows_only(api: Api) -> None:
    car = api.car("passenger", number="B777BB54")
    duplicate = api.post("passenger-cars/", json={"number": "B777BB54", "brand": "x", "model": "y"})
    assert (duplicate.status_code, duplicate.json()) == (400, {"number": [UNIQUE]})
    api.ok("DELETE", f"passenger-cars/{car['id']}/", status=204)
    again = api.ok("POST", "passenger-cars/", {"number": "B777BB54", "brand": "x", "model": "y"}, status=201)
    assert again["id"] != car["id"]
    # The same number on the other kind of vehicle is another table: allowed.
    api.ok(
        "POST", "fire-trucks/", {"number": "B777BB54", "brand": "x", "model": "y", "type": "z"}, status=201
    )

    user = api.user("driver", login="ivanov", phone="+79001112233", driver_license="5400000001")
    clash = api.post("users/", json={"name": "a", "surname": "b", "last_name": "c", "login": "ivanov", "password": "p",
                                     "phone": "+79001112233", "driver_license": "5400000001"})  # fmt: skip
    assert clash.json() == {"login": [UNIQUE], "phone": [UNIQUE], "driver_license": [UNIQUE]}
    api.ok("DELETE", f"users/{user['id']}/", status=204)
    api.user("driver", login="ivanov", phone="+79001112233", driver_license="5400000001")


def test_user_password_is_write_only_and_phone_has_the_documents_form(api: Api) -> None:
    user = api.user("driver", phone="+79001234567")
    assert "password" not in user
    assert set(user) == {
        "id",
        "name",
        "surname",
        "last_name",
        "login",
        "phone",
        "driver_license",
        "role",
        "deleted_at",
    }
    bad = api.patch(f"users/{user['id']}/", json={"phone": "89001234567"})
    assert (bad.status_code, bad.json()) == (400, {"phone": ["Телефон в формате +79001234567."]})
    no_role = api.patch(f"users/{user['id']}/", json={"role": None})
    assert (no_role.status_code, no_role.json()["role"]) == (200, None)
    assert api.ok("GET", "users/?role=1")[0]["login"] == "admin"


def test_waybill_filters_keep_the_bare_array(api: Api) -> None:
    car1, car2 = api.car("passenger"), api.car("passenger")
    d1, d2 = api.user("driver"), api.user("driver")
    w1 = api.waybill("passenger", car1["id"], d1["id"], "2024-09-01")
    w2 = api.waybill("passenger", car1["id"], d2["id"], "2024-09-10")
    w3 = api.waybill("passenger", car2["id"], d1["id"], "2024-09-20")

    def ids(query: str) -> list[int]:
        return [w["id"] for w in api.ok("GET", f"passenger-car-waybills/?{query}")]

    assert ids("") == [w1["id"], w2["id"], w3["id"]]
    assert ids(f"car={car1['id']}") == [w1["id"], w2["id"]]
    assert ids(f"driver={d1['id']}") == [w1["id"], w3["id"]]
    assert ids("date_from=2024-09-10") == [w2["id"], w3["id"]]
    assert ids("date_from=2024-09-02&date_to=2024-09-19") == [w2["id"]]
    bad = api.get("passenger-car-waybills/?date_from=yesterday")
    assert (bad.status_code, bad.json()) == (
        400,
        {"date_from": ["Неправильный формат даты. Используйте формат YYYY-MM-DD."]},
    )
    assert w1["driver_full_name"] == f"{d1['surname']} Иван Иванович"


def test_duplicate_waybill_for_car_driver_and_date(api: Api) -> None:
    car = api.car("passenger", number="C123CC54")
    driver = api.user("driver")
    api.waybill("passenger", car["id"], driver["id"], "2024-09-01")
    again = api.post("passenger-car-waybills/", json={"car": car["id"], "driver": driver["id"], "date": "2024-09-01",
                                                      "norm_season": "summer"})  # fmt: skip
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": [
        f"Путевой лист для машины C123CC54, водителя {driver['surname']} Иван Иванович и даты 01.09.2024 уже существует."
    ]}  # fmt: skip


def test_norm_for_date_and_last_state_actions(api: Api) -> None:
    car = api.car("fire")
    older = api.norm("fire", car["id"], "winter", "2024-09-01")
    newer = api.norm("fire", car["id"], "winter", "2024-12-01", km_norm="0.700")
    path = "fire-truck-norms/for-date/"
    assert api.ok("GET", f"{path}?car={car['id']}&season=winter&date=2024-11-30")["id"] == older["id"]
    assert api.ok("GET", f"{path}?car={car['id']}&season=winter&date=2024-12-15") == newer
    assert api.get(f"{path}?car={car['id']}&season=winter").json() == {
        "detail": "Параметры car, season и date обязательны"
    }
    assert api.get(f"{path}?car={car['id']}&season=winter&date=15.12.2024").json() == {
        "detail": "Неверный формат date, ожидается YYYY-MM-DD"
    }
    missing = api.get(f"{path}?car={car['id']}&season=summer&date=2024-12-15")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Норма не найдена"})

    assert api.get("fire-truck-odometer-fuel/last/").json() == {"detail": "Параметр car обязателен"}
    none = api.get(f"fire-truck-odometer-fuel/last/?car={car['id']}")
    assert (none.status_code, none.json()) == (404, {"detail": "Записей не найдено"})
    state = api.state("fire", car["id"], 20000, "150.000")
    assert api.ok("GET", f"fire-truck-odometer-fuel/last/?car={car['id']}") == state
    cars = api.ok("GET", "fire-trucks/?include_odometer=true")
    assert cars[0]["odometer_fuel_records"] == [state]


def test_a_state_needs_car_odometer_and_fuel_without_a_waybill(api: Api) -> None:
    response = api.post("passenger-car-odometer-fuel/", json={"waybill": None})
    needs = "Обязательно, если не указан путевой лист"
    assert (response.status_code, response.json()) == (
        400,
        {"car": [needs], "odometer": [needs], "fuel": [needs]},
    )
    negative = api.post("passenger-car-odometer-fuel/", json={"car": 1, "odometer": -1, "fuel": "-1"})
    assert negative.json() == {
        "odometer": ["Значение не должно быть меньше 0."],
        "fuel": ["Значение не должно быть меньше 0."],
    }


@pytest.mark.parametrize("path", ["passenger-cars/abc/", "passenger-cars/0/", "passenger-cars/99999999999/"])
def test_unknown_paths_are_404_with_drf_detail(api: Api, path: str) -> None:
    response = api.get(path)
    assert (response.status_code, response.json()) == (404, {"detail": "Не найдено."})


def test_wrong_method_is_405(api: Api) -> None:
    response = api.call("PUT", "passenger-cars/")
    assert (response.status_code, response.json()) == (405, {"detail": "Метод не разрешен."})


def test_api_root_lists_every_resource(api: Api) -> None:
    root = api.ok("GET", "")
    assert root["passenger-car-records"] == "http://testserver/api/passenger-car-records/"
    assert len(root) == 13
