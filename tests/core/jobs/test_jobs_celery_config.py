"""The Celery app's configuration, beat entries and runner choice; no broker needed (nothing is sent)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.core.jobs import celery_toy

from opsuite.core.jobs import (
    CeleryRunner,
    CelerySettings,
    InProcessRunner,
    beat_schedule,
    build_runner,
    make_celery,
    schedule_entries,
    uses_celery,
)
from opsuite.core.jobs.celery_engine import engine_of

BROKER = "redis://127.0.0.1:1/0"  # never contacted by these tests


def _config(tmp_path: Path) -> celery_toy.ToyConfig:
    return celery_toy.ToyConfig(system="toyconf", db_url=f"sqlite:///{tmp_path / 't.sqlite3'}", dir=tmp_path)


def test_the_app_is_configured_for_late_acks_json_and_the_system_queue(tmp_path: Path) -> None:
    built = []
    app = make_celery(
        "toyconf",
        BROKER,
        lambda: built.append(1) or celery_toy.jobs(_config(tmp_path)),
        settings=CelerySettings(visibility_timeout=42),
        schedule_file=tmp_path / "beat",
    )

    conf = app.conf
    assert (conf.task_serializer, conf.accept_content, conf.result_serializer) == ("json", ["json"], "json")
    assert (conf.task_acks_late, conf.task_reject_on_worker_lost, conf.worker_prefetch_multiplier) == (
        True,
        True,
        1,
    )
    assert (conf.task_ignore_result, conf.broker_connection_retry_on_startup) == (True, True)
    assert conf.broker_transport_options == {"visibility_timeout": 42}
    assert (conf.task_default_queue, conf.worker_hijack_root_logger) == ("toyconf", False)
    assert conf.beat_schedule_filename == str(tmp_path / "beat")
    assert sorted(name for name in app.tasks if name.startswith("opsuite.")) == [
        "opsuite.toyconf.fire_periodic",
        "opsuite.toyconf.maintain",
        "opsuite.toyconf.run_job",
    ]
    assert built == []  # the setup is built only where a task runs
    assert engine_of(app).register_functions() == ["opsuite.toyconf.fn.toy.write"]
    assert built == [1]
    assert "opsuite.toyconf.fn.toy.write" in app.tasks
    engine_of(app).setup()
    assert built == [1]  # once per process
    # On a worker, jobs that tasks enqueue are sent to the broker too.
    assert isinstance(engine_of(app).setup().queue.runner, CeleryRunner)


def test_the_default_visibility_timeout_is_300_seconds(monkeypatch) -> None:
    monkeypatch.delenv("OPSUITE_CELERY_VISIBILITY_TIMEOUT", raising=False)
    assert CelerySettings().visibility_timeout == 300.0


def test_beat_entries_equal_the_registry_periodic_tasks_plus_maintenance(tmp_path: Path) -> None:
    setup = celery_toy.jobs(_config(tmp_path))
    app = make_celery("toyconf", BROKER, lambda: setup, settings=CelerySettings(maintenance_every=60))

    expected = {
        "periodic:toy.tick": {
            "task": "opsuite.toyconf.fire_periodic",
            "schedule": timedelta(hours=1),
            "args": ["toy.tick"],
            "options": {"queue": "toyconf", "expires": 3600.0},
        },
        "periodic:toy.daily": {
            "task": "opsuite.toyconf.fire_periodic",
            "schedule": timedelta(days=1),
            "args": ["toy.daily"],
            "options": {"queue": "toyconf", "expires": 86400.0},
        },
        "jobs:maintenance": {
            "task": "opsuite.toyconf.maintain",
            "schedule": timedelta(minutes=1),
            "args": [],
            "options": {"queue": "toyconf", "expires": 60.0},
        },
    }
    assert beat_schedule(app) == expected
    assert schedule_entries("toyconf", setup.registry, timedelta(minutes=1)) == expected
    assert [f"periodic:{task.name}" for task in setup.registry.periodic_tasks] == list(expected)[:2]


def test_build_runner_picks_celery_only_with_a_redis_url(tmp_path: Path) -> None:
    setup = celery_toy.jobs(_config(tmp_path))

    in_process = build_runner(setup, None, max_workers=3)
    celery = build_runner(setup, BROKER)

    assert (uses_celery(None), uses_celery(""), uses_celery(BROKER)) == (False, False, True)
    assert isinstance(in_process, InProcessRunner)
    assert (in_process.max_workers, in_process.job_model) == (3, celery_toy.Job)
    assert isinstance(celery, CeleryRunner)
    assert (celery.system, celery.job_model, celery.app.conf.broker_url) == (
        "toyconf",
        celery_toy.Job,
        BROKER,
    )
    assert engine_of(celery.app).setup() is setup
