"""Whether a system's database has the schema its code needs, said in one line when it has not."""

from __future__ import annotations

from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import pool
from sqlalchemy.engine import make_url

from opsuite.core.db import is_sqlite, make_engine
from opsuite.core.migrations import alembic_config


def schema_problem(package: str, url: str) -> str | None:
    """None when the database stands at the head of the system's history; else what is wrong."""
    where = make_url(url).render_as_string(hide_password=True)
    database = make_url(url).database
    if is_sqlite(url) and database and not Path(database).exists():
        return f"the database {where} does not exist yet"
    engine = make_engine(url, create_directory=False, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:  # any driver error: the database cannot be read
        return f"the database {where} does not answer: {type(exc).__name__}"
    finally:
        engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(package, url)).get_current_head()
    if current is None:
        return f"the database {where} has no schema yet"
    if current != head:
        return f"the database {where} is at revision {current}, this code needs {head}"
    return None
