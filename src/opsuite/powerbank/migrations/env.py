"""Alembic environment of the powerbank system."""

from opsuite.core.migrations import run_env
from opsuite.powerbank.tables import metadata

run_env(metadata)
