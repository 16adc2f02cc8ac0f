"""`GET /api/background_tasks/{task_id}`: the jobs table seen through the document's Celery words."""
