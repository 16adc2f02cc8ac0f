"""Photos: a real JPEG under the cap is stored at a dated random path and served without a token."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.weighbridge.devices.simulators.camera import SAMPLE_JPEG
from opsuite.weighbridge.photos.service import attach_photo
from opsuite.weighbridge.photos.storage import PhotoStore
from opsuite.weighbridge.settings import WeighbridgeSettings
from tests.weighbridge.conftest import START
from tests.weighbridge.helpers import API, Api, add_visit

URL = re.compile(r"/api/v1/static/weighing/2026/02/01/[0-9a-f]{32}\.jpg")


def upload(
    api: Api, data: bytes, *, action_id: int = 1, filename: str = "shot.jpg"
) -> tuple[int, dict[str, str]]:
    response = api.post(
        "/integration/camera/image",
        files={"file": (filename, data, "image/jpeg")},
        data={"action_id": str(action_id)},
    )
    return response.status_code, response.json()


def test_a_jpeg_is_stored_and_served_without_a_token(
    client: TestClient, operator: Api, database: Database, settings: WeighbridgeSettings
) -> None:
    add_visit(database, "01A777AA", at=START, entrance=10000.0)
    status, body = upload(operator, SAMPLE_JPEG)
    assert status == 200
    assert body["id"] == 1
    assert URL.fullmatch(body["url"])
    served = client.get(body["url"])
    assert (served.status_code, served.headers["content-type"], served.content) == (
        200,
        "image/jpeg",
        SAMPLE_JPEG,
    )
    stored = settings.static_root / body["url"].removeprefix("/api/v1/static/")
    assert stored.read_bytes() == SAMPLE_JPEG
    photos = operator.get("/trucks/1").json()["actions"][0]["photos"]
    assert photos == [{"id": 1, "camera": 0, "url": body["url"]}]


def test_a_hostile_file_name_is_ignored(
    operator: Api, database: Database, settings: WeighbridgeSettings
) -> None:
    add_visit(database, "01A777AA", at=START, entrance=10000.0)
    status, body = upload(operator, SAMPLE_JPEG, filename="../../../etc/passwd.jpg")
    assert status == 200
    assert URL.fullmatch(body["url"])
    assert not (settings.static_root.parent / "etc").exists()
    assert sorted(path.name for path in settings.static_root.rglob("*") if path.is_file()) == [
        body["url"].rsplit("/", 1)[1]
    ]


def test_bytes_that_are_not_a_jpeg_are_400(
    operator: Api, database: Database, settings: WeighbridgeSettings
) -> None:
    add_visit(database, "01A777AA", at=START, entrance=10000.0)
    for data in (b"GIF89a" + b"\x00" * 64, b"\xff\xd8\xff\xe0" + b"truncated", b""):
        assert upload(operator, data) == (400, {"detail": "Файл не является изображением JPEG"})
    assert not settings.static_root.exists()


def test_a_photo_over_the_cap_is_413(
    client: TestClient, database: Database, settings: WeighbridgeSettings, operator: Api
) -> None:
    add_visit(database, "01A777AA", at=START, entrance=10000.0)
    limit = settings.photo_max_bytes
    big = SAMPLE_JPEG[:-2] + b"\x00" * (limit - len(SAMPLE_JPEG) + 1) + b"\xff\xd9"
    assert upload(operator, big) == (413, {"detail": f"Фото больше {limit // 1024} КБ"})
    far_too_big = b"\xff" * (limit + 200_000)
    status, body = upload(operator, far_too_big)
    assert status == 413
    assert body["detail"].startswith("Тело запроса больше")


def test_an_unknown_weighing_is_404_and_a_token_is_required(client: TestClient, operator: Api) -> None:
    assert upload(operator, SAMPLE_JPEG, action_id=5) == (404, {"detail": "Взвешивание 5 не найдено"})
    response = client.post(
        f"{API}/integration/camera/image", files={"file": ("a.jpg", SAMPLE_JPEG)}, data={"action_id": "1"}
    )
    assert response.status_code == 401


def test_static_serves_only_the_stores_own_paths(client: TestClient, settings: WeighbridgeSettings) -> None:
    secret = settings.static_root / "weighing" / "notes.txt"
    secret.parent.mkdir(parents=True)
    secret.write_text("not a photo")
    for path in ("weighing/notes.txt", "..%2Fweighbridge.secret", "weighing/2026/02/01/" + "0" * 32 + ".jpg"):
        response = client.get(f"{API}/static/{path}")
        assert (response.status_code, response.json()) == (404, {"detail": "Файл не найден"})


def test_attach_photo_stores_a_backend_snapshot(database: Database, tmp_path: Path) -> None:
    add_visit(database, "01A777AA", at=START, entrance=10000.0)
    store = PhotoStore(tmp_path, ZoneInfo("Asia/Tashkent"))
    with database.session() as session:
        photo = attach_photo(session, 1, 2, SAMPLE_JPEG, store=store, now=START)
        assert (photo.id, photo.action_id, photo.camera, photo.created_at) == (1, 1, 2, START)
        assert (tmp_path / photo.path).read_bytes() == SAMPLE_JPEG
        assert photo.path.startswith("weighing/2026/02/01/")
