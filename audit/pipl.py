"""PIPL audit: a person leaves their mobile and name through every public way in (need form,
JSON API, SMS saved search), staff look at the number (an unmasking, logged), then
`manage.py personal_data delete --mobile X` runs, then a backup is made. Afterwards nothing
may hold the number in any written form, nor the name: every column of every table, the raw
database file (freed pages included), the log file, every cache entry in Redis, and every file
inside the new backup archive."""

from __future__ import annotations

import json
import re
import sqlite3
import tarfile
import uuid
from pathlib import Path
from typing import Any

import target
from target import ADMIN, REDIS_URL, SITE_DIR, Client

MOBILE = "13987650321"
NAME = "审计甄士隐"


def needles() -> dict[str, bytes]:
    digits = MOBILE
    forms = {
        "mobile": digits, "+86 mobile": "+86" + digits,
        "spaced": f"{digits[:3]} {digits[3:7]} {digits[7:]}",
        "dashed": f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", "name": NAME,
    }  # fmt: skip
    return {label: text.encode() for label, text in forms.items()}


def leave_traces(staff: Client) -> list[str]:
    """The person's data goes in every public way; returns what was done."""
    from django.db.models import Q

    from yuanqu.leads.models import Lead

    done = []
    visitor = Client()
    page, form = visitor.form("/needs/new/", contains="idempotency_key")
    key = uuid.uuid4().hex
    visitor.submit(page, form, {
        "action": "submit", "idempotency_key": key, "kind": "factory", "deal": "rent",
        "area_unit": "m2", "area_min": "1000", "area_max": "3000", "industry": "3514",
        "mobile": MOBILE, "consent": "on", "contact_name": NAME, "company": "审计个人信息测试厂",
        "need_text": f"找厂房,联系{NAME},电话 {MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]}",
    })  # fmt: skip
    # Its own lead, or the earlier lead of the same number it merged into.
    lead = Lead.objects.filter(Q(idempotency_key=key) | Q(submissions__idempotency_key=key)).first()
    if lead is None:
        raise RuntimeError("the need form did not store the audit's need")
    done.append("need form")
    body = {
        "kind": "warehouse", "deal": "rent", "area_unit": "m2", "area_min": "500",
        "area_max": "900", "industry": "3514", "mobile": "+86" + MOBILE, "consent": True,
        "contact_name": NAME,
    }  # fmt: skip
    api = visitor.request(
        "/api/v1/needs",
        json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
    )
    if api.status >= 300:
        raise RuntimeError(
            f"the API did not take the audit's need ({api.status}: {api.text[:200]})"
        )
    done.append("API need")
    query = "kind=factory&deal=rent"
    page, form = visitor.form("/carriers/saved/new/?qs=" + query.replace("&", "%26"), "channel")
    visitor.submit(page, form, {
        "qs": query, "channel": "sms", "mobile": MOBILE, "frequency": "weekly", "consent": "on",
    })  # fmt: skip
    done.append("SMS saved search")
    page, form = staff.form(f"/workbench/leads/{lead.pk}/", contains="reason")
    revealed = staff.submit(page, form, {"reason": "审计:回电核实需求"})
    if MOBILE[-4:] not in revealed.text:
        raise RuntimeError("staff could not unmask the audit's mobile")
    done.append("staff unmasking")
    # Cached pages that showed the lead to staff, and the public results page.
    staff.get("/workbench/leads/")
    staff.get(f"/workbench/leads/{lead.pk}/")
    return done


def search_bytes(blob: bytes) -> list[str]:
    return [label for label, needle in needles().items() if needle in blob]


def search_tables(database: Path) -> list[str]:
    found = []
    connection = sqlite3.connect(database)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for label, needle in needles().items():
                    hit = connection.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE instr(CAST("{column}" AS BLOB), ?) > 0',
                        (needle,),
                    ).fetchone()[0]
                    if hit:
                        found.append(f"{table}.{column} ({label}, {hit} rows)")
    finally:
        connection.close()
    return found


def search_cache() -> tuple[int, list[str]]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    found, keys = [], 0
    key: Any
    for key in client.scan_iter(count=500):
        keys += 1
        kind = str(client.type(key), "ascii")  # type: ignore[arg-type]
        values: list[Any] = []
        if kind == "string":
            values = [client.get(key) or b""]
        elif kind == "hash":
            values = [*client.hgetall(key).values()]
        elif kind == "list":
            values = client.lrange(key, 0, -1)
        elif kind == "set":
            values = list(client.smembers(key))
        elif kind == "zset":
            values = client.zrange(key, 0, -1)
        for value in [key, *values]:
            for label in search_bytes(decompressed(value)):
                found.append(f"cache {key.decode(errors='replace')[:60]} ({label})")
    return keys, found


def decompressed(value: bytes) -> bytes:
    import zlib

    try:
        return value + zlib.decompress(value)
    except zlib.error:
        return value


def search_backup(archive: Path) -> tuple[list[str], list[str]]:
    found, names = [], []
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            names.append(member.name)
            blob = tar.extractfile(member).read()  # type: ignore[union-attr]
            found += [f"backup {member.name} ({label})" for label in search_bytes(blob)]
            if member.name.endswith(".sqlite3"):
                copy = archive.parent / "restored-for-audit.sqlite3"
                copy.write_bytes(blob)
                found += [f"backup table {hit}" for hit in search_tables(copy)]
                copy.unlink()
    return found, names


def run(report_dir: Path) -> tuple[bool, str]:
    from django.conf import settings

    if target.DATABASE_URL:
        raise RuntimeError(
            "the PIPL audit searches the SQLite file, its WAL and the backup's copy byte by "
            "byte; run it without AUDIT_DATABASE_URL"
        )
    staff = Client()
    staff.login(*ADMIN, totp_key=target.admin_totp_key())
    done = leave_traces(staff)
    database = Path(settings.DATABASES["default"]["NAME"])
    before = search_tables(database)
    erased = target.manage("personal_data", "delete", "--mobile", MOBILE, "--yes").strip()
    backups = report_dir / "pipl-backup"
    archive = Path(target.manage("backup", "--to", str(backups)).strip().splitlines()[-1])
    findings = search_tables(database)
    raw_files = [path for path in database.parent.glob(database.name + "*") if path.is_file()]
    findings += [
        f"{path.name} raw bytes ({label})"
        for path in raw_files
        for label in search_bytes(path.read_bytes())
    ]
    logs = list(SITE_DIR.rglob("*.log"))
    findings += [
        f"log {path.name} ({label})" for path in logs for label in search_bytes(path.read_bytes())
    ]
    cache_keys, cache_findings = search_cache()
    findings += cache_findings
    backup_findings, backup_files = search_backup(archive)
    findings += backup_findings
    report: dict[str, Any] = {
        "mobile": MOBILE, "name": NAME, "ways_in": done, "held_before_delete": before,
        "delete": erased, "backup": str(archive), "backup_files": backup_files,
        "logs": [str(path) for path in logs], "cache_keys": cache_keys, "findings": findings,
    }  # fmt: skip
    (report_dir / "pipl.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    if not before:
        raise RuntimeError("the person's data never reached the database: nothing was tested")
    line = (
        f"the number and name left through {len(done)} ways in ({len(before)} columns held "
        f"them); after personal_data delete: {len(findings)} traces in the tables, raw database "
        f"file, {len(logs)} log files, {cache_keys} cache entries and a new backup "
        f"({len(backup_files)} files)"
    )
    if findings:
        line += f" — {'; '.join(findings[:4])}"
    return not findings, re.sub(r"\s+", " ", line)
