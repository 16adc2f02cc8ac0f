"""Batch reports: PDF and xlsx with three sections, stored for download, optionally e-mailed."""
