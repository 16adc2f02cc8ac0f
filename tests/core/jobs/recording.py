"""A job runner that only remembers the ids it was handed."""

from __future__ import annotations


class RecordingRunner:
    """Records submitted job ids; starting and stopping it does nothing."""

    def __init__(self) -> None:
        self.submitted: list[str] = []

    def submit(self, job_id: str) -> None:
        self.submitted.append(job_id)

    def start(self) -> None:
        pass

    def shutdown(self, wait: bool = True) -> None:
        pass
