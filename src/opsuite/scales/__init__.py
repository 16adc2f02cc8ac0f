"""Retail label scales (Mertech M-ER 725): devices, product cache, push and auto-update."""
