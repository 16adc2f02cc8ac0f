"""Every table of the waybills system, imported so that the metadata (and Alembic) sees them all."""

from opsuite.waybills.auth import models as auth_models
from opsuite.waybills.base import Base
from opsuite.waybills.fleet import models as fleet_models
from opsuite.waybills.roles import models as roles_models
from opsuite.waybills.sheets import models as sheets_models
from opsuite.waybills.users import models as users_models

metadata = Base.metadata
__all__ = ["auth_models", "fleet_models", "metadata", "roles_models", "sheets_models", "users_models"]
