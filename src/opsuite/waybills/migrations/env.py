"""Alembic environment of the waybills system."""

from opsuite.core.migrations import run_env
from opsuite.waybills.tables import metadata

run_env(metadata)
