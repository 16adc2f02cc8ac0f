"""Every table of the powerbank system, imported so that the metadata (and Alembic) sees them all."""

from opsuite.powerbank.audit import models as audit_models
from opsuite.powerbank.base import Base
from opsuite.powerbank.commands import models as commands_models
from opsuite.powerbank.jobs import models as jobs_models
from opsuite.powerbank.orders import models as orders_models
from opsuite.powerbank.org_units import models as org_units_models
from opsuite.powerbank.powerbanks import models as powerbanks_models
from opsuite.powerbank.reports import models as reports_models
from opsuite.powerbank.stations import models as stations_models
from opsuite.powerbank.users import models as users_models

metadata = Base.metadata
__all__ = [
    "audit_models",
    "commands_models",
    "jobs_models",
    "metadata",
    "orders_models",
    "org_units_models",
    "powerbanks_models",
    "reports_models",
    "stations_models",
    "users_models",
]
