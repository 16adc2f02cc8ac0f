"""The simulator control API (`/api/simulator/cabinets`): what a person does at a demo cabinet, by HTTP.

Service admins only; the simulators exist only where `opsuite serve` started them (setting `simulators`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.borrow.router import BorrowCaller
from opsuite.powerbank.deps import RuntimeDep
from opsuite.powerbank.devices.simulator import CabinetSimulator, Fault
from opsuite.powerbank.envelope import ok
from opsuite.powerbank.errors import BadRequest, NotFound, error_responses
from opsuite.powerbank.runtime import Runtime

SERIAL_PATTERN = r"^[0-9A-Fa-f]{16}$"
"""A bank's id as the cabinet reads it: 16 hex digits (notes §2.1)."""
router = APIRouter(prefix="/api/simulator/cabinets", tags=["Симулятор станций"])
BoxPath = Annotated[str, Path(min_length=1, max_length=64)]

NO_SIMULATOR = "Симулятор станции {box_id} не запущен"
NO_SUCH_SLOT = "В станции {box_id} нет слота {slot}"
SLOT_TAKEN = "Слот {slot} занят"
INSERTED = "Повербанк вставлен"
PULLED = "Повербанк извлечен"
FAULT_SET = "Поведение симулятора изменено"


class Insert(BaseModel):
    slot_number: int = Field(ge=1, le=255)
    serial_number: str = Field(pattern=SERIAL_PATTERN)


class Pull(BaseModel):
    slot_number: int = Field(ge=1, le=255)


class FaultChange(BaseModel):
    fault: Fault
    slot_number: int | None = Field(default=None, ge=1, le=255)


def cabinet_row(simulator: CabinetSimulator) -> dict[str, Any]:
    """`{box_id, logged_in, fault, slots, jammed, banks:[{slot_number, serial_number, level}]}`."""
    state = simulator.state
    return {
        "box_id": simulator.box_id,
        "logged_in": simulator.logged_in,
        "fault": simulator.fault.value,
        "slots": state.slots_num,
        "jammed": sorted(state.jammed),
        "banks": [
            {"slot_number": slot, "serial_number": bank.powerbank_id, "level": bank.level}
            for slot, bank in sorted(state.banks.items())
        ],
    }


def _simulator(runtime: Runtime, caller: Caller, box_id: str, slot: int | None = None) -> CabinetSimulator:
    access.require(caller, Permission.SERVICE)
    simulator = runtime.simulators.get(box_id)
    if simulator is None:
        raise NotFound(NO_SIMULATOR.format(box_id=box_id))
    if slot is not None and slot > simulator.state.slots_num:
        raise BadRequest(NO_SUCH_SLOT.format(box_id=box_id, slot=slot))
    return simulator


@router.get("", responses=error_responses(401, 403), summary="Запущенные симуляторы станций")
async def list_cabinets(runtime: RuntimeDep, caller: BorrowCaller) -> dict[str, Any]:
    access.require(caller, Permission.SERVICE)
    rows = [cabinet_row(sim) for _box, sim in sorted(runtime.simulators.by_box.items())]
    return ok(rows, None, count=len(rows))


@router.post("/{box_id}/insert", responses=error_responses(400, 401, 403, 404), summary="Вставить повербанк")
async def insert_bank(
    box_id: BoxPath, body: Insert, runtime: RuntimeDep, caller: BorrowCaller
) -> dict[str, Any]:
    simulator = _simulator(runtime, caller, box_id, body.slot_number)
    if body.slot_number in simulator.state.banks:
        raise BadRequest(SLOT_TAKEN.format(slot=body.slot_number))
    result = await simulator.insert(body.slot_number, body.serial_number.upper())
    return ok({"box_id": box_id, "slot_number": body.slot_number, "result": result}, INSERTED)


@router.post("/{box_id}/pull", responses=error_responses(400, 401, 403, 404), summary="Извлечь повербанк")
async def pull_bank(box_id: BoxPath, body: Pull, runtime: RuntimeDep, caller: BorrowCaller) -> dict[str, Any]:
    simulator = _simulator(runtime, caller, box_id, body.slot_number)
    await simulator.pull(body.slot_number)
    return ok({"box_id": box_id, "slot_number": body.slot_number}, PULLED)


@router.post("/{box_id}/fault", responses=error_responses(400, 401, 403, 404), summary="Неисправность")
async def set_fault(
    box_id: BoxPath, body: FaultChange, runtime: RuntimeDep, caller: BorrowCaller
) -> dict[str, Any]:
    simulator = _simulator(runtime, caller, box_id, body.slot_number)
    simulator.set_fault(body.fault, body.slot_number)
    return ok(cabinet_row(simulator), FAULT_SET)
