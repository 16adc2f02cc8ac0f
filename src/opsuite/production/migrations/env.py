"""Alembic environment of the production system."""

from opsuite.core.migrations import run_env
from opsuite.production.tables import metadata

run_env(metadata)
