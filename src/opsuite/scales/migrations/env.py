"""Alembic environment of the scales system."""

from opsuite.core.migrations import run_env
from opsuite.scales.tables import metadata

run_env(metadata)
