"""Production export and import of 100,000 batches, each as a ratio to the bare library in the same run.

* Export: `POST /api/batches/export?format=xlsx` through the app (TestClient, in-process job runner) until
  the job is SUCCESS, against writing the same rows (read back from the exported file, held in memory)
  with bare XlsxWriter `constant_memory` and `write_row`.
* Memory: the app runs in a child process. After start-up and a warm-up export of 0 rows its resident set
  (`/proc/self/statm`) is "idle"; a thread samples it every 20 ms while the 100k export runs, and the
  highest sample minus idle is "peak RSS over idle": the export's own growth. (The lifetime peak
  `ru_maxrss` cannot show it: start-up had already reached a higher peak, so it printed 0.0 MB.)
* Import: `POST /api/batches/import` of that file into an empty database until SUCCESS, against reading
  the same file with bare python-calamine (`to_python()` of the sheet). The import runs every row
  through the batch service (work center lookup, uniqueness check, savepoint, product rule, events).

The 100k batches (one product each, 100 work centers) are seeded with Core bulk inserts. The exported file
(about 13 MB, 1.1 million cells) is over the import's default limits, which stay as they are: 10 MB is the
document's upload cap and the unpacked/cell limits guard a shared server against zip bombs. The import
worker raises them, as an operator would for such a file (`OPSUITE_PRODUCTION_IMPORT_MAX_*`).
`OPSUITE_BENCH_PRODUCTION_ROWS` changes the row count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROWS = int(os.environ.get("OPSUITE_BENCH_PRODUCTION_ROWS", "100000"))
EXPORT_AIM = 1.3
IMPORT_AIM = 20.0
RSS_AIM_MB = 60.0
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _seed(url: str, rows: int) -> None:
    from sqlalchemy import insert

    from opsuite.core.db import Database
    from opsuite.production.batches.models import Batch
    from opsuite.production.products.models import Product
    from opsuite.production.work_centers.models import WorkCenter

    database = Database(url)
    centers = [
        {"uuid": uuid.uuid4(), "identifier": f"WC-{n:03d}", "name": f"Цех №{n}", "created_at": START}
        for n in range(100)
    ]
    with database.session() as session:
        session.execute(insert(WorkCenter), centers)
        for first in range(0, rows, 10_000):
            batches = []
            products = []
            for n in range(first, min(first + 10_000, rows)):
                batch_id = uuid.uuid4()
                day = START + dt.timedelta(days=n // 50)
                batches.append(
                    {
                        "uuid": batch_id,
                        "created_at": START,
                        "is_closed": False,
                        "task_description": "Розлив молока в пакеты 1 л",
                        "work_center_id": centers[n % 100]["uuid"],
                        "shift": str(n % 3 + 1),
                        "team": "Бригада А",
                        "batch_number": n + 1,
                        "batch_date": day.date(),
                        "nomenclature": "Молоко 3,2% 1 л",
                        "ekn_code": f"EKN-{n % 1000:04d}",
                        "shift_start": day + dt.timedelta(hours=8),
                        "shift_end": day + dt.timedelta(hours=20),
                    }
                )
                products.append(
                    {
                        "uuid": uuid.uuid4(),
                        "created_at": START,
                        "unique_code": f"0104607001234567215{n:013d}",
                        "batch_id": batch_id,
                        "is_aggregated": False,
                    }
                )
            session.execute(insert(Batch), batches)
            session.execute(insert(Product), products)
    database.dispose()


def _rss_mb() -> float:
    """The process's resident set now, in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


