"""Webhook subscriptions, their deliveries (the core outbox) and the test receiver."""
