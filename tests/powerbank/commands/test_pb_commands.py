"""Cabinet command routes against a simulated cabinet over a real socket: answers, storage, roles, failures."""

from __future__ import annotations

from opsuite.powerbank.devices.simulator import Fault
from tests.powerbank.commands.conftest import BANK_1, BANK_2, ICCID, Cabinet
from tests.powerbank.helpers import Api

ST001, ST002, ST003 = 1, 2, 3


def test_volume_is_asked_set_and_kept(cabinet: Cabinet, group_admin: Api, subgroup_admin: Api) -> None:
    before = group_admin.get(f"/api/query-voice-volume/station/{ST001}")
    assert before.status_code == 404
    assert before.json() == {"success": False, "error": "Громкость станции еще не запрашивалась"}
    changed = group_admin.post("/api/set-voice-volume", json={"station_id": ST001, "volume_level": 10})
    assert changed.status_code == 200
    assert changed.json()["message"] == "Громкость установлена"
    assert cabinet.sim.state.volume == 10
    by_percent = group_admin.post("/api/set-voice-volume", json={"station_id": ST001, "volume": 40})
    assert by_percent.json()["voice_volume"]["volume_level"] == 6
    asked = group_admin.post("/api/query-voice-volume", json={"station_id": ST001}).json()
    assert asked["voice_volume"] == {
        "volume_level": 6,
        "volume_percentage": 40,
        "last_update": "2026-03-10T12:00:00+03:00",
    }
    stored = subgroup_admin.get(f"/api/query-voice-volume/station/{ST001}").json()
    assert stored["station_box_id"] == "ST001"
    assert stored["voice_volume"]["volume_level"] == 6
    assert (
        subgroup_admin.post(
            "/api/set-voice-volume", json={"station_id": ST001, "volume_level": 1}
        ).status_code
        == 403
    )


def test_inventory_answers_the_cabinets_slots(cabinet: Cabinet, subgroup_admin: Api) -> None:
    body = subgroup_admin.post("/api/query-inventory", json={"station_id": ST001}).json()
    assert body["station"]["box_id"] == "ST001"
    assert body["station"]["remain_num"] == 2
    assert [(row["slot_number"], row["terminal_id"]) for row in body["inventory"]] == [
        (1, BANK_1),
        (2, BANK_2),
    ]
    stored = subgroup_admin.get(f"/api/query-inventory/station/{ST001}").json()
    assert [row["slot_number"] for row in stored["inventory"]] == [1, 2, 3, 4, 5, 6]
    assert stored["inventory"][0] == {
        "slot_number": 1,
        "terminal_id": BANK_1,
        "level": 100,
        "voltage": 4110,
        "current": 0,
        "temperature": 30,
        "soh": 100,
        "status": 0xC0,
    }
    assert stored["cache_info"] == {"slots_num": 8, "last_update": None}


def test_server_address_is_service_admins(cabinet: Cabinet, service_admin: Api, group_admin: Api) -> None:
    body = {
        "station_id": ST001,
        "server_address": "10.0.0.5",
        "server_port": "9066",
        "heartbeat_interval": 20,
    }
    assert group_admin.post("/api/set-server-address", json=body).status_code == 403
    changed = service_admin.post(
        "/api/set-server-address", json={"station_id": ST001, "address": "10.0.0.6:10001"}
    )
    assert changed.status_code == 200
    assert changed.json()["server_address"]["port"] == "10001"
    asked = group_admin.post("/api/query-server-address", json={"station_id": ST001}).json()
    assert asked["server_address"] == {
        "address": "10.0.0.6",
        "port": "10001",
        "heartbeat_interval": 30,
        "last_update": "2026-03-10T12:00:00+03:00",
    }
    assert group_admin.get(f"/api/query-server-address/station/{ST001}").json()["server_address"][
        "address"
    ] == ("10.0.0.6")
    bad = service_admin.post(
        "/api/set-server-address", json={"station_id": ST001, "server_address": "nohost"}
    )
    assert bad.status_code == 400


def test_iccid_and_restart(cabinet: Cabinet, group_admin: Api) -> None:
    assert group_admin.get(f"/api/iccid/stations/{ST001}").json()["data"]["iccid"] is None
    refreshed = group_admin.get(f"/api/iccid/stations/{ST001}", params={"refresh": "true"}).json()
    assert refreshed["data"] == {
        "station_id": ST001,
        "box_id": "ST001",
        "iccid": ICCID,
        "updated_at": "2026-03-10T12:00:00+03:00",
    }
    restarted = group_admin.post("/api/restart-cabinet", json={"station_id": ST001})
    assert restarted.json() == {
        "success": True,
        "data": {"station_box_id": "ST001"},
        "message": "Команда перезагрузки отправлена",
        "station_box_id": "ST001",
    }


def test_failures(cabinet: Cabinet, group_admin: Api, subgroup_admin: Api) -> None:
    offline = group_admin.post("/api/query-voice-volume", json={"station_id": ST002})
    assert offline.status_code == 400
    assert offline.json() == {"success": False, "error": "Станция не подключена", "code": "cabinet_offline"}
    assert group_admin.post("/api/query-inventory", json={"station_id": 99}).status_code == 404
    assert subgroup_admin.post("/api/query-inventory", json={"station_id": ST003}).status_code == 403
    cabinet.sim.set_fault(Fault.SILENT)
    late = group_admin.post("/api/query-voice-volume", json={"station_id": ST001})
    assert late.status_code == 400
    assert late.json() == {
        "success": False,
        "error": "Станция не ответила вовремя",
        "code": "cabinet_timeout",
    }
