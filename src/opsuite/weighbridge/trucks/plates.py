"""A truck number's key is core's plate rule; this name stays for process/visits.py, written against it."""

from opsuite.core.plates import plate_key as number_key

__all__ = ["number_key"]
