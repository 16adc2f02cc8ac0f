"""Stored files: generated reports and exports, uploaded imports; download and retention."""
