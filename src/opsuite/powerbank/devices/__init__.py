"""The cabinets: their binary TCP protocol, the gateway owning their connections, a simulator, a fake."""
