"""Dashboard figures: computed by a periodic job, served from the `dashboard_cache` row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.production.analytics.models import CachedFigures
from opsuite.production.batches.models import Batch
from opsuite.production.products.models import Product

DASHBOARD = "dashboard"


def compute(session: Session) -> dict[str, Any]:
    """The figures now: batches, open batches, products, aggregated products and their share (2 dp)."""
    total_batches, active_batches = session.execute(
        select(func.count(), func.coalesce(func.sum(case((Batch.is_closed.is_(False), 1), else_=0)), 0))
    ).one()
    total_products, aggregated_products = session.execute(
        select(func.count(), func.coalesce(func.sum(case((Product.is_aggregated.is_(True), 1), else_=0)), 0))
    ).one()
    rate = round(aggregated_products / total_products * 100, 2) if total_products else 0.0
    return {
        "total_batches": int(total_batches),
        "active_batches": int(active_batches),
        "total_products": int(total_products),
        "aggregated_products": int(aggregated_products),
        "aggregation_rate": float(rate),
    }


def refresh(database: Database, *, now: datetime) -> dict[str, Any]:
    """Compute the figures and store them as the cached dashboard; returns what the route serves."""
    with database.session() as session:
        figures = compute(session)
        # merge() is an upsert by primary key; writers are serialised (row lock / SQLite write lock).
        session.merge(CachedFigures(name=DASHBOARD, figures=figures, cached_at=now))
    return {**figures, "cached_at": now}


def dashboard(database: Database, *, now: datetime) -> dict[str, Any]:
    """The cached dashboard; on a cold cache, computed and stored first."""
    with database.session(write=False) as session:
        cached = session.get(CachedFigures, DASHBOARD)
        if cached is not None:
            return {**cached.figures, "cached_at": cached.cached_at}
    return refresh(database, now=now)
