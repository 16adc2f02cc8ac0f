"""The ANPR receiver: Hikvision's multipart push on the secret path starts a weighing when idle."""

from __future__ import annotations

import pytest

from opsuite.weighbridge.errors import BadRequest
from opsuite.weighbridge.process.anpr import plate_of
from opsuite.weighbridge.process.bridge import Bridge
from tests.weighbridge.helpers import API, Api

KEY = "site-anpr-key-0123456789"
ALERT = """<?xml version="1.0" encoding="UTF-8"?>
<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
  <ipAddress>192.168.1.63</ipAddress>
  <eventType>ANPR</eventType>
  <ANPR><country>UZ</country><licensePlate>{plate}</licensePlate><confidenceLevel>93</confidenceLevel></ANPR>
</EventNotificationAlert>"""
JPEG = b"\\xff\\xd8\\xff\\xe0plate\\xff\\xd9"


def push(api: Api, plate: str, key: str = KEY) -> tuple[int, object]:
    files = [
        ("anpr.xml", ("anpr.xml", ALERT.format(plate=plate).encode(), "application/xml")),
        ("licensePlatePicture.jpg", ("licensePlatePicture.jpg", JPEG, "image/jpeg")),
        ("detectionPicture.jpg", ("detectionPicture.jpg", JPEG, "image/jpeg")),
    ]
    response = api.client.post(f"{API}/integration/anpr/{key}", files=files)
    return response.status_code, response.json()


def test_a_push_starts_the_weighing_then_is_ignored_while_busy(operator: Api, bridge: Bridge) -> None:
    bridge.apply(bridge.config.merged({"anpr_key": KEY}))
    status, body = push(operator, "01A777AA")
    assert status == 200
    assert body == {
        "status": "started",
        "truck_number": "01A777AA",
        "truck_id": bridge.frame()["truck_id"],
        "reason": None,
    }
    assert bridge.frame()["scale_status"] == "ENTERING"
    assert push(operator, "01B888BB") == (
        200,
        {
            "status": "ignored",
            "truck_number": "01B888BB",
            "truck_id": None,
            "reason": "Идёт взвешивание машины 01A777AA (статус ENTERING): подтвердите вес или сбросьте процесс",
        },
    )
    assert push(operator, "UNKNOWN")[1] == {
        "status": "ignored",
        "truck_number": None,
        "truck_id": None,
        "reason": "Камера не распознала номер",
    }


def test_a_wrong_key_or_no_key_is_404(operator: Api, bridge: Bridge) -> None:
    assert push(operator, "01A777AA", key="x" * 20) == (404, {"detail": "Не найдено"})
    bridge.apply(bridge.config.merged({"anpr_key": KEY}))
    assert push(operator, "01A777AA", key="y" * 24)[0] == 404
    assert bridge.frame()["scale_status"] == "IDLE"


def test_a_push_without_its_xml_is_400(operator: Api, bridge: Bridge) -> None:
    bridge.apply(bridge.config.merged({"anpr_key": KEY}))
    response = operator.client.post(
        f"{API}/integration/anpr/{KEY}", files=[("picture.jpg", ("picture.jpg", JPEG, "image/jpeg"))]
    )
    assert (response.status_code, response.json()) == (400, {"detail": "В запросе нет части anpr.xml"})


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"<a><b>", "anpr.xml не разбирается: "),
        (b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', "anpr.xml с DOCTYPE или ENTITY не принимается"),
        (
            b"<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>",
            "Событие VMD не является ANPR",
        ),
    ],
)
def test_bad_xml_is_refused(xml: bytes, reason: str) -> None:
    with pytest.raises(BadRequest) as refused:
        plate_of(xml)
    assert refused.value.detail.startswith(reason)


def test_the_plate_is_read_through_the_namespace() -> None:
    assert plate_of(ALERT.format(plate=" 01A777AA ").encode()) == "01A777AA"
