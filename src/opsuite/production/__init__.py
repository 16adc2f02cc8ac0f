"""Production control: batches, marked products and their aggregation, jobs, files and signed webhooks."""
