"""Every table of the production system, imported so that the metadata (and Alembic) sees them all."""

from opsuite.production.analytics import models as analytics_models
from opsuite.production.apikeys import models as apikeys_models
from opsuite.production.base import Base
from opsuite.production.batches import models as batches_models
from opsuite.production.events import models as events_models
from opsuite.production.files import models as files_models
from opsuite.production.jobs import models as jobs_models
from opsuite.production.products import models as products_models
from opsuite.production.webhooks import models as webhooks_models
from opsuite.production.work_centers import models as work_centers_models

metadata = Base.metadata
__all__ = [
    "analytics_models",
    "apikeys_models",
    "batches_models",
    "events_models",
    "files_models",
    "jobs_models",
    "metadata",
    "products_models",
    "webhooks_models",
    "work_centers_models",
]
