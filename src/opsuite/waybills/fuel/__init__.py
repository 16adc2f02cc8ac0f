"""fuel domain."""
