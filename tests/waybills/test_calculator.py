"""The arithmetic of one trip: exact to 3 places for any inputs, and the rules it refuses."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opsuite.waybills.fuel.calculator import RuleViolation, State, fire_truck, passenger

milli = st.integers(0, 999_999).map(lambda n: Decimal(n).scaleb(-3))
norm3 = st.integers(0, 9_999).map(lambda n: Decimal(n).scaleb(-3))


@given(city=st.integers(0, 1000), area=st.integers(0, 1000), city_norm=norm3, area_norm=norm3,
       used=milli, refueled=milli, odometer=st.integers(0, 990_000), fuel=milli)  # fmt: skip
def test_passenger_values_are_exact_thousandths(
    city: int, area: int, city_norm: Decimal, area_norm: Decimal, used: Decimal, refueled: Decimal, odometer: int,
    fuel: Decimal,
) -> None:  # fmt: skip
    norm = SimpleNamespace(city_norm=city_norm, area_norm=area_norm)
    inputs = {
        "distance_city_km": city,
        "distance_area_km": area,
        "fuel_used": used,
        "fuel_refueled": refueled,
    }
    if fuel - used + refueled < 0:
        with pytest.raises(RuleViolation) as caught:
            passenger(inputs, norm, State(odometer, fuel))
        assert caught.value.code == "negative_fuel"
        return
    out = passenger(inputs, norm, State(odometer, fuel))
    assert out["odometer_after"] == odometer + city + area
    assert out["fuel_used_normal"] == out["fuel_used_city"] + out["fuel_used_area"]
    assert out["fuel_on_return"] == fuel - used + refueled
    for name in ("fuel_used_city", "fuel_used_area", "fuel_used_normal", "fuel_on_return"):
        assert out[name] == out[name].quantize(Decimal("0.001"))  # nothing beyond the third place


@given(distance=st.integers(0, 2000), with_pump=st.integers(0, 2000), without_pump=st.integers(0, 2000),
       km=norm3, pump=norm3, idle=norm3)  # fmt: skip
def test_fire_truck_normal_fuel_is_the_sum_of_its_parts(
    distance: int, with_pump: int, without_pump: int, km: Decimal, pump: Decimal, idle: Decimal
) -> None:
    norm = SimpleNamespace(km_norm=km, with_pump_norm=pump, without_pump_norm=idle)
    inputs = {"odometer_after": 10_000 + distance, "time_with_pump": with_pump, "time_without_pump": without_pump,
              "fuel_used": Decimal("0.000"), "fuel_refueled": Decimal("0.000")}  # fmt: skip
    out = fire_truck(inputs, norm, State(10_000, Decimal("100.000")))
    assert out["distance_km"] == distance
    assert out["fuel_used_normal"] == distance * km + with_pump * pump + without_pump * idle
    assert out["fuel_on_return"] == Decimal("100.000")


@pytest.mark.parametrize(
    ("after", "code"), [(9_999, "odometer_backwards"), (12_001, "odometer_jump")]
)  # fmt: skip
def test_fire_truck_odometer_rules(after: int, code: str) -> None:
    norm = SimpleNamespace(km_norm=Decimal("0.1"), with_pump_norm=Decimal(0), without_pump_norm=Decimal(0))
    inputs = {"odometer_after": after, "time_with_pump": 0, "time_without_pump": 0, "fuel_used": Decimal(0),
              "fuel_refueled": Decimal(0)}  # fmt: skip
    with pytest.raises(RuleViolation) as caught:
        fire_truck(inputs, norm, State(10_000, Decimal("1.000")))
    assert (caught.value.code, caught.value.values) == (code, {"before": 10_000, "after": after})


def test_passenger_jump_over_2000_km_and_odometer_limit() -> None:
    norm = SimpleNamespace(city_norm=Decimal("0.1"), area_norm=Decimal("0.1"))
    trip = {
        "distance_city_km": 1500,
        "distance_area_km": 501,
        "fuel_used": Decimal(0),
        "fuel_refueled": Decimal(0),
    }
    with pytest.raises(RuleViolation) as caught:
        passenger(trip, norm, State(1000, Decimal("500.000")))
    assert caught.value.code == "odometer_jump"
    with pytest.raises(RuleViolation) as limit:
        passenger({**trip, "distance_area_km": 0}, norm, State(999_000, Decimal("500.000")))
    assert limit.value.code == "odometer_limit"
