"""Fleet waybills: cars and fire trucks, fuel norms, the odometer/fuel chain, waybills and their records."""