class _PeakSampler:
    """The highest resident set seen while the `with` block runs, sampled by a thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> _PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def _worker(mode: str, url: str, var_dir: str, source: str) -> None:
    """Child process: start the app, warm up, then run one export or import and print JSON figures."""
    from fastapi.testclient import TestClient

    from opsuite.production.app import create_app
    from opsuite.production.settings import ProductionSettings

    # The benchmark imports what it exported (100,000 rows: over the document's 10 MB, over 100 MB and 1.1
    # million cells unpacked), above the default import limits that guard a shared server: raised here.
    limits = {"import_max_bytes": 1 << 30, "import_max_unpacked_bytes": 1 << 30, "import_max_cells": 1 << 26}
    settings = ProductionSettings(
        database_url=url, scheduler_enabled=False, core={"var_dir": var_dir}, **limits
    )
    app = create_app(settings)
    with TestClient(app) as client:

        def wait(task_id: str) -> dict[str, Any]:
            # Joining the runner instead of polling keeps status requests from competing for the GIL.
            assert app.state.runner.join(3600)
            body: dict[str, Any] = client.get(f"/api/background_tasks/{task_id}").json()
            assert body["status"] == "SUCCESS", body
            return body

        if mode == "export":
            warm = client.post(
                "/api/batches/export", params={"format": "xlsx"}, json={"batch_number": 1_999_999_999}
            )
            wait(warm.json()["task_id"])
            idle = _rss_mb()
            started = time.perf_counter()
            with _PeakSampler() as sampler:
                task = client.post("/api/batches/export", params={"format": "xlsx"}).json()["task_id"]
                body = wait(task)
            seconds = time.perf_counter() - started
            result = body["result"]
            path = settings.files_path / result["file_id"][:2] / f"{result['file_id'].replace('-', '')}.xlsx"
            figures = {"seconds": seconds, "idle": idle, "peak": sampler.peak, "result": result}
            print(json.dumps({**figures, "path": str(path)}))
        else:
            warm = client.post("/api/batches/import", files={"file": ("w.csv", b"batch_number\n")})
            wait(warm.json()["task_id"])
            idle = _rss_mb()
            started = time.perf_counter()
            with _PeakSampler() as sampler, open(source, "rb") as handle:
                task = client.post("/api/batches/import", files={"file": ("batches.xlsx", handle)}).json()[
                    "task_id"
                ]
                body = wait(task)
            seconds = time.perf_counter() - started
            result = {k: v for k, v in body["result"].items() if k != "errors"}
            result["first_errors"] = body["result"]["errors"][:3]
            print(json.dumps({"seconds": seconds, "idle": idle, "peak": sampler.peak, "result": result}))


def _child(mode: str, url: str, var_dir: Path, source: str = "") -> dict[str, Any]:
    args = f"{mode!r}, {url!r}, {str(var_dir)!r}, {source!r}"
    code = f"from bench.production_files import _worker; _worker({args})"
    output = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    if output.returncode:
        raise RuntimeError(f"bench worker failed:\n{output.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(output.stdout.strip().splitlines()[-1])
    return figures


def _bare_xlsx(rows: list[list[Any]], path: Path) -> float:
    from xlsxwriter import Workbook

    started = time.perf_counter()
    workbook = Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    for index, row in enumerate(rows):
        sheet.write_row(index, 0, row)
    workbook.close()
    return time.perf_counter() - started


def _bare_calamine(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    elapsed = time.perf_counter() - started
    assert len(rows) == ROWS + 1
    return elapsed


def run() -> dict[str, float]:
    """Seed, export through the API, compare with bare XlsxWriter; import back, compare with bare calamine."""
    from python_calamine import CalamineWorkbook

    from opsuite.core.migrations import upgrade

    print(f"production files: {ROWS:,} batches (one product each), SQLite")
    with tempfile.TemporaryDirectory(prefix="opsuite-bench-files-") as tmp:
        root = Path(tmp)
        source_url = f"sqlite:///{root / 'source.sqlite3'}"
        upgrade("opsuite.production", source_url)
        started = time.perf_counter()
        _seed(source_url, ROWS)
        print(f"  seeded with Core bulk inserts in {time.perf_counter() - started:.1f} s")

        export = _child("export", source_url, root / "var-export")
        assert export["result"]["total"] == ROWS, export
        exported = Path(export["path"])
        print(f"  exported file: {exported.stat().st_size / 1e6:.1f} MB")
        rows = [
            [cell for cell in row]
            for row in CalamineWorkbook.from_path(str(exported)).get_sheet_by_index(0).to_python()
        ]
        bare_write = _bare_xlsx(rows, root / "bare.xlsx")
        del rows
        export_ratio = export["seconds"] / bare_write
        export_rss = export["peak"] - export["idle"]
        print(
            f"  export via API: {export['seconds']:.2f} s; "
            f"bare XlsxWriter constant_memory: {bare_write:.2f} s; "
            f"ratio {export_ratio:.2f}x (aim <= {EXPORT_AIM}x)"
        )
        print(
            f"  worker peak RSS over idle: {export_rss:.1f} MB (idle {export['idle']:.1f} MB, "
            f"peak {export['peak']:.1f} MB; aim <= {RSS_AIM_MB:.0f} MB)"
        )

        target_url = f"sqlite:///{root / 'target.sqlite3'}"
        upgrade("opsuite.production", target_url)
        imported = _child("import", target_url, root / "var-import", str(exported))
        assert imported["result"]["created"] == ROWS, imported
        bare_read = _bare_calamine(exported)
        import_ratio = imported["seconds"] / bare_read
        import_rss = imported["peak"] - imported["idle"]
        print(
            f"  import via API: {imported['seconds']:.2f} s ({ROWS / imported['seconds']:,.0f} rows/s); "
            f"bare calamine read: {bare_read:.2f} s; ratio {import_ratio:.1f}x (aim <= {IMPORT_AIM:.0f}x)"
        )
        print(f"  import worker peak RSS over idle: {import_rss:.1f} MB")
    return {
        "export_ratio": export_ratio,
        "export_rss_mb": export_rss,
        "import_ratio": import_ratio,
        "import_rss_mb": import_rss,
    }


if __name__ == "__main__":
    run()
