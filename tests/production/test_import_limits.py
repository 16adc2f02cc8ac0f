"""Hostile xlsx imports: archives that would unpack or spread past the limits are refused before they are
parsed, the job fails for good with a Russian message, and the process's memory stays flat."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from opsuite.core.db import Database
from opsuite.core.jobs import JobState
from opsuite.production.batches.models import Batch
from opsuite.production.jobs.models import Job
from tests.clock import FakeClock
from tests.production.helpers import Api

# Peak growth of this process's resident memory allowed while a bomb is uploaded and its job runs. The
# two bombs below would take calamine to about 1.6 GB and 0.5 GB; refused, the job stays within a few MB.
RSS_BOUND = 100 * 1024 * 1024
HEADER_ROW = (
    b'<row r="1">'
    + b"".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'.encode()
        for col, name in zip(
            "ABCDEFGHIJK",
            (
                "batch_number",
                "batch_date",
                "nomenclature",
                "ekn_code",
                "task_description",
                "shift",
                "team",
                "shift_start",
                "shift_end",
                "work_center_identifier",
                "work_center_name",
            ),
            strict=True,
        )
    )
    + b"</row>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def _xlsx(path: Path, rows: Iterable[bytes], *, zip64: bool = True) -> bytes:
    """A hand-written xlsx whose only sheet holds `rows` after the header; the sheet is streamed in."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>' + HEADER_ROW
            )
            for row in rows:
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return path.read_bytes()


def _understate(path: Path, member: str, claimed: int) -> bytes:
    """Rewrite the zip so `member` claims `claimed` bytes unpacked, with a CRC forged to match them."""
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo(member)
    with zipfile.ZipFile(path).open(member) as stream:
        crc = zlib.crc32(stream.read(claimed))
    struct.pack_into("<I", data, info.header_offset + 14, crc)
    struct.pack_into("<I", data, info.header_offset + 22, claimed)
    central = data.index(b"PK\x01\x02", info.header_offset)
    while data[central + 46 : central + 46 + len(member)] != member.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, claimed)
    return bytes(data)


def _dense_rows(count: int, cells: int) -> Iterable[bytes]:
    row = b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
    return (row for _ in range(count))


def _peak_growth(action: Callable[[], Any]) -> int:
    """How far this process's resident memory rose above where it stood while `action` ran."""
    status = Path("/proc/self/status")

    def field(name: str) -> int:
        line = next(line for line in status.read_text().splitlines() if line.startswith(name))
        return int(line.split()[1]) * 1024

    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS, so the peak is this action's
    before = field("VmRSS:")
    action()
    return field("VmHWM:") - before


def _upload(api: Api, content: bytes) -> dict[str, Any]:
    accepted = api.call("POST", "/api/batches/import", 202, files={"file": ("bomb.xlsx", content)}, data={})
    api.wait_jobs(timeout=120)
    return accepted


def _job(database: Database, job_id: str) -> tuple[JobState, int, str | None]:
    with database.session(write=False) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job.state, job.attempts, job.error


def _batches(database: Database) -> int:
    with database.session(write=False) as session:
        return session.scalar(select(func.count()).select_from(Batch)) or 0


def test_an_xlsx_unpacking_past_the_limit_fails_before_parsing_and_is_never_rerun(
    api: Api, app: Any, clock: FakeClock, database: Database, tmp_path: Path
) -> None:
    # 20,000 rows x 250 cells: 75 MB of sheet XML (the file had 2.1 GiB) in a zip of about 100 KB.
    content = _xlsx(tmp_path / "bomb.xlsx", _dense_rows(20_000, 250))
    unpacked = sum(member.file_size for member in zipfile.ZipFile(tmp_path / "bomb.xlsx").infolist())
    accepted: dict[str, Any] = {}

    growth = _peak_growth(lambda: accepted.update(_upload(api, content)))

    status = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)
    assert len(content) < 1024 * 1024
    assert growth < RSS_BOUND, f"peak RSS grew by {growth // (1024 * 1024)} MB"
    assert status == {
        "task_id": accepted["task_id"],
        "status": "FAILURE",
        "result": {
            "error": "Файл слишком велик для импорта: файл xlsx распаковывается больше чем в 64 MB "
            f"(не меньше {unpacked // (1024 * 1024)} MB)"
        },
    }
    # Maintenance passes, minutes and hours later, leave the failed job alone.
    for minutes in (1, 90, 180):
        clock.advance(minutes=minutes)
        assert app.state.scheduler.maintain(timedelta(seconds=20)) is True
        assert _job(database, accepted["task_id"])[0:2] == (JobState.FAILURE, 1)
    assert _batches(database) == 0


