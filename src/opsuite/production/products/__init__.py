"""Products: marked units with a globally unique code, aggregated (packed) one by one or per batch."""
