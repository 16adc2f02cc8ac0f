"""The page's router: `/` and its assets come from the package, with a policy that forbids other origins."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from opsuite.weighbridge.page.router import CONTENT_SECURITY_POLICY, STATIC, router


@pytest.fixture
def page_client() -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(router)
    with TestClient(app) as client:
        yield client


def test_root_is_the_operator_page(page_client: TestClient) -> None:
    response = page_client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text == (STATIC / "index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="/page/app.js"></script>' in response.text


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("app.js", "text/javascript; charset=utf-8"),
        ("logic.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
    ],
)
def test_assets_are_served_with_their_media_type(page_client: TestClient, name: str, media_type: str) -> None:
    response = page_client.get(f"/page/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.content == (STATIC / name).read_bytes()


@pytest.mark.parametrize(
    "path", ["/page/index.html", "/page/missing.js", "/page/..%2Frouter.py", "/page/%2e%2e"]
)
def test_other_names_are_404(page_client: TestClient, path: str) -> None:
    response = page_client.get(path)
    assert response.status_code == 404


def test_the_page_names_no_outside_origin() -> None:
    for path in sorted(STATIC.iterdir()):
        text = path.read_text(encoding="utf-8")
        assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, flags=re.IGNORECASE) == [], path.name
        assert "@import" not in text, path.name


def test_every_script_import_is_a_shipped_file() -> None:
    app_js = (STATIC / "app.js").read_text(encoding="utf-8")
    imported = re.findall(r'from "\./([^"]+)"', app_js)
    assert imported == ["logic.js"]
    assert all((STATIC / name).is_file() for name in imported)


def test_the_weighbridge_app_serves_the_page_at_its_root(client: TestClient) -> None:
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 200
    assert page.text == (STATIC / "index.html").read_text(encoding="utf-8")
    assert client.get("/page/logic.js").content == (STATIC / "logic.js").read_bytes()
    missing = client.get("/page/settings.py")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Нет такого файла страницы"})
    paths = client.get("/openapi.json").json()["paths"]
    assert [path for path in paths if not path.startswith("/api/v1/")] == ["/health"]
