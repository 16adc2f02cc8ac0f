"""The dashboard: figures computed by a periodic job every 5 minutes and served from a cache."""
