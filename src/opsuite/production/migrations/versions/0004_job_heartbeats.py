"""Jobs: a heartbeat per running attempt, and a checkpoint of what a resumable task has done.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

from opsuite.core.schema_steps import add_job_heartbeats, drop_job_heartbeats

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_job_heartbeats()


def downgrade() -> None:
    drop_job_heartbeats()
