"""Simulated weighbridge devices on 127.0.0.1: each has `async start() -> port` and `async stop()`."""
