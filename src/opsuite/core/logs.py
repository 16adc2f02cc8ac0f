"""Stdlib logging as text or JSON (`OPSUITE_LOG_FORMAT=json`), with the request id on every line.

Every line goes through `RedactFilter`: credentials in URLs (`scheme://user:pass@`) never reach a log.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
system_var: contextvars.ContextVar[str] = contextvars.ContextVar("system", default="-")
"""The system a line comes from: set by its requests, its lifespan and its server."""

_STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
_app_systems: set[str] = set()
TEXT_FORMAT = "%(asctime)s %(levelname)s %(system)s %(name)s [%(request_id)s] %(message)s"
UVICORN_LOG_CONFIG = Path(__file__).with_name("uvicorn-log-config.json")
"""`uvicorn --log-config` file: uvicorn's own lines in opsuite's format (for `uvicorn --workers N`)."""


def note_app_system(system: str) -> None:
    """Record that this process built `system`'s app; a process of one system names it on every line."""
    _app_systems.add(system)


def process_system() -> str:
    """The one system whose app this process built, or `-` when it built none or several."""
    return next(iter(_app_systems)) if len(_app_systems) == 1 else "-"


class RequestIdFilter(logging.Filter):
    """Attach the current request id and system to each record.

    A line logged outside a request (a job's thread, say) names its system by its logger, `opsuite.<system>`;
    any other line (uvicorn's own, in a `uvicorn --workers N` process) by the one app the process built.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        system = system_var.get()
        if system == "-" and record.name.startswith("opsuite."):
            system = record.name.split(".")[1]
        if system == "-":
            system = process_system()
        record.system = system
        return True


# The userinfo of any URL: everything between `scheme://` and the last `@` before the host's end.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^\s/?#@]*(?:@[^\s/?#@]*)*@")
REDACTED = "***"


def redact(text: str) -> str:
    """`text` with the credentials of every URL in it replaced by `***`."""
    if "@" not in text:
        return text
    return _URL_CREDENTIALS.sub(lambda match: f"{match['scheme']}{REDACTED}@", text)


def redact_value(value: Any) -> Any:
    """A log argument or extra field without URL credentials; containers keep their shape."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(item) for item in value]
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


class RedactFilter(logging.Filter):
    """Remove URL credentials from each record's message, extra fields and traceback.

    Installed on every opsuite handler (and on a test's capture handler). A record is rewritten in place
    only when it holds credentials, so formatters that read `record.args` keep working for the others.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the handler's to report, with the raw record
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD_ATTRS:
                setattr(record, key, redact_value(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # uvicorn's `color_message` repeats the message with terminal colour codes: not for a JSON log.
        entry.update(
            {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS and k != "color_message"}
        )
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        elif record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(fmt: str = "text", level: str = "INFO") -> None:
    """Install one stderr handler on the root logger (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_opsuite", False):
            root.removeHandler(handler)
    root.addHandler(make_handler(fmt))
    root.setLevel(level.upper())


def make_handler(fmt: str = "text") -> logging.Handler:
    """The stderr handler of every opsuite process: system and request id on each line, no credentials."""
    handler = logging.StreamHandler()
    handler._opsuite = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def settings_handler() -> logging.Handler:
    """`make_handler` in the format and at the level of `OPSUITE_LOG_FORMAT` / `OPSUITE_LOG_LEVEL` (the
    handler factory of `UVICORN_LOG_CONFIG`)."""
    from opsuite.core.settings import CoreSettings

    settings = CoreSettings()
    handler = make_handler(settings.log_format)
    handler.setLevel(settings.log_level.upper())
    return handler
