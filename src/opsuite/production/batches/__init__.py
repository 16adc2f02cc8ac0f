"""Batches (партии, сменные задания): create, filter, close and reopen, products, aggregation."""
