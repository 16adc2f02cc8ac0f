"""The domain side of the cabinets: commands from any API worker, events from the gateway to the database."""
