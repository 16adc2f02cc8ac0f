"""Every table of the weighbridge, imported so that the metadata (and Alembic) sees them all."""

from opsuite.weighbridge.base import Base
from opsuite.weighbridge.bridge_settings import models as bridge_settings_models
from opsuite.weighbridge.products import models as products_models
from opsuite.weighbridge.trucks import models as trucks_models
from opsuite.weighbridge.users import models as users_models

metadata = Base.metadata
__all__ = ["bridge_settings_models", "metadata", "products_models", "trucks_models", "users_models"]
