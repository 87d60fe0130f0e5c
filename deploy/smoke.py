"""Smoke test through nginx (used by scripts/deploy-check.sh): the public journeys and a
staff login, and the microcache's rules. Exits non-zero with the failing step."""

from __future__ import annotations

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

BASE = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8088"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def client(follow: bool = True) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    handlers: list = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers)


def get(opener, path: str, headers: dict | None = None):
    request = urllib.request.Request(BASE + path, headers=headers or {})
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")
    return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def post(opener, path: str, fields: dict):
    data = urllib.parse.urlencode(fields, doseq=True).encode()
    request = urllib.request.Request(BASE + path, data=data, headers={"Referer": BASE + path})
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")
    return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def check(step: str, condition: bool) -> None:
    print(("ok   " if condition else "FAIL ") + step)
    if not condition:
        sys.exit(1)


def main() -> None:
    visitor = client()
    status, _headers, home = get(visitor, "/")
    check("home page", status == 200 and "<html" in home)
    _status, again, _body = get(client(), "/")
    check("home page from the microcache", again.get("X-Micro-Cache") == "HIT")
    _status, personal, _body = get(client(), "/", {"Cookie": "sessionid=someone"})
    check("a session bypasses the microcache", personal.get("X-Micro-Cache") == "BYPASS")
    status, _headers, news = get(visitor, "/news/")
    article = re.search(r'href="(/news/\d+/[^"]*)"', news)
    check("news list links an article", status == 200 and article is not None)
    status, _headers, _page = get(visitor, article.group(1))  # type: ignore[union-attr]
    check("article page", status == 200)
    status, _headers, found = get(visitor, "/search/?q=" + urllib.parse.quote("厂房"))
    check("search", status == 200)
    status, carriers_headers, _page = get(visitor, "/carriers/?kind=factory")
    check("carrier search", status == 200)
    status, _headers, form = get(visitor, "/needs/new/")
    token = CSRF.search(form)
    check("need form", status == 200 and token is not None)
    status, _headers, results = post(visitor, "/needs/new/", {
        "csrfmiddlewaretoken": token.group(1), "action": "submit",  # type: ignore[union-attr]
        "idempotency_key": uuid.uuid4().hex, "kind": "factory", "deal": "rent",
        "area_unit": "m2", "area_min": "1000", "area_max": "3000", "industry": "3514",
        "mobile": "13912345678", "consent": "on",
    })  # fmt: skip
    check("need submitted, results shown", status == 200 and "需求编号" in results)
    staff = client()
    status, _headers, login = get(staff, "/accounts/login/")
    token = CSRF.search(login)
    status, _headers, desk = post(staff, "/accounts/login/?next=/workbench/", {
        "csrfmiddlewaretoken": token.group(1),  # type: ignore[union-attr]
        "username": "demo_officer", "password": "Demo-officer-2026",
    })  # fmt: skip
    check("staff login reaches the workbench", status == 200 and "工作台" in desk)
    print("smoke test passed")


if __name__ == "__main__":
    main()
