"""The simulator control API runs on the same simulated app as the process routes."""

from tests.weighbridge.process.conftest import app, bridge, site

__all__ = ["app", "bridge", "site"]
