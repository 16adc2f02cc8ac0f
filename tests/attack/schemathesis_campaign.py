"""Schemathesis campaign, stateful phase included, against the served systems on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python -m tests.attack.schemathesis_campaign --system waybills --db sqlite --minutes 3
    .venv/bin/python -m tests.attack.schemathesis_campaign --all --minutes 2 --output docs/attack/schemathesis-before.json

For each system x database: a fresh database (a SQLite file in a temp dir, or `CREATE DATABASE` on
`--postgres-url`, default $OPSUITE_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/postgres),
`opsuite migrate` and `opsuite demo`, `opsuite serve SYSTEM --port P` in a subprocess on a free loopback
port (inherited OPSUITE_* variables dropped, OPSUITE_VAR_DIR in the temp dir), a login as the demo
principal, then `st run` with the phases examples, coverage, fuzzing and stateful for `--minutes`, one
worker by default. Findings are classified (5xx, response schema, undocumented status, content type,
other), printed as a table and written as JSON to `--output`, with a reproducer of every 5xx.
The machine is shared: one run at a time, `--workers 1`, both processes niced, the server killed past
`--memory-limit-mb`, every subprocess under a timeout. `--keep DIR` keeps logs and the NDJSON events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from tests.attack.campaign_findings import Findings, table
from tests.attack.campaign_server import DEFAULT_POSTGRES_URL, cli, free_port, fresh_database, serve
from tests.attack.campaign_targets import TARGETS, Target
from tests.attack.schemathesis_guard import PROTECT_ENV

REPO = Path(__file__).resolve().parents[2]
PHASES = "examples,coverage,fuzzing,stateful"
DATABASES = ("sqlite", "postgres")
# Past its budget schemathesis finishes the case in flight; beyond this grace the run is stopped.
GRACE_SECONDS = 180


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--system", action="append", choices=sorted(TARGETS), help="repeatable")
    parser.add_argument("--db", action="append", choices=DATABASES, help="repeatable (default: sqlite)")
    parser.add_argument("--all", action="store_true", help="every system on SQLite and PostgreSQL")
    parser.add_argument("--minutes", type=float, default=3.0, help="budget per system and database")
    parser.add_argument("--output", type=Path, default=REPO / "var" / "attack" / "schemathesis.json")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phases", default=PHASES)
    parser.add_argument("--checks", default="all")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--memory-limit-mb", type=float, default=2048.0)
    parser.add_argument("--nice", type=int, default=5, help="niceness of the server and schemathesis")
    default_pg = os.environ.get("OPSUITE_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    parser.add_argument("--postgres-url", default=default_pg)
    parser.add_argument(
        "--keep", type=Path, help="keep each run's logs and NDJSON events under this directory"
    )
    args = parser.parse_args(argv)
    if args.all:
        args.system, args.db = sorted(TARGETS), list(DATABASES)
    if not args.system:
        parser.error("give --system (repeatable) or --all")
    args.db = args.db or ["sqlite"]
    return args


def base_env() -> dict[str, str]:
    """This process's environment without OPSUITE_* (the served system runs on its defaults plus ours)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("OPSUITE_")}


def git_revision() -> str:
    """The commit under test, with `-dirty` when the worktree has changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30, check=False
        )
        return done.stdout.strip()

    return git("rev-parse", "HEAD") + (
        "-dirty" if git("status", "--porcelain", "--untracked-files=no") else ""
    )


def schemathesis_command(
    args: argparse.Namespace, base_url: str, budget: int, reports: Path, headers: dict[str, str]
) -> list[str]:
    """The `st run` command line of one run."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base_url}/openapi.json",
        "--workers", str(args.workers), "--max-time", str(budget), "--phases", args.phases,
        "--checks", args.checks, "--seed", str(args.seed), "--generation-database", "none",
        "--request-timeout", str(args.request_timeout), "--suppress-health-check", "all",
        "--report", "json,ndjson", "--report-json-path", str(reports / "report.json"),
        "--report-ndjson-path", str(reports / "events.ndjson"), "--no-color",
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return command


def run_schemathesis(
    command: list[str], env: dict[str, str], work: Path, budget: int, nice: int
) -> dict[str, Any]:
    """Run `st run` to completion or to its budget plus grace; its exit code and whether it was stopped."""
    started = time.monotonic()
    with (work / "schemathesis.log").open("wb") as log:
        process = subprocess.Popen(
            command, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )  # fmt: skip
        try:
            code = process.wait(budget + GRACE_SECONDS)
            stopped = False
        except subprocess.TimeoutExpired:
            process.kill()
            code, stopped = process.wait(30), True
    return {
        "exit_code": code,
        "stopped_by_campaign": stopped,
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }


