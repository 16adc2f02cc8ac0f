"""The journal: list newest first with actions inline, one visit, corrections, soft deletes."""

from __future__ import annotations

from datetime import timedelta

from opsuite.core.db import Database
from opsuite.weighbridge.trucks.models import Photo
from tests.weighbridge.conftest import START
from tests.weighbridge.helpers import Api, add_visit


def seed(database: Database) -> list[int]:
    """Three visits an hour apart: finished, finished, still on the territory."""
    return [
        add_visit(database, "01A777AA", at=START, entrance=10000.0, exit_weight=25000.0),
        add_visit(database, "10B123CD", at=START + timedelta(hours=1), entrance=31800.0, exit_weight=12950.0),
        add_visit(database, "30C555DE", at=START + timedelta(hours=2), entrance=13050.0),
    ]


def test_the_list_is_newest_first_with_actions_inline(operator: Api, database: Database) -> None:
    seed(database)
    body = operator.get("/trucks").json()
    assert [truck["truck_number"] for truck in body] == ["30C555DE", "10B123CD", "01A777AA"]
    assert body[2] == {
        "id": 1,
        "truck_number": "01A777AA",
        "driver_name": None,
        "model": None,
        "owner_pinfl": None,
        "product_id": None,
        "is_finished": True,
        "created_at": "2026-02-01T10:30:00+05:00",
        "actions": [
            {
                "id": 1,
                "action_type": "ENTRANCE",
                "weight": 10000.0,
                "status": "COMPLETE",
                "product_id": None,
                "operator_id": 2,
                "created_at": "2026-02-01T10:32:00+05:00",
                "photos": [],
            },
            {
                "id": 2,
                "action_type": "EXIT",
                "weight": 25000.0,
                "status": "COMPLETE",
                "product_id": None,
                "operator_id": 2,
                "created_at": "2026-02-01T11:10:00+05:00",
                "photos": [],
            },
        ],
    }


def test_the_list_pages_and_filters_by_finished(operator: Api, database: Database) -> None:
    seed(database)
    ids = lambda query: [truck["id"] for truck in operator.get(f"/trucks{query}").json()]  # noqa: E731
    assert ids("?skip=1&limit=1") == [2]
    assert ids("?finished=true") == [2, 1]
    assert ids("?finished=false") == [3]
    assert operator.get("/trucks?limit=0").status_code == 422
    assert operator.get("/trucks?skip=-1").status_code == 422


def test_one_visit_shows_its_photo_urls(operator: Api, database: Database) -> None:
    seed(database)
    with database.session() as session:
        session.add(
            Photo(action_id=1, camera=1, path="weighing/2026/02/01/" + "a" * 32 + ".jpg", created_at=START)
        )
    body = operator.get("/trucks/1").json()
    assert body["actions"][0]["photos"] == [
        {"id": 1, "camera": 1, "url": "/api/v1/static/weighing/2026/02/01/" + "a" * 32 + ".jpg"}
    ]
    missing = operator.get("/trucks/99")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Запись 99 не найдена"})


def test_put_corrects_the_number_and_finishes_the_visit(operator: Api, database: Database) -> None:
    seed(database)
    operator.post("/products", json={"name": "Qum"})
    response = operator.put(
        "/trucks/3",
        json={"truck_number": "01B888BB", "is_finished": True, "product_id": 1, "driver_name": "Иван"},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["truck_number"], body["is_finished"], body["product_id"], body["driver_name"]) == (
        "01B888BB",
        True,
        1,
        "Иван",
    )
    assert operator.get("/trucks/3").json()["truck_number"] == "01B888BB"
    cleared = operator.put("/trucks/3", json={"product_id": None}).json()
    assert (cleared["product_id"], cleared["truck_number"]) == (None, "01B888BB")


def test_put_refuses_a_second_open_visit_of_one_plate(operator: Api, database: Database) -> None:
    seed(database)
    # Reopening visit 1 is fine; renaming visit 3 to its plate (written in Cyrillic, spaced) is not.
    assert operator.put("/trucks/1", json={"is_finished": False}).status_code == 200
    response = operator.put("/trucks/3", json={"truck_number": "01 А 777 АА"})
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Машина 01 А 777 АА уже на территории (запись 1)"},
    )
    assert operator.get("/trucks/3").json()["truck_number"] == "30C555DE"


def test_put_with_an_unknown_product_is_404(operator: Api, database: Database) -> None:
    seed(database)
    response = operator.put("/trucks/1", json={"product_id": 7})
    assert (response.status_code, response.json()) == (404, {"detail": "Продукт 7 не найден"})


def test_delete_is_soft_and_hides_the_visit(operator: Api, database: Database) -> None:
    seed(database)
    response = operator.delete("/trucks/3")
    assert (response.status_code, response.json()) == (200, {"status": "deleted"})
    assert [truck["id"] for truck in operator.get("/trucks").json()] == [2, 1]
    assert operator.get("/trucks/3").status_code == 404
    assert operator.delete("/trucks/3").status_code == 404
    with database.session() as session:
        from opsuite.weighbridge.trucks.models import Truck

        deleted = session.get(Truck, 3)
        assert deleted is not None
        assert deleted.deleted_at == START


def test_a_finished_visit_is_deleted_only_by_a_superuser(
    operator: Api, admin: Api, database: Database
) -> None:
    seed(database)
    refused = operator.delete("/trucks/1")
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Завершённую запись может удалить только администратор"},
    )
    assert admin.delete("/trucks/1").json() == {"status": "deleted"}
    assert [truck["id"] for truck in admin.get("/trucks").json()] == [3, 2]
