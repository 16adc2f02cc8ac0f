"""The production system's jobs: tables, the task registry every domain adds to, and the job status route."""
