"""The simulated site `opsuite serve` starts, and the control API that drives it."""
