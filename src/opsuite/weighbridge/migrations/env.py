"""Alembic environment of the weighbridge system."""

from opsuite.core.migrations import run_env
from opsuite.weighbridge.tables import metadata

run_env(metadata)
