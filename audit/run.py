"""make audit: the security, accessibility and privacy audits against a fresh site on loopback.

    .venv/bin/python audit/run.py                 # every audit, then the README's verdicts
    .venv/bin/python audit/run.py xss pipl        # some of them (on a fresh site as well)
    .venv/bin/python audit/run.py readme          # rewrite the README table from the last run
    AUDIT_DATABASE_URL=postgresql://root@127.0.0.1:5432/yuanqu_audit scripts/audit.sh sqlmap xss
                                                  # the same against PostgreSQL (published as
                                                  # "sqlmap (PostgreSQL)" …; the database is
                                                  # dropped and created again)

Each audit writes its raw report under var/audit/<date>/ and returns a one-line verdict. An
audit that cannot run (a tool missing, no network for its vulnerability database) fails with
that reason: nothing passes that was not checked. Each audit's latest verdict, with its date,
is kept in audit/results/latest.json (committed) and shown in the README between the audit
markers; a run of some audits replaces only theirs.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import target

RESULTS = Path(__file__).with_name("results")
README = target.ROOT / "README.md"
BEGIN, END = "<!-- audit:begin -->", "<!-- audit:end -->"


def audits() -> dict[str, Callable[[Path], tuple[bool, str]]]:
    import browser_audits
    import pipl
    import scanners
    import xss

    return {
        "sqlmap": scanners.sqlmap,
        "wapiti": scanners.wapiti,
        "xss": xss.run,
        "headers": scanners.headers,
        "check-deploy": scanners.check_deploy,
        "pip-audit": scanners.pip_audit,
        "lighthouse": browser_audits.lighthouse,
        "axe": browser_audits.axe,
        "pipl": pipl.run,
    }


def label(name: str) -> str:
    """An audit's published name: the database is named when it is not the default."""
    return name if target.DATABASE == "SQLite" else f"{name} ({target.DATABASE})"


def run(names: list[str]) -> int:
    available = audits()
    unknown = [name for name in names if name not in available]
    if unknown:
        raise SystemExit(
            f"unknown audit: {', '.join(unknown)} (choose from {', '.join(available)})"
        )
    today = datetime.datetime.now().astimezone().date().isoformat()
    report_dir = target.AUDIT_DIR / today
    report_dir.mkdir(parents=True, exist_ok=True)
    print(f"audit: a fresh site in {target.SITE_DIR} on {target.DATABASE}", flush=True)
    target.prepare()
    target.setup_django()
    server = target.start()
    verdicts = []
    try:
        for name in names or list(available):
            started = time.monotonic()
            try:
                passed, line = available[name](report_dir)
            except Exception as error:  # an audit that could not run fails, with its reason
                (report_dir / f"{name}.error.txt").write_text(traceback.format_exc())
                passed, line = False, f"could not run: {error}".splitlines()[0][:300]
            seconds = round(time.monotonic() - started)
            verdicts.append({
                "audit": label(name), "date": today, "passed": passed, "verdict": line,
                "seconds": seconds,
            })  # fmt: skip
            print(f"{'PASS' if passed else 'FAIL'} {name}: {line} ({seconds} s)", flush=True)
    finally:
        target.stop(server)
    summary = {
        "date": today,
        "reports": str(report_dir.relative_to(target.ROOT)),
        "audits": verdicts,
    }
    (report_dir / "verdicts.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    publish(summary)
    return 0 if all(verdict["passed"] for verdict in verdicts) else 1


def publish(summary: dict[str, Any]) -> None:
    """The published verdicts: this run's replace the same audits' earlier ones (each keeps
    its own date), then the README table is rewritten."""
    latest = RESULTS / "latest.json"
    published = json.loads(latest.read_text()) if latest.exists() else {"audits": []}
    fresh = {item["audit"]: item for item in summary["audits"]}
    order = list(audits())
    kept = [
        {"date": published.get("date", ""), **item}
        for item in published["audits"]
        if item["audit"] not in fresh
    ]
    merged = sorted(
        [*kept, *fresh.values()],
        key=lambda item: (order.index(item["audit"].split(" ")[0]), item["audit"]),
    )
    RESULTS.mkdir(exist_ok=True)
    latest.write_text(
        json.dumps({"reports": summary["reports"], "audits": merged}, ensure_ascii=False, indent=2)
    )
    readme()


def readme() -> None:
    summary = json.loads((RESULTS / "latest.json").read_text())
    rows = [
        "Raw reports of the latest run in `var/audit/<date>/` on the machine that ran it.",
        "",
        "| audit | date | verdict | result |",
        "|---|---|---|---|",
    ]
    rows += [
        f"| {item['audit']} | {item['date']} | {'pass' if item['passed'] else '**fail**'} | "
        f"{item['verdict']} |"
        for item in summary["audits"]
    ]
    text = README.read_text()
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    README.write_text(head + BEGIN + "\n" + "\n".join(rows) + "\n" + END + tail)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments == ["readme"]:
        readme()
        raise SystemExit(0)
    raise SystemExit(run(arguments))
