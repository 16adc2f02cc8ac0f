"""The two kinds of vehicle, each described once: its tables, its arithmetic and its messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from opsuite.waybills import messages
from opsuite.waybills.fleet.models import (
    FireTruck,
    FireTruckNorm,
    FireTruckOdometerFuel,
    PassengerCar,
    PassengerCarNorm,
    PassengerCarOdometerFuel,
)
from opsuite.waybills.fuel import calculator
from opsuite.waybills.roles.flags import Flags
from opsuite.waybills.sheets.models import (
    FireTruckRecord,
    FireTruckWaybill,
    PassengerCarRecord,
    PassengerCarWaybill,
)


@dataclass(frozen=True)
class VehicleKind:
    """Everything that differs between passenger cars and fire trucks."""

    # The model classes are typed Any: code that serves both kinds reads their shared columns.
    name: str
    car: Any
    norm: Any
    state: Any
    waybill: Any
    record: Any
    waybill_field: str  # the record's waybill field in its schemas
    record_inputs: tuple[str, ...]  # inputs that the arithmetic reads
    record_outputs: tuple[str, ...]  # fields the arithmetic writes
    calculate: Callable[[dict[str, Any], Any, calculator.State], dict[str, Any]]
    no_start_message: str
    slug: str  # route stem: passenger-car-norms/, fire-truck-norms/, ...
    cars_slug: str
    car_flags: Flags  # the original gates states by these too
    norm_flags: Flags
    waybill_flags: Flags
    record_flags: Flags  # the original lists records with the waybill view flag
    download_flag: str
    title: str

    @property
    def counter(self) -> str:
        """Name of this kind's waybill number counter."""
        return f"{self.name}_waybill_number"


_COMMON_OUTPUTS = ("odometer_before", "fuel_before_departure", "fuel_used_normal", "fuel_on_return")

PASSENGER = VehicleKind(
    name="passenger_car",
    car=PassengerCar,
    norm=PassengerCarNorm,
    state=PassengerCarOdometerFuel,
    waybill=PassengerCarWaybill,
    record=PassengerCarRecord,
    waybill_field="passenger_car_waybill",
    record_inputs=("distance_city_km", "distance_area_km", "fuel_refueled", "fuel_used"),
    record_outputs=(
        *_COMMON_OUTPUTS,
        "odometer_after",
        "distance_total_km",
        "fuel_used_city",
        "fuel_used_area",
    ),
    calculate=calculator.passenger,
    no_start_message=messages.NO_START_PASSENGER,
    slug="passenger-car",
    cars_slug="passenger-cars",
    car_flags=Flags(
        "view_passenger_cars",
        "can_create_passenger_cars",
        "can_update_passenger_cars",
        "can_delete_passenger_cars",
    ),
    norm_flags=Flags(
        "view_passenger_cars_norms",
        "can_create_passenger_cars_norms",
        "can_update_passenger_cars_norms",
        "can_delete_passenger_cars_norms",
    ),
    waybill_flags=Flags(
        "view_passenger_cars_waybills",
        "can_create_passenger_cars_waybills",
        "can_update_passenger_cars_waybills",
        "can_delete_passenger_cars_waybills",
    ),
    record_flags=Flags(
        "view_passenger_cars_waybills",
        "can_create_passenger_cars_waybills_records",
        "can_update_passenger_cars_waybills_records",
        "can_delete_passenger_cars_waybills_records",
    ),
    download_flag="can_download_passenger_cars_waybills",
    title="Легковой автомобиль",
)

FIRE_TRUCK = VehicleKind(
    name="fire_truck",
    car=FireTruck,
    norm=FireTruckNorm,
    state=FireTruckOdometerFuel,
    waybill=FireTruckWaybill,
    record=FireTruckRecord,
    waybill_field="fire_truck_waybill",
    record_inputs=("odometer_after", "time_with_pump", "time_without_pump", "fuel_refueled", "fuel_used"),
    record_outputs=(
        *_COMMON_OUTPUTS,
        "distance_km",
        "fuel_used_by_distance",
        "fuel_used_with_pump",
        "fuel_used_without_pump",
    ),
    calculate=calculator.fire_truck,
    no_start_message=messages.NO_START_FIRE,
    slug="fire-truck",
    cars_slug="fire-trucks",
    car_flags=Flags(
        "view_fire_trucks", "can_create_fire_trucks", "can_update_fire_trucks", "can_delete_fire_trucks"
    ),
    norm_flags=Flags(
        "view_fire_truck_norms",
        "can_create_fire_truck_norms",
        "can_update_fire_truck_norms",
        "can_delete_fire_truck_norms",
    ),
    waybill_flags=Flags(
        "view_fire_truck_waybills",
        "can_create_fire_truck_waybills",
        "can_update_fire_truck_waybills",
        "can_delete_fire_truck_waybills",
    ),
    record_flags=Flags(
        "view_fire_truck_waybills",
        "can_create_fire_truck_waybills_records",
        "can_update_fire_truck_waybills_records",
        "can_delete_fire_truck_waybills_records",
    ),
    download_flag="can_download_fire_truck_waybills",
    title="Пожарный автомобиль",
)

KINDS = (PASSENGER, FIRE_TRUCK)
