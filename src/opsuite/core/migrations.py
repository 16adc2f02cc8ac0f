"""Alembic, one history per system: `<system>/migrations` holds env.py and versions/."""

from __future__ import annotations

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool

from opsuite.core.db import is_sqlite, make_engine


def alembic_config(package: str, url: str) -> Config:
    """An Alembic config for the system package `package` (e.g. `opsuite.waybills`) and `url`."""
    cfg = Config()
    cfg.set_main_option("script_location", f"{package}:migrations")
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["database_url"] = url
    return cfg


def upgrade(package: str, url: str, revision: str = "head") -> None:
    """Apply the system's migrations up to `revision`."""
    command.upgrade(alembic_config(package, url), revision)


def run_env(metadata: MetaData) -> None:
    """The body of every system's env.py: online migrations against the configured URL."""
    url = context.config.attributes.get("database_url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to Alembic")
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=is_sqlite(url),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
