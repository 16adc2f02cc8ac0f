"""The 11 documented event types (the migration seeds the same list into `event_types`)."""

from __future__ import annotations

EVENT_TYPES: dict[str, str] = {
    "batch.created": "Событие создания партии",
    "batch.closed": "Событие закрытия партии",
    "batch.opened": "Событие открытия партии",
    "batch.product_added": "Событие добавления продукта в партию",
    "batch.product_removed": "Событие удаления продукта из партии",
    "batch.aggregated": "Событие агрегации партии",
    "batch.deleted": "Событие удаления партии",
    "batch.report_generated": "Событие генерации отчёта по партии",
    "product.aggregated": "Событие агрегации продукта",
    "work_center.deleted": "Событие удаления рабочего центра",
    "batch.import_completed": "Событие завершения импорта партий",
}
