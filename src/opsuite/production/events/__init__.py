"""Event types (`GET /api/events`) and `emit`, which turns a domain event into webhook deliveries."""
