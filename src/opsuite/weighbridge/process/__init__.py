"""The weighing process: the state machine, the bridge that owns the devices, and the visits it records."""
