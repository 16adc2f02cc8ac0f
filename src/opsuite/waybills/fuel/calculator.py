"""The fuel arithmetic of one record, exact in Decimal (integer km or minutes times 3-place norms)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_JUMP_KM = 2000
MAX_ODOMETER = 999_999


@dataclass(frozen=True, slots=True)
class State:
    """A car's odometer and fuel at one point of its chain."""

    odometer: int
    fuel: Decimal


class RuleViolation(Exception):
    """A record that cannot be computed; `code` names the rule, `values` fill its message."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def _balance(start: State, used: Decimal, refueled: Decimal) -> Decimal:
    fuel_on_return = start.fuel - used + refueled
    if fuel_on_return < 0:
        raise RuleViolation("negative_fuel", before=start.fuel, used=used, refueled=refueled)
    return fuel_on_return


def _check_odometer(before: int, after: int) -> None:
    if after < before:
        raise RuleViolation("odometer_backwards", before=before, after=after)
    if after - before > MAX_JUMP_KM:
        raise RuleViolation("odometer_jump", before=before, after=after)
    if after > MAX_ODOMETER:
        raise RuleViolation("odometer_limit", before=before, after=after)


def passenger(inputs: dict[str, Any], norm: Any, start: State) -> dict[str, Any]:
    """Distances in and outside the city times the city and area norms (l/km)."""
    city_km: int = inputs["distance_city_km"]
    area_km: int = inputs["distance_area_km"]
    distance = city_km + area_km
    odometer_after = start.odometer + distance
    _check_odometer(start.odometer, odometer_after)
    fuel_used_city = city_km * norm.city_norm
    fuel_used_area = area_km * norm.area_norm
    return {
        "odometer_before": start.odometer,
        "fuel_before_departure": start.fuel,
        "distance_total_km": distance,
        "odometer_after": odometer_after,
        "fuel_used_city": fuel_used_city,
        "fuel_used_area": fuel_used_area,
        "fuel_used_normal": fuel_used_city + fuel_used_area,
        "fuel_on_return": _balance(start, inputs["fuel_used"], inputs["fuel_refueled"]),
    }


def fire_truck(inputs: dict[str, Any], norm: Any, start: State) -> dict[str, Any]:
    """Distance from the odometer times l/km, plus pump minutes with and without the pump times l/min."""
    odometer_after: int = inputs["odometer_after"]
    _check_odometer(start.odometer, odometer_after)
    distance = odometer_after - start.odometer
    by_distance = distance * norm.km_norm
    with_pump = inputs["time_with_pump"] * norm.with_pump_norm
    without_pump = inputs["time_without_pump"] * norm.without_pump_norm
    return {
        "odometer_before": start.odometer,
        "fuel_before_departure": start.fuel,
        "distance_km": distance,
        "fuel_used_by_distance": by_distance,
        "fuel_used_with_pump": with_pump,
        "fuel_used_without_pump": without_pump,
        "fuel_used_normal": by_distance + with_pump + without_pump,
        "fuel_on_return": _balance(start, inputs["fuel_used"], inputs["fuel_refueled"]),
    }
