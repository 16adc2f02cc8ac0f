"""Slot abnormal reports (notes §2.8): a cabinet's `0x83` events, read by admins in scope."""
