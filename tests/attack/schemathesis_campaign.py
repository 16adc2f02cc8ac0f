"""Schemathesis campaign, stateful phase included, against the served systems on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python -m tests.attack.schemathesis_campaign --system waybills --db sqlite --minutes 3
    .venv/bin/python -m tests.attack.schemathesis_campaign --all --minutes 2 --output docs/attack/schemathesis-before.json

For each system x database: a fresh database (a SQLite file in a temp dir, or `CREATE DATABASE` on
`--postgres-url`, default $OPSUITE_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/postgres),
`opsuite migrate` and `opsuite demo`, `opsuite serve SYSTEM --port P` in a subprocess on a free loopback
port (inherited OPSUITE_* variables dropped, OPSUITE_VAR_DIR in the temp dir), a login as the demo
principal, then `st run` for `--minutes`, one worker by default: the phases examples, coverage and
fuzzing, then the stateful phase alone for its `--stateful-share` of the budget (in one `st run` fuzzing
overran a 120 s budget on scales by 150 s on the loaded machine and the stateful phase never ran). Findings are classified (5xx, response schema, undocumented status, content type,
other), printed as a table and written as JSON to `--output`, with a reproducer of every 5xx.
The machine is shared: one run at a time, `--workers 1`, both processes niced, the server killed past
`--memory-limit-mb`, every subprocess under a timeout. `--keep DIR` keeps logs and the NDJSON events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx

from tests.attack.campaign_findings import Findings, documented_5xx, table
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
    parser.add_argument("--stateful-share", type=float, default=0.4, help="of the budget, for its own st run")
    parser.add_argument("--checks", default="all")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--memory-limit-mb", type=float, default=2048.0)
    parser.add_argument("--nice", type=int, default=5, help="niceness of the server and schemathesis")
    default_pg = os.environ.get("OPSUITE_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    parser.add_argument("--postgres-url", default=default_pg)
    parser.add_argument(
        "--update",
        action="store_true",
        help="replace only these runs in an existing --output, keep the others",
    )
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
    args: argparse.Namespace, leg: Leg, base_url: str, reports: Path, headers: dict[str, str]
) -> list[str]:
    """The `st run` command line of one leg."""
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base_url}/openapi.json",
        "--workers", str(args.workers), "--max-time", str(leg.seconds), "--phases", leg.phases,
        "--checks", args.checks, "--seed", str(args.seed), "--generation-database", "none",
        "--request-timeout", str(args.request_timeout), "--suppress-health-check", "all",
        "--report", "json,ndjson", "--report-json-path", str(reports / "report.json"),
        "--report-ndjson-path", str(reports / "events.ndjson"), "--no-color",
    ]  # fmt: skip
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return command


@dataclass(frozen=True)
class Leg:
    """One `st run` of a run: its phases and its share of the budget."""

    name: str
    phases: str
    seconds: int


def legs(phases: str, budget: int, stateful_share: float) -> list[Leg]:
    """The phases before stateful in one leg, stateful in its own, the budget split between them."""
    names = [name.strip() for name in phases.split(",") if name.strip()]
    others = [name for name in names if name != "stateful"]
    if "stateful" not in names or not others or stateful_share <= 0:
        return [Leg("all", ",".join(names), budget)]
    stateful = max(1, round(budget * stateful_share))
    return [
        Leg("stateless", ",".join(others), max(1, budget - stateful)),
        Leg("stateful", "stateful", stateful),
    ]


def run_schemathesis(
    command: list[str], env: dict[str, str], log_path: Path, budget: int, nice: int
) -> dict[str, Any]:
    """Run `st run` to completion or to its budget plus grace; its exit code and whether it was stopped."""
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, cwd=log_path.parent, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=(lambda: os.nice(nice)) if nice else None,
        )  # fmt: skip
        try:
            code = process.wait(budget + GRACE_SECONDS)
            stopped = False
        except subprocess.TimeoutExpired:
            process.kill()
            code, stopped = process.wait(30), True
        except BaseException:  # interrupted or terminated: leave no schemathesis behind
            process.kill()
            process.wait(30)
            raise
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
                    documented = documented_5xx(client.get("/openapi.json").json())
                result["setup"] = access.notes
                result["protected"] = access.rules
                st_env = base_env() | {
                    "SCHEMATHESIS_HOOKS": "tests.attack.schemathesis_guard",
                    PROTECT_ENV: json.dumps(access.rules),
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
                }
                result["schemathesis"] = {}
                for leg in legs(args.phases, budget, args.stateful_share):
                    reports = work / "reports" / leg.name
                    command = schemathesis_command(args, leg, served.base_url, reports, access.headers)
                    print(
                        f"[{now()}] {system}/{db}: {leg.phases} for {leg.seconds} s on {served.base_url}",
                        file=sys.stderr,
                    )
                    log = work / f"schemathesis-{leg.name}.log"
                    ran = run_schemathesis(command, st_env, log, leg.seconds, args.nice)
                    result["schemathesis"][leg.name] = ran | read_verdict(reports / "report.json")
                    if ran["exit_code"] not in (0, 1) and not (reports / "events.ndjson").exists():
                        result["error"] = log.read_text(errors="replace")[-3000:]
                result["auth_probe_status_at_end"] = probe(served.base_url, target, access.headers)
                result["server"] = served.report()
        findings = Findings(documented=documented)
        for events in sorted((work / "reports").glob("*/events.ndjson")):
            findings.read(events)
        result.update(findings.summary())
    return result


def read_verdict(report: Path) -> dict[str, Any]:
    """Schemathesis' own verdict of one leg: cases, stop reason, phases, its failure groups."""
    try:
        verdict = json.loads(report.read_text())
    except (
        FileNotFoundError,
        json.JSONDecodeError,
    ):  # a leg killed past its grace leaves none, or an empty one
        return {}
    keys = ("running_time", "stop_reason", "complete", "operations", "phases", "test_cases", "failures",
            "errors", "warnings")  # fmt: skip
    return {key: verdict.get(key) for key in keys}


