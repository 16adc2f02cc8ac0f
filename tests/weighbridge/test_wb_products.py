"""Products: the list by name, additions, a name taken regardless of case is 409."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.weighbridge.helpers import API, Api


def test_products_are_added_and_listed_by_name(operator: Api) -> None:
    assert operator.get("/products").json() == []
    first = operator.post("/products", json={"name": "  Ko'mir  "})
    assert (first.status_code, first.json()) == (200, {"id": 1, "name": "Ko'mir"})
    assert operator.post("/products", json={"name": "Karbamid"}).json() == {"id": 2, "name": "Karbamid"}
    assert operator.get("/products").json() == [{"id": 2, "name": "Karbamid"}, {"id": 1, "name": "Ko'mir"}]


def test_a_taken_name_in_another_case_is_409(operator: Api) -> None:
    operator.post("/products", json={"name": "Yangi Mahsulot"})
    again = operator.post("/products", json={"name": "YANGI   mahsulot"})
    assert (again.status_code, again.json()) == (409, {"detail": "Продукт «YANGI mahsulot» уже есть"})


def test_an_empty_name_is_422_and_products_need_a_token(client: TestClient, operator: Api) -> None:
    assert operator.post("/products", json={"name": ""}).status_code == 422
    assert client.get(f"{API}/products").status_code == 401
