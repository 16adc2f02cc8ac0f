"""Wire shapes of reports."""

from __future__ import annotations

from pydantic import BaseModel


class SummaryOut(BaseModel):
    """Totals over a period: visits with at least one weighing, ENTRANCE and EXIT weights in kg."""

    total_trucks: int
    total_weight_in: float
    total_weight_out: float
