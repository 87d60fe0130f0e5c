"""The audits' target: a fresh SQLite site with the demo data under var/audit/site, served by
gunicorn with production settings (DEBUG off, compressed static files) on a loopback port,
and an HTTP client that fills the site's own forms and signs in like a person.

Four settings differ from a production site, each because an audit needs it:
LEAD_RATE_LIMITS=0, AXES_ENABLED=0 and API_ANON_RATE=100000/m (a scanner's thousands of
requests would otherwise be answered 429/locked, which hides an injection instead of proving
there is none) and
SECURE_COOKIES=0 (the target is plain HTTP on loopback; the headers audit checks the cookie
flags on its own server with the production default).
"""

from __future__ import annotations

import html.parser
import http.cookiejar
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AUDIT_DIR = Path(os.environ.get("AUDIT_DIR", ROOT / "var/audit"))
SITE_DIR = AUDIT_DIR / "site"
MAIL_DIR = SITE_DIR / "mail"  # the e-mails the site sent (file-based backend)
TOOLS_DIR = AUDIT_DIR / "tools"
PORT = int(os.environ.get("AUDIT_PORT", "18300"))
BASE = f"http://127.0.0.1:{PORT}"
# The audit site's database: SQLite in SITE_DIR by default; AUDIT_DATABASE_URL (a PostgreSQL
# database the audit may drop and create again) runs the same audits against PostgreSQL.
DATABASE_URL = os.environ.get("AUDIT_DATABASE_URL", "")
DATABASE = "PostgreSQL" if DATABASE_URL else "SQLite"
# A Redis database of its own, so the PIPL audit can read every cache entry the site wrote.
REDIS_URL = os.environ.get("AUDIT_REDIS_URL", "redis://127.0.0.1:6379/13")
ADMIN = ("demo_admin", "Demo-admin-2026")
OFFICER = ("demo_officer", "Demo-officer-2026")
EDITOR = ("demo_editor", "Demo-editor-2026")
MANAGER = ("demo_manager", "Demo-manager-2026")
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def site_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DATABASE_REPLICA_URLS", "YUANQU_TESTING"}
    }
    secret = SITE_DIR / "secret-key"
    if not secret.exists():
        SITE_DIR.mkdir(parents=True, exist_ok=True)
        secret.write_text(secrets.token_urlsafe(40))
    env.update(
        YUANQU_VAR_DIR=str(SITE_DIR), DEBUG="0", SECRET_KEY=secret.read_text(),
        ALLOWED_HOSTS="127.0.0.1,localhost", SITE_URL=BASE, REDIS_URL=REDIS_URL,
        SECURE_COOKIES="0", LEAD_RATE_LIMITS="0", AXES_ENABLED="0", API_ANON_RATE="100000/m",
        LOG_LEVEL="INFO", EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(MAIL_DIR),
    )  # fmt: skip
    if DATABASE_URL:
        env["DATABASE_URL"] = DATABASE_URL
    env.update(extra)
    return env


def manage(*args: str, debug: bool = False, **extra: str) -> str:
    env = site_env(**extra)
    if debug:
        env["DEBUG"] = "1"
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare() -> None:
    """A fresh database with the demo data and accounts, static files collected, and the
    audit's Redis database emptied."""
    import redis

    shutil.rmtree(SITE_DIR, ignore_errors=True)
    if DATABASE_URL:
        recreate_postgres_database(DATABASE_URL)
    manage("migrate", "--noinput")
    manage("load_demo_data", debug=True)
    manage("collectstatic", "--noinput")
    redis.Redis.from_url(REDIS_URL).flushdb()


