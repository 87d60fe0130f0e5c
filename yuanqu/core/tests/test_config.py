"""Start-up with bad configuration ends in one clear line naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_bool, env_float, env_int

ROOT = Path(__file__).resolve().parents[3]


def run_manage(tmp_path, *args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "REDIS_URL"))
    }
    environment.update({"YUANQU_VAR_DIR": str(tmp_path), "DEBUG": "1", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_database_url_with_an_unknown_scheme_stops_start_up_with_one_line(tmp_path):
    result = run_manage(tmp_path, "runserver", DATABASE_URL="mysql://root@localhost/yuanqu")

    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_stops_start_up_with_one_line(tmp_path):
    result = run_manage(tmp_path, "migrate", DATABASE_URL="postgres://nobody@127.0.0.1:1/none")

    assert result.returncode == 2
    assert result.stderr.startswith("配置错误")
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_redis_stops_start_up_with_one_line(tmp_path):
    result = run_manage(tmp_path, "migrate", REDIS_URL="redis://127.0.0.1:1/0")

    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_off_without_a_secret_key_stops_start_up(tmp_path):
    result = run_manage(tmp_path, "check", DEBUG="0", SECRET_KEY="")

    assert result.returncode == 2
    assert "SECRET_KEY" in result.stderr


def test_a_malformed_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")


def test_a_malformed_integer_names_the_variable(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "eight hours")

    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE"):
        env_int("SESSION_COOKIE_AGE", 10)


def test_postgres_urls_become_database_settings():
    database = database_from_url("postgres://app:s%40cret@db.internal:6543/yuanqu", base_dir=ROOT)

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == ("yuanqu", "app", "s@cret")
    assert (database["HOST"], database["PORT"]) == ("db.internal", "6543")


def test_sqlite_urls_use_wal_and_immediate_transactions(tmp_path):
    database = database_from_url(f"sqlite:///{tmp_path}/db.sqlite3", base_dir=ROOT)

    assert database["NAME"] == tmp_path / "db.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_a_fraction_out_of_range_names_the_variable(monkeypatch):
    monkeypatch.setenv("MATCH_AREA_MARGIN", "20%")

    with pytest.raises(ImproperlyConfigured, match="MATCH_AREA_MARGIN"):
        env_float("MATCH_AREA_MARGIN", 0.2, minimum=0.0, maximum=1.0)
