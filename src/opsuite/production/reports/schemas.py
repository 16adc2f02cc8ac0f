"""The report answer."""

from __future__ import annotations

from pydantic import BaseModel

from opsuite.production.common.schemas import examples


class ReportOut(BaseModel):
    """Where the report lies and how to download it."""

    model_config = examples(
        {
            "report_path": "/reports/550e8400-e29b-41d4-a716-446655440000.pdf",
            "download_url": "/api/reports/550e8400-e29b-41d4-a716-446655440000",
        }
    )

    report_path: str
    download_url: str
