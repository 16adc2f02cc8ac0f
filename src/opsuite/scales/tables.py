"""Every table of the scales system, imported so that the metadata (and Alembic) sees them all."""

from opsuite.scales.autoupdate import models as autoupdate_models
from opsuite.scales.base import Base
from opsuite.scales.fleet import models as fleet_models
from opsuite.scales.jobs import models as jobs_models
from opsuite.scales.oplog import models as oplog_models
from opsuite.scales.users import models as users_models

metadata = Base.metadata
__all__ = ["autoupdate_models", "fleet_models", "jobs_models", "metadata", "oplog_models", "users_models"]