def probe(base_url: str, target: Target, headers: dict[str, str]) -> int | None:
    """Status of the target's authenticated probe after the run (200: the credentials still work)."""
    try:
        return httpx.get(f"{base_url}{target.probe}", headers=headers, timeout=10.0).status_code
    except httpx.HTTPError:
        return None


def one_run(args: argparse.Namespace, system: str, db: str) -> dict[str, Any]:
    """Serve `system` on a fresh `db`, attack it for the budget, and return what was found."""
    target = TARGETS[system]
    budget = max(1, round(args.minutes * 60))
    result: dict[str, Any] = {"system": system, "db": db, "budget_seconds": budget}
    keep = args.keep / f"{system}-{db}" if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"campaign-{system}-{db}-") as temp:
        work = keep or Path(temp)
        ports = {name: free_port() for name in target.extra_ports}
        with fresh_database(system, db, work, args.postgres_url, keep=False) as url:
            env = base_env() | {
                "OPSUITE_VAR_DIR": str(work / "var"),
                f"OPSUITE_{system.upper()}_DATABASE_URL": url,
                **target.env(budget, ports),
            }
            result["server_settings"] = {
                k: v for k, v in env.items() if k.startswith("OPSUITE_") and "DATABASE" not in k
            }
            cli(["migrate", system], env, work)
            result["demo"] = cli(["demo", system], env, work)
            with serve(system, env, work, args.memory_limit_mb, args.nice) as served:
                with httpx.Client(base_url=served.base_url, timeout=30.0) as client:
                    access = target.prepare(client, ports)
                result["setup"] = access.notes
                result["protected"] = access.rules
                st_env = base_env() | {
                    "SCHEMATHESIS_HOOKS": "tests.attack.schemathesis_guard",
                    PROTECT_ENV: json.dumps(access.rules),
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
                }
                reports = work / "reports"
                command = schemathesis_command(args, served.base_url, budget, reports, access.headers)
                print(
                    f"[{now()}] {system}/{db}: schemathesis for {budget} s on {served.base_url}",
                    file=sys.stderr,
                )
                result["schemathesis"] = run_schemathesis(command, st_env, work, budget, args.nice)
                result["auth_probe_status_at_end"] = probe(served.base_url, target, access.headers)
                result["server"] = served.report()
        result.update(read_reports(reports))
        if result["schemathesis"]["exit_code"] not in (0, 1) and not (reports / "events.ndjson").exists():
            result["error"] = (work / "schemathesis.log").read_text(errors="replace")[-3000:]
    return result


def read_reports(reports: Path) -> dict[str, Any]:
    """Schemathesis' own verdict (cases, stop reason, phases) and our classification of its events."""
    found: dict[str, Any] = {}
    report = reports / "report.json"
    if report.exists():
        verdict = json.loads(report.read_text())
        found["schemathesis_report"] = {
            key: verdict.get(key)
            for key in ("schemathesis_version", "seed", "running_time", "stop_reason", "complete", "operations",
                        "phases", "test_cases", "failures", "errors", "warnings")
        }  # fmt: skip
    events = reports / "events.ndjson"
    if events.exists():
        found.update(Findings().read(events).summary())
    return found


def now() -> str:
    """UTC time of day, for progress lines."""
    return dt.datetime.now(dt.UTC).strftime("%H:%M:%S")


def main(argv: list[str] | None = None) -> int:
    """Run every requested system x database in turn, writing the JSON after each run; 1 if any 5xx."""
    args = parse_args(argv)
    document: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "command": " ".join(
            [Path(sys.executable).name, "-m", "tests.attack.schemathesis_campaign", *(argv or sys.argv[1:])]
        ),
        "minutes_per_run": args.minutes,
        "workers": args.workers,
        "seed": args.seed,
        "phases": args.phases,
        "checks": args.checks,
        "runs": [],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    for system in args.system:
        for db in args.db:
            try:
                run = one_run(args, system, db)
            except Exception as error:  # one broken run must not lose the others' results
                run = {"system": system, "db": db, "error": f"{type(error).__name__}: {error}"}
            document["runs"].append(run)
            document["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            args.output.write_text(
                json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
            print(f"[{now()}] {system}/{db}: {run.get('requests', 0)} requests, {run.get('responses_5xx', 0)} 5xx"
                  + (f", error: {run['error'][:300]}" if run.get("error") else ""), file=sys.stderr)  # fmt: skip
    print(table(document["runs"]))
    print(f"\nJSON: {args.output}")
    return 1 if any(run.get("responses_5xx") or run.get("error") for run in document["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
