"""Every failure leaves in the document's envelope with a status from its list."""

from __future__ import annotations

from fastapi.testclient import TestClient

from opsuite.core.limits import DEFAULT_BODY_LIMIT
from tests.powerbank.helpers import Api


def test_an_unknown_path_is_404_in_the_envelope(client: TestClient) -> None:
    response = client.get("/api/no-such-route")
    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Ресурс не найден"}


def test_a_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.delete("/api/auth/login")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json() == {"success": False, "error": "Метод не поддерживается"}


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["error"] == "Неверные параметры запроса"


def test_a_body_over_the_limit_is_400(client: TestClient) -> None:
    body = b'{"phone_e164": "' + b"1" * DEFAULT_BODY_LIMIT + b'"}'
    response = client.post("/api/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {
        "success": False,
        "error": f"Тело запроса больше допустимого размера ({DEFAULT_BODY_LIMIT} байт)",
    }


def test_a_path_id_out_of_range_is_400_naming_it(service_admin: Api) -> None:
    response = service_admin.get("/api/users/2147483648")
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"field": "user_id", "message": "Input should be less than or equal to 2147483647"}
    ]


def test_an_unexpected_failure_is_a_bare_500_without_its_text(client: TestClient) -> None:
    app = client.app

    @app.get("/api/test-crash")  # type: ignore[attr-defined, misc]
    def crash() -> None:
        raise RuntimeError("secret internals")

    response = TestClient(app, raise_server_exceptions=False).get("/api/test-crash")
    assert response.status_code == 500
    assert response.json() == {"success": False, "error": "Внутренняя ошибка сервера"}
