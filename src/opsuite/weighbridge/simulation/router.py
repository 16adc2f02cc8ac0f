"""The simulator control API (not in the document): drive a truck on and off, inject device faults."""

from __future__ import annotations

from fastapi import APIRouter

from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.simulation import service
from opsuite.weighbridge.simulation.schemas import FaultIn, SimulatorOut, TruckIn

router = APIRouter(prefix="/simulator", tags=["simulator"])


@router.post(
    "/truck", response_model=SimulatorOut, responses=error_responses(400, 401, 404), summary="Машина заезжает"
)
def truck_arrives(
    body: TruckIn, _user: CurrentUser, session: SessionDep, runtime: RuntimeDep
) -> SimulatorOut:
    """Вес на платформе и средний датчик; с `anpr: true` камера въезда «читает» номер."""
    site = service.running(runtime.site)
    bridge = runtime.bridge if isinstance(runtime.bridge, Bridge) else None
    return service.truck_arrives(session, site, bridge, truck=body, now=runtime.clock.now())


@router.post(
    "/truck/leave", response_model=SimulatorOut, responses=error_responses(401, 404), summary="Машина уезжает"
)
def truck_leaves(_user: CurrentUser, runtime: RuntimeDep) -> SimulatorOut:
    return service.truck_leaves(service.running(runtime.site))


@router.post(
    "/fault", response_model=SimulatorOut, responses=error_responses(400, 401, 404), summary="Неисправность"
)
def inject_fault(body: FaultIn, _user: CurrentUser, runtime: RuntimeDep) -> SimulatorOut:
    """`none`/`ok` снимает неисправность."""
    return service.inject(service.running(runtime.site), body)
