"""The migration history builds exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from opsuite.core.db import Database
from opsuite.weighbridge.tables import metadata


def test_migrated_schema_matches_the_models(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert sorted(inspect(conn).get_table_names()) == [
            "actions",
            "alembic_version",
            "bridge_settings",
            "login_throttle",
            "photos",
            "products",
            "trucks",
            "users",
        ]
