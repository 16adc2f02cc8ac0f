"""A request without its trailing slash: the 307 says in its body where to go (curl does not follow it)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.waybills.helpers import Api


def test_a_post_without_its_slash_is_told_where_to_go(client: TestClient, api: Api) -> None:
    headers = {"Authorization": f"Bearer {api.token}"}
    response = client.post("/api/passenger-cars", json={}, headers=headers, follow_redirects=False)
    location = "http://testserver/api/passenger-cars/"
    assert (response.status_code, response.headers["location"]) == (307, location)
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "detail": f"Ресурс находится по адресу {location}: повторите запрос по нему (адреса API оканчиваются на «/»)."
    }
    assert int(response.headers["content-length"]) == len(response.content)


def test_other_answers_keep_their_bodies(client: TestClient) -> None:
    docs = client.get("/", follow_redirects=False)
    assert (docs.status_code, docs.headers["location"]) == (307, "/docs")
    refused = client.get("/api/roles/")
    assert (refused.status_code, refused.json()) == (401, {"detail": "Учетные данные не были предоставлены."})
