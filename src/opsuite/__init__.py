"""opsuite: five operations backends on one core."""
