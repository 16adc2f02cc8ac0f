"""Jobs: a heartbeat per running attempt, and a checkpoint of what a resumable task has done."""

from opsuite.core import schema_steps

revision = "0004"
down_revision = "0003"
upgrade = schema_steps.add_job_heartbeats
downgrade = schema_steps.drop_job_heartbeats