def test_an_xlsx_whose_directory_understates_its_size_is_refused_all_the_same(
    api: Api, database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "liar.xlsx"
    # 8,000 rows of ten 1,000-character strings: 80 MB of XML, 80,000 cells, so only the size can refuse it.
    cell = b'<c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c>"
    _xlsx(path, (b"<row>" + cell * 10 + b"</row>" for _ in range(8000)), zip64=False)
    content = _understate(path, "xl/worksheets/sheet1.xml", 4096)
    (tmp_path / "liar-checked.xlsx").write_bytes(content)
    assert zipfile.ZipFile(tmp_path / "liar-checked.xlsx").testzip() is None  # the lie holds up to zipfile
    accepted: dict[str, Any] = {}

    growth = _peak_growth(lambda: accepted.update(_upload(api, content)))

    status = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)
    assert growth < RSS_BOUND, f"peak RSS grew by {growth // (1024 * 1024)} MB"
    assert status["result"] == {
        "error": "Файл слишком велик для импорта: файл xlsx распаковывается больше чем в 64 MB "
        "(не меньше 64 MB)"
    }
    assert _batches(database) == 0


def test_an_xlsx_whose_cells_span_a_huge_range_fails_before_parsing(
    api: Api, database: Database, tmp_path: Path
) -> None:
    # Two cells: a 2 KB file whose used range is 200,000 rows x 250 columns, 50 million cells for calamine.
    content = _xlsx(tmp_path / "sparse.xlsx", [b'<row r="200000"><c r="IP200000"><v>1</v></c></row>'])
    accepted: dict[str, Any] = {}

    growth = _peak_growth(lambda: accepted.update(_upload(api, content)))

    status = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)
    assert growth < RSS_BOUND, f"peak RSS grew by {growth // (1024 * 1024)} MB"
    assert status["status"] == "FAILURE"
    assert status["result"] == {
        "error": "Файл слишком велик для импорта: лист xlsx больше допустимых 1000000 ячеек "
        "(не меньше 200000 строк x 250 столбцов, 12 ячеек)"
    }
    assert _job(database, accepted["task_id"]) == (
        JobState.FAILURE,
        1,
        "TooLarge: Файл слишком велик для импорта: лист xlsx больше допустимых 1000000 ячеек "
        "(не меньше 200000 строк x 250 столбцов, 12 ячеек)",
    )


@pytest.mark.parametrize("cells", [999, 1001])
def test_the_cell_limit_is_a_setting(
    cells: int, api: Api, app: Any, database: Database, tmp_path: Path
) -> None:
    app.state.settings.import_max_cells = 1000
    # The header's 11 cells, then rows of 11 cells: 90 rows make 1,001 cells, 89 rows 990.
    rows = 90 if cells > 1000 else 89
    body = (
        f'<row><c t="inlineStr"><is><t>{n}</t></is></c>'.encode()
        + b'<c t="inlineStr"><is><t>x</t></is></c>' * 10
        + b"</row>"
        for n in range(rows)
    )
    accepted = _upload(api, _xlsx(tmp_path / "limit.xlsx", body))

    status = api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)
    if cells > 1000:
        assert status["result"] == {
            "error": "Файл слишком велик для импорта: лист xlsx больше допустимых 1000 ячеек "
            "(не меньше 91 строк x 11 столбцов, 1001 ячеек)"
        }
    else:
        assert status["status"] == "SUCCESS"
        assert (status["result"]["total"], status["result"]["failed"]) == (89, 89)
