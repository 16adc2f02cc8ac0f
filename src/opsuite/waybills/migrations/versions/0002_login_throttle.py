"""Login throttle: attempt counters by hashed key, used when no Redis is configured.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 17:45:00.000000
"""

from collections.abc import Sequence

from opsuite.core.schema_steps import create_login_throttle, drop_login_throttle

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_login_throttle()


def downgrade() -> None:
    drop_login_throttle()