def now() -> str:
    """UTC time of day, for progress lines."""
    return dt.datetime.now(dt.UTC).strftime("%H:%M:%S")


def main(argv: list[str] | None = None) -> int:
    """Run every requested system x database in turn, writing the JSON after each run; 1 if any 5xx."""
    args = parse_args(argv)
    # SIGTERM unwinds like an exception, so each run's server is stopped and its database dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    command = " ".join(["python", "-m", "tests.attack.schemathesis_campaign", *(argv or sys.argv[1:])])
    revision = git_revision()
    document: dict[str, Any] = {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "revision": revision,
        "command": command,
        "minutes_per_run": args.minutes,
        "workers": args.workers,
        "seed": args.seed,
        "schemathesis_version": version("schemathesis"),
        "phases": args.phases,
        "stateful_share": args.stateful_share,
        "checks": args.checks,
        "runs": [],
    }
    if args.update and args.output.exists():
        document = json.loads(args.output.read_text(encoding="utf-8"))
        document.setdefault("updated_by", []).append({"command": command, "revision": revision})
    args.output.parent.mkdir(parents=True, exist_ok=True)
    for system in args.system:
        for db in args.db:
            started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            try:
                run = one_run(args, system, db)
            except Exception as error:  # one broken run must not lose the others' results
                run = {"system": system, "db": db, "error": f"{type(error).__name__}: {error}"}
            run |= {"started_at": started, "revision": revision, "command": command}
            runs = document["runs"]
            same = [i for i, old in enumerate(runs) if (old["system"], old["db"]) == (system, db)]
            if same:  # --update: this run replaces the earlier one of the same system and database
                runs[same[0]] = run
            else:
                runs.append(run)
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
