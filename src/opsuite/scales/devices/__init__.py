"""Scale device layer: the interface, the Mertech TCP driver, a simulator and an in-memory fake."""
