"""The document's own examples, end to end, with its exact numbers."""

from __future__ import annotations

from tests.waybills.helpers import Api


def test_passenger_car_example_from_the_document(api: Api) -> None:
    car = api.car("passenger", number="A001AA54")
    assert car == {
        "id": car["id"], "number": "A001AA54", "brand": "Toyota", "model": "Camry", "deleted_at": None,
        "odometer_fuel_records": None,
    }  # fmt: skip
    norm = api.norm("passenger", car["id"], "summer", "2024-09-01", city_norm="0.090", area_norm="0.110")
    assert norm == {
        "id": norm["id"], "car": car["id"], "season": "summer", "city_norm": "0.090", "area_norm": "0.110",
        "date": "2024-09-01", "deleted_at": None,
    }  # fmt: skip
    api.state("passenger", car["id"], 100000, "40.000", "2024-09-01")
    driver = api.user("driver")
    waybill = api.waybill("passenger", car["id"], driver["id"], "2024-09-15", fuel_type="petrol")
    assert {
        k: waybill[k] for k in ("upon_issuance", "total_spent", "availability_upon_delivery", "savings")
    } == {
        "upon_issuance": "40.000",
        "total_spent": "0.000",
        "availability_upon_delivery": "40.000",
        "savings": "0.000",
    }
    assert waybill["number"] == "000001"
    assert waybill["fuel_type"] == "petrol"
    record = api.record(
        "passenger", waybill["id"], target="Поездка в город", departure_time="08:10:00", arrival_time="10:00:00",
        distance_city_km=50, distance_area_km=0, fuel_refueled="10.000", fuel_used="8.000",
    )  # fmt: skip
    assert record == {
        "id": record["id"], "passenger_car_waybill": waybill["id"], "target": "Поездка в город",
        "departure_time": "08:10:00", "arrival_time": "10:00:00", "distance_city_km": 50, "distance_area_km": 0,
        "fuel_refueled": "10.000", "fuel_used": "8.000", "odometer_before": 100000,
        "fuel_before_departure": "40.000", "distance_total_km": 50, "odometer_after": 100050,
        "fuel_used_city": "4.500", "fuel_used_area": "0.000", "fuel_used_normal": "4.500",
        "fuel_on_return": "42.000", "deleted_at": None,
    }  # fmt: skip
    waybill = api.ok("GET", f"passenger-car-waybills/{waybill['id']}/")
    assert {k: waybill[k] for k in ("upon_issuance", "total_spent", "total_received", "required_by_norm",
                                    "availability_upon_delivery", "savings", "overrun")} == {
        "upon_issuance": "40.000", "total_spent": "8.000", "total_received": "10.000",
        "required_by_norm": "4.500", "availability_upon_delivery": "42.000", "savings": "0.000",
        "overrun": "3.500",
    }  # fmt: skip
    last = api.ok("GET", f"passenger-car-odometer-fuel/last/?car={car['id']}")
    assert (last["odometer"], last["fuel"], last["date"], last["waybill"]) == (
        100050, "42.000", "2024-09-15", waybill["id"],
    )  # fmt: skip


def test_fire_truck_example_from_the_document(api: Api) -> None:
    truck = api.car("fire", number="A101AA54")
    assert truck["type"] == "АЦ-3,2-40"
    api.norm("fire", truck["id"], "winter", "2024-09-01", with_pump_norm="0.250", without_pump_norm="0.150",
             km_norm="0.657")  # fmt: skip
    api.state("fire", truck["id"], 20000, "150.000", "2024-09-01")
    driver = api.user("driver")
    card = api.waybill("fire", truck["id"], driver["id"], "2024-09-15", season="winter", fuel_type="diesel")
    record = api.record(
        "fire", card["id"], target="Выезд на пожар", departure_time="14:00:00", arrival_time="15:30:00",
        odometer_after=20090, time_with_pump=30, time_without_pump=15, fuel_refueled="20.000", fuel_used="25.000",
    )  # fmt: skip
    assert record == {
        "id": record["id"], "fire_truck_waybill": card["id"], "target": "Выезд на пожар", "driving_route": None,
        "departure_time": "14:00:00", "arrival_time": "15:30:00", "odometer_after": 20090, "time_with_pump": 30,
        "time_without_pump": 15, "fuel_refueled": "20.000", "fuel_used": "25.000", "odometer_before": 20000,
        "fuel_before_departure": "150.000", "distance_km": 90, "fuel_used_by_distance": "59.130",
        "fuel_used_with_pump": "7.500", "fuel_used_without_pump": "2.250", "fuel_used_normal": "68.880",
        "fuel_on_return": "145.000", "deleted_at": None,
    }  # fmt: skip
    card = api.ok("GET", f"fire-truck-waybills/{card['id']}/")
    assert (card["upon_issuance"], card["required_by_norm"], card["savings"], card["overrun"]) == (
        "150.000", "68.880", "43.880", "0.000",
    )  # fmt: skip
