"""Template databases for tests: migrate once, seed once, then give each test a copy.

SQLite: a file copy. PostgreSQL: `CREATE DATABASE … TEMPLATE` (~0.3–1 s here). Seeding the template
(an administrator, users) spares every test a password hash.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from opsuite.core.migrations import upgrade
from tests.conftest import POSTGRES_ENV, database_backend

Seed = Callable[[str], None]
_counter = itertools.count()


class SqliteTemplate:
    """A migrated, seeded SQLite file; each test gets a copy."""

    def __init__(self, directory: Path, package: str, seed: Seed) -> None:
        self.directory = directory
        self.path = directory / "template.sqlite3"
        url = f"sqlite:///{self.path}"
        upgrade(package, url)
        seed(url)

    def new(self) -> str:
        target = self.directory / f"test-{next(_counter)}.sqlite3"
        shutil.copyfile(self.path, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(make_url(url).database) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresTemplate:
    """A migrated, seeded PostgreSQL database; each test gets `CREATE DATABASE … TEMPLATE` of it."""

    def __init__(self, server_url: str, package: str, seed: Seed) -> None:
        self.server = make_url(server_url)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.stem = f"opsuite_{package.rsplit('.', 1)[-1][:8]}"
        self.name = f"{self.stem}_tpl_{uuid.uuid4().hex[:8]}"
        self._execute(f'CREATE DATABASE "{self.name}"')
        url = self.server.set(database=self.name).render_as_string(hide_password=False)
        upgrade(package, url)
        seed(url)

    def new(self) -> str:
        name = f"{self.stem}_{uuid.uuid4().hex[:10]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.dispose()

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))


def template_for(tmp_path_factory: pytest.TempPathFactory, package: str, seed: Seed) -> Iterator[Any]:
    """The body of a session fixture: this run's backend, migrated with `package` and seeded."""
    if database_backend() == "postgres":
        made: Any = PostgresTemplate(os.environ[POSTGRES_ENV], package, seed)
    else:
        made = SqliteTemplate(tmp_path_factory.mktemp(package.rsplit(".", 1)[-1]), package, seed)
    yield made
    made.close()