def recreate_postgres_database(url: str) -> None:
    """Drop the audit's PostgreSQL database (closing its connections) and create it empty."""
    import psycopg
    from psycopg import sql

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        raise SystemExit(f"AUDIT_DATABASE_URL must name a database of its own, not “{name}”")
    with psycopg.connect(url, dbname="postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django() -> None:
    """Django in this process on the audit site's database (the audits read it directly)."""
    import django

    os.environ.update(site_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def start(port: int = PORT, **extra: str) -> subprocess.Popen:
    from bench_carriers import start_server

    return start_server(
        port, 2, site_env(**extra), log=SITE_DIR / "gunicorn.log",
        config=ROOT / "deploy/gunicorn.conf.py",  # the production request limits
    )  # fmt: skip


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def admin_totp_key() -> str:
    """A confirmed authenticator for demo_admin whose key the audit holds (the admin needs
    the second factor); created once per site."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=ADMIN[0])
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "audit"}
    )
    return device.key


def totp_now(hex_key: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(hex_key)).token():06d}"


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # one value per name: read Set-Cookie from set_cookies
    text: str
    url: str
    set_cookies: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    text_fields: list[str] = field(default_factory=list)  # free-text inputs and textareas
    max_lengths: dict[str, int] = field(default_factory=dict)
    file_fields: list[str] = field(default_factory=list)  # not submitted by values()

    def values(self) -> dict[str, list[str]]:
        merged: dict[str, list[str]] = {}
        for name, value in self.fields:
            merged.setdefault(name, []).append(value)
        return merged


TEXT_TYPES = {"text", "search", "email", "tel", "url", ""}


class FormParser(html.parser.HTMLParser):
    """Every <form> of a page with the values a browser would submit untouched."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.textarea: str | None = None
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.buffer: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
            return
        if not self.forms or "disabled" in attrs:
            return
        form, name = self.forms[-1], attrs.get("name", "")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind == "file":
                form.file_fields.append(name)
            elif kind not in {"submit", "button", "image", "reset"}:
                form.fields.append((name, attrs.get("value", "")))
                # Free text only: not a number or code field, nor a bot trap kept out of tab order.
                free = (
                    not ({"pattern", "inputmode"} & attrs.keys()) and attrs.get("tabindex") != "-1"
                )
                if kind in TEXT_TYPES and free:
                    form.text_fields.append(name)
                    self.note_max_length(form, name, attrs)
        elif tag == "textarea" and name:
            self.textarea, self.buffer = name, []
            self.note_max_length(form, name, attrs)
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                form.fields.append((self.select, value))
                self.select_chosen = True

    @staticmethod
    def note_max_length(form: Form, name: str, attrs: dict[str, str]) -> None:
        if attrs.get("maxlength", "").isdigit():
            form.max_lengths[name] = int(attrs["maxlength"])

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None and self.forms:
            self.forms[-1].fields.append((self.textarea, "".join(self.buffer).lstrip("\n")))
            self.forms[-1].text_fields.append(self.textarea)
            self.textarea = None
        elif tag == "select" and self.select is not None and self.forms:
            if not self.select_chosen and self.select_first is not None:
                self.forms[-1].fields.append((self.select, self.select_first))
            self.select = None


def forms_of(page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(page)
    return parser.forms


class Client:
    """A cookie-keeping HTTP client for the audit site; follows redirects."""

    def __init__(self, base: str = BASE) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        url = path if path.startswith("http") else self.base + path
        url = urllib.parse.quote(url, safe=":/?&=%#+,;@[]~")  # Chinese query words, as a browser
        request = urllib.request.Request(
            url, data=data, headers={"Referer": url, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as answer:
                body = answer.read().decode("utf-8", "replace")
                cookies = answer.headers.get_all("Set-Cookie") or []
                return Response(answer.status, dict(answer.headers), body, answer.url, cookies)
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            cookies = error.headers.get_all("Set-Cookie") or []
            return Response(error.code, dict(error.headers), body, url, cookies)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request(path, headers=headers)

    def post(self, path: str, fields: Any) -> Response:
        return self.request(path, urllib.parse.urlencode(fields, doseq=True).encode())

    def post_file(
        self, path: str, fields: dict[str, Any], name: str, filename: str, content: bytes
    ) -> Response:
        """A multipart/form-data POST with one file, as a browser sends an upload form."""
        boundary = f"----audit{secrets.token_hex(12)}"
        parts: list[bytes] = []
        for key, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                    f"{item}\r\n".encode()
                )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def form(self, path: str, contains: str = "csrfmiddlewaretoken") -> tuple[Response, Form]:
        """The first form on the page at `path` whose fields include `contains`."""
        page = self.get(path)
        for form in forms_of(page.text):
            if contains in form.file_fields or any(name == contains for name, _ in form.fields):
                return page, form
        raise LookupError(f"no form with {contains!r} on {path} ({page.status})")

    def submit(self, page: Response, form: Form, changes: dict[str, Any]) -> Response:
        values: dict[str, Any] = form.values()
        values.update(changes)
        action = urllib.parse.urljoin(page.url, form.action or page.url)
        return self.post(action, values)

    def csrf_token(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def cookies(self) -> dict[str, str]:
        return {cookie.name: cookie.value or "" for cookie in self.jar}

    def login(self, username: str, password: str, totp_key: str | None = None) -> None:
        page, form = self.form("/accounts/login/")
        answer = self.submit(page, form, {"username": username, "password": password})
        for _attempt in range(2):
            if "/accounts/2fa/" not in answer.url or not totp_key:
                break
            page, form = self.form(answer.url)
            answer = self.submit(page, form, {"token": totp_now(totp_key)})
            if "/accounts/2fa/" in answer.url:
                time.sleep(31)  # a code is good once: wait for the next 30-second step
        if answer.status != 200 or "/accounts/login/" in answer.url or "/2fa/" in answer.url:
            raise SystemExit(f"audit: {username} could not sign in ({answer.status} {answer.url})")
