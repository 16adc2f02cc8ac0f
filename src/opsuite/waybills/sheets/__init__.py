"""sheets domain."""
