"""Shared by every system; imports no system."""
