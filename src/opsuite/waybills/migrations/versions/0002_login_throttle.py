"""Login throttle: attempt counters by hashed key, used when no Redis is configured."""

from opsuite.core import schema_steps

revision = "0002"
down_revision = "0001"
upgrade = schema_steps.create_login_throttle
downgrade = schema_steps.drop_login_throttle
