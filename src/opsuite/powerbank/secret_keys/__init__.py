"""Station secret keys (notes §2.11): service admin only, encrypted at rest, never shown in full."""
