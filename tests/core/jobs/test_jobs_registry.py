"""Registering tasks and periodic tasks by name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from opsuite.core.jobs import DEFAULT_RESULT_TTL, PeriodicTask, TaskRegistry, UnknownTaskError


def test_task_is_registered_by_name_and_returned_unchanged() -> None:
    registry = TaskRegistry()

    @registry.task("system.export")
    def export(ctx, *, fmt):
        return fmt

    task = registry.get("system.export")
    assert task.fn is export
    assert task.result_ttl == DEFAULT_RESULT_TTL == timedelta(hours=24)
    assert "system.export" in registry
    assert [t.name for t in registry.tasks] == ["system.export"]
    assert registry.periodic_tasks == []


def test_duplicate_and_unknown_names_are_errors() -> None:
    registry = TaskRegistry()
    registry.task("a")(lambda ctx: None)
    with pytest.raises(ValueError, match="task 'a' is already registered"):
        registry.task("a")(lambda ctx: None)
    with pytest.raises(UnknownTaskError, match="no task named 'b'"):
        registry.get("b")


def test_periodic_registers_the_task_and_its_schedule() -> None:
    registry = TaskRegistry()

    @registry.periodic("scales.auto_update", every=timedelta(minutes=5), kwargs={"force": False})
    def auto_update(ctx, *, force):
        return force

    assert registry.get("scales.auto_update").fn is auto_update
    assert registry.periodic_tasks == [
        PeriodicTask("scales.auto_update", timedelta(minutes=5), {"force": False})
    ]


def test_periodic_needs_a_positive_interval() -> None:
    with pytest.raises(ValueError, match="positive interval"):
        TaskRegistry().periodic("p", every=timedelta(0))
