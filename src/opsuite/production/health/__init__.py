"""The document's healthchecks."""
