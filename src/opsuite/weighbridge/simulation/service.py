"""The simulator control API's rules: drive the simulated site; 404 when this process runs none."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from opsuite.weighbridge.errors import BadRequest, NotFound
from opsuite.weighbridge.process import anpr
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.simulation.schemas import FaultIn, SimulatorOut, TruckIn
from opsuite.weighbridge.simulation.site import SimulatedSite, UnknownFault

NOT_RUNNING = "Симуляторы не запущены в этом процессе"


def running(site: SimulatedSite | None) -> SimulatedSite:
    """The simulated site, if it runs here (404 otherwise)."""
    if site is None or not site.running:
        raise NotFound(NOT_RUNNING)
    return site


def truck_arrives(
    session: Session, site: SimulatedSite, bridge: Bridge | None, *, truck: TruckIn, now: datetime
) -> SimulatorOut:
    """Put a truck on the platform; with `anpr`, hand its plate to the ANPR receiver as a camera would."""
    if truck.anpr and not truck.truck_number:
        raise BadRequest("Для ANPR нужен truck_number")
    site.truck_on(truck.weight)
    read = None
    if truck.anpr and bridge is not None:
        read = anpr.receive(session, bridge, plate=truck.truck_number, now=now).model_dump()
    return view(site, anpr_read=read)


def truck_leaves(site: SimulatedSite) -> SimulatorOut:
    """Empty the platform."""
    site.truck_off()
    return view(site)


def inject(site: SimulatedSite, fault: FaultIn) -> SimulatorOut:
    """Make a device misbehave, or heal it (`none` / `ok`); 400 for a fault the device does not have."""
    try:
        site.fault(fault.device, fault.fault)
    except UnknownFault as error:
        raise BadRequest(str(error)) from None
    return view(site)


def view(site: SimulatedSite, *, anpr_read: dict[str, object] | None = None) -> SimulatorOut:
    """The site as the control API shows it."""
    return SimulatorOut(
        weight=site.indicator.kg,
        sensors=[int(active) for active in site.modbus.inputs[:3]],
        coils=[int(on) for on in site.modbus.coils[:8]],
        faults={
            "indicator": site.indicator.fault,
            "modbus": site.modbus.fault,
            "camera_1": site.cameras[1].mode,
            "camera_2": site.cameras[2].mode,
        },
        anpr=anpr_read,
    )
