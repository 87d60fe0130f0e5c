"""Backup and restore of the database and the media files, in one archive.

An archive (`yuanqu-backup-<time>.tar.gz`) holds the database — SQLite through its online
backup API (consistent while the site runs), PostgreSQL as `pg_dump` custom format — the
media folder, and `manifest.json`: the database vendor, the row count of every table and
each media file's size and SHA-256. A restore puts both back and then checks every count and
every file against the manifest; any difference is an error, never a silent success.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"


class BackupError(Exception):
    pass


@dataclass
class Manifest:
    created_at: str
    vendor: str
    tables: dict[str, int]
    files: dict[str, dict[str, Any]]  # relative path → {"size", "sha256"}

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True)


def table_counts() -> dict[str, int]:
    """Rows in every table of the default database."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> dict[str, dict[str, Any]]:
    files = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files[path.relative_to(root).as_posix()] = {
                "size": path.stat().st_size,
                "sha256": digest,
            }
    return files


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict  # the database in use (under tests, the test database)
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} 未安装(Debian: apt-get install postgresql-client)")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 失败:{done.stderr.strip()[:500]}")


def backup_create(destination: Path) -> Path:
    """Write an archive into `destination` and return its path."""
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
    archive = destination / f"yuanqu-backup-{stamp}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        manifest = Manifest(
            created_at=timezone.now().isoformat(),
            vendor=connection.vendor,
            tables=table_counts(),
            files=media_files(media_root),
        )
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(work_dir / SQLITE_FILE)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            database_file = work_dir / SQLITE_FILE
        elif connection.vendor == "postgresql":
            args, env = _pg_env()
            database_file = work_dir / PG_FILE
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(database_file), *args],
                env,
            )
        else:
            raise BackupError(f"不支持的数据库:{connection.vendor}")
        with tarfile.open(archive, "w:gz") as tar:
            data = manifest.as_json().encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(database_file, arcname=database_file.name)
            for relative in manifest.files:
                tar.add(media_root / relative, arcname=f"media/{relative}")
    return archive


def _read_manifest(tar: tarfile.TarFile) -> Manifest:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("不是 yuanqu 备份文件(缺少 manifest.json)") from None
    if member is None:
        raise BackupError("manifest.json 无法读取")
    return Manifest(**json.loads(member.read()))


def backup_restore(archive: Path) -> Manifest:
    """Put the archive's database and media back, then check them against its manifest."""
    if not archive.is_file():
        raise BackupError(f"找不到备份文件:{archive}")
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(tar)
        if manifest.vendor != connection.vendor:
            raise BackupError(f"备份来自 {manifest.vendor},当前数据库是 {connection.vendor}")
        tar.extractall(work, filter="data")
        work_dir = Path(work)
        if connection.vendor == "sqlite":
            source = sqlite3.connect(work_dir / SQLITE_FILE)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connections.close_all()
            args, env = _pg_env()
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  *args, str(work_dir / PG_FILE)], env)  # fmt: skip
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.rmtree(media_root)
        extracted = work_dir / "media"
        if extracted.is_dir():
            shutil.copytree(extracted, media_root)
        else:
            media_root.mkdir(parents=True, exist_ok=True)
    _verify(manifest)
    return manifest


def _verify(manifest: Manifest) -> None:
    counts = table_counts()
    wrong = [f"{table}: 备份 {rows} 行,恢复后 {counts.get(table)} 行"
             for table, rows in manifest.tables.items() if counts.get(table) != rows]  # fmt: skip
    files = media_files(Path(settings.MEDIA_ROOT))
    wrong += [f"媒体文件 {name} 不一致" for name, facts in manifest.files.items()
              if files.get(name) != facts]  # fmt: skip
    if wrong:
        raise BackupError("恢复后与备份不一致:\n" + "\n".join(wrong[:20]))
