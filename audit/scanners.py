"""The audits that drive outside scanners (sqlmap, wapiti, pip-audit) or read the answers'
headers. Each returns (passed, one-line verdict) and leaves its raw report in report_dir."""

from __future__ import annotations

import json
import os
import re
import subprocess
import urllib.parse
from pathlib import Path
from typing import Any

import target
from target import BASE, ROOT, TOOLS_DIR, Client

SQLMAP = TOOLS_DIR / "sqlmap/bin/sqlmap"
WAPITI = TOOLS_DIR / "wapiti/bin/wapiti"
PIP_AUDIT = TOOLS_DIR / "pipaudit/bin/pip-audit"
SITE_PACKAGES = next((ROOT / ".venv/lib").glob("python3*/site-packages"), ROOT / ".venv/lib")


def require(tool: Path) -> None:
    if not tool.exists():
        raise RuntimeError(f"{tool.name} is not installed ({tool}); run scripts/audit.sh")


def sqlmap_targets() -> list[dict[str, Any]]:
    """Every public query parameter and form, with values the views accept."""
    from yuanqu.listings.models import Carrier
    from yuanqu.news.models import Category
    from yuanqu.parks.models import Park

    park = Park.objects.order_by("pk").values_list("pk", "slug").first() or (1, "x")
    carrier = Carrier.objects.filter(published_at__isnull=False).order_by("pk").first()
    category = Category.objects.order_by("pk").values_list("slug", flat=True).first() or "x"
    carrier_query = urllib.parse.urlencode({
        "q": "厂房", "kind": "factory", "deal": "rent", "district": "320312", "park": park[0],
        "area_min": "100", "area_max": "50000", "area_unit": "m2", "price_min": "1",
        "price_max": "100", "price_unit": "yuan_m2_month", "height_min": "6", "load_min": "1",
        "power_min": "100", "crane": "1", "yard": "1", "eia": "1", "deed": "yes", "fire": "c",
        "bbox": "117,34,118,35", "sort": "price", "view": "list", "page": "1",
    })  # fmt: skip
    need = {
        "csrfmiddlewaretoken": "from-the-form", "action": "submit", "idempotency_key": "sqlmap0000000000", "kind": "factory",
        "deal": "rent", "area_unit": "m2", "area_min": "1000", "area_max": "3000",
        "industry": "3514", "industry_query": "机械", "mobile": "13900001111", "consent": "on",
        "company": "测试公司", "contact_name": "张先生", "intended_use": "机加工",
        "need_text": "找厂房", "source": "/", "budget_value": "20", "budget_unit": "yuan_m2_month",
        "height_m": "8", "timing": "3m", "jobs": "50", "parks": str(park[0]),
    }  # fmt: skip
    api_need = {
        "kind": "factory", "deal": "rent", "area_unit": "m2", "area_min": "1000",
        "area_max": "3000", "industry": "3514", "mobile": "13900002222", "consent": True,
        "company": "测试公司", "contact_name": "张先生", "intended_use": "机加工",
    }  # fmt: skip
    targets: list[dict[str, Any]] = [
        {"name": "全文搜索", "url": f"{BASE}/search/?q=厂房&category={category}&page=1"},
        {"name": "资讯分类", "url": f"{BASE}/news/category/{category}/?page=1"},
        {"name": "载体搜索", "url": f"{BASE}/carriers/?{carrier_query}"},
        {"name": "载体地图", "url": f"{BASE}/carriers/map.json?{carrier_query}"},
        {"name": "载体对比", "url": f"{BASE}/carriers/compare/?ids={carrier.pk if carrier else 1}"},
        {"name": "园区列表", "url": f"{BASE}/parks/?region=320312&page=1"},
        {"name": "行业选择", "url": f"{BASE}/needs/industries/?q=机械&industry_query=机械"},
        {"name": "登录跳转", "url": f"{BASE}/accounts/login/?next=/workbench/"},
        {"name": "API 资讯", "url": f"{BASE}/api/v1/articles?q=厂房&category={category}&page=1"},
        {"name": "API 载体", "url": f"{BASE}/api/v1/carriers?{carrier_query}"},
        {"name": "API 园区", "url": f"{BASE}/api/v1/parks?region=320312&q=经济"},
        {"name": "API 行业", "url": f"{BASE}/api/v1/industries/search?q=挖掘机"},
        {
            "name": "需求表单 POST",
            "url": f"{BASE}/needs/new/",
            "data": urllib.parse.urlencode(need),
            "csrf": f"{BASE}/needs/new/",
        },
        {
            "name": "登录表单 POST",
            "url": f"{BASE}/accounts/login/",
            "data": "csrfmiddlewaretoken=from-the-form&username=nobody&password=wrong-password",
            "csrf": f"{BASE}/accounts/login/",
        },
        {
            "name": "订阅表单 POST",
            "url": f"{BASE}/carriers/saved/new/",
            "data": "csrfmiddlewaretoken=from-the-form&qs=kind%3Dfactory&channel=email&email=a%40example.com&frequency=weekly"
            "&consent=on",
            "csrf": f"{BASE}/carriers/saved/new/",
        },
        {"name": "API 需求 POST", "url": f"{BASE}/api/v1/needs", "json": api_need},
        {"name": "API 解析 POST", "url": f"{BASE}/api/v1/needs/parse", "json": {"text": "找厂房"}},
    ]
    return targets


# Level 1 tests GET and POST parameters; 2 adds the Cookie header, 3 User-Agent and Referer
# (each level several times slower).
SQLMAP_LEVEL = int(os.environ.get("AUDIT_SQLMAP_LEVEL", "1"))
SQLMAP_PARALLEL = 3  # sqlmap's detection is sequential: one process per target, three at once


def sqlmap_one(index: int, item: dict[str, Any], out: Path) -> tuple[dict[str, Any], str, set[str]]:
    command = [
        str(SQLMAP), "-u", item["url"], "--batch", "--level", str(SQLMAP_LEVEL), "--risk", "1",
        "--technique", "BEUST", "--time-sec", "3", "--flush-session", "--disable-coloring",
        "--output-dir", str(out / str(index)), "--answers", "follow=N", "--skip-waf",
        "--timeout", "20", "--retries", "1",
    ]  # fmt: skip
    if "data" in item:
        command += ["--data", item["data"]]
    if "json" in item:
        command += ["--data", json.dumps(item["json"], ensure_ascii=False)]
    if "csrf" in item:
        command += ["--csrf-token", "csrfmiddlewaretoken", "--csrf-url", item["csrf"]]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    text = f"===== {item['name']}: {' '.join(command)}\n{done.stdout}\n{done.stderr}\n"
    tested = set(re.findall(r"testing if (?:\(custom\) )?\w+ parameter '([^']+)'", done.stdout))
    tested |= set(re.findall(r"parameter '([^']+)' does not seem to be injectable", done.stdout))
    return item, text, {f"{item['name']}:{name}" for name in tested}


def sqlmap(report_dir: Path) -> tuple[bool, str]:
    from concurrent.futures import ThreadPoolExecutor

    require(SQLMAP)
    out = report_dir / "sqlmap"
    out.mkdir(exist_ok=True)
    targets = sqlmap_targets()
    injectable, untested, parameters = [], [], set()
    with ThreadPoolExecutor(SQLMAP_PARALLEL) as pool:
        runs = list(pool.map(lambda pair: sqlmap_one(pair[0], pair[1], out), enumerate(targets)))
    with (out / "sqlmap.log").open("w") as log:
        for item, text, tested in runs:
            log.write(text)
            parameters |= tested
            if "identified the following injection point" in text:
                injectable.append(item["name"])
            elif "do not appear to be injectable" not in text or not tested:
                untested.append(item["name"])
    line = (
        f"{len(parameters)} parameters of {len(targets)} forms and URLs (techniques BEUST, "
        f"level {SQLMAP_LEVEL}): {len(injectable)} injectable"
    )
    if injectable:
        line += f" ({', '.join(injectable)})"
    if untested:
        line += f"; not tested to the end: {', '.join(untested)}"
    return not injectable and not untested, line


# Wapiti findings that cannot apply to the audit target, with the reason they do not.
NOT_APPLICABLE = {
    "HTTP Strict Transport Security (HSTS)": "the target is plain HTTP on loopback; HSTS is "
    "sent over HTTPS (checked by the headers audit)",
    "Secure Flag cookie": "plain HTTP on loopback runs with SECURE_COOKIES=0; the headers audit "
    "checks the Secure flag with the production default",
    "Unencrypted Channels": "the target is loopback HTTP; TLS is nginx's (deploy/nginx)",
}


def wapiti(report_dir: Path) -> tuple[bool, str]:
    require(WAPITI)
    report = report_dir / "wapiti.json"
    command = [
        str(WAPITI), "-u", f"{BASE}/", "--scope", "folder", "-f", "json", "-o", str(report),
        "--flush-session", "--max-scan-time", "900", "--max-attack-time", "120",
        "--max-links-per-page", "40", "--max-files-per-dir", "60", "--depth", "4",
        "-x", f"{BASE}/admin/", "-x", f"{BASE}/accounts/logout/", "--verify-ssl", "0",
        "-m", "common,crlf,xxe,methods,csrf",
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    (report_dir / "wapiti.log").write_text(done.stdout + done.stderr)
    if not report.exists():
        raise RuntimeError(f"wapiti wrote no report (exit {done.returncode})")
    data = json.loads(report.read_text())
    findings: list[str] = []
    explained: list[str] = []
    for category, items in data.get("vulnerabilities", {}).items():
        for item in items:
            if item.get("level", 0) < 2:  # wapiti: 1 low, 2 medium, 3 high, 4 critical
                continue
            (explained if category in NOT_APPLICABLE else findings).append(
                f"{category}: {item.get('path')} {item.get('info', '')[:80]}"
            )
    anomalies = sum(len(items) for items in data.get("anomalies", {}).values())
    crawled = len(data.get("infos", {}).get("crawled_pages", [])) or data.get("infos", {}).get(
        "crawled_pages_nbr", 0
    )
    line = (
        f"{crawled} pages crawled, all modules: {len(findings)} findings of medium severity or "
        f"above unexplained, {len(explained)} not applicable on loopback HTTP, "
        f"{anomalies} anomalies (server errors or timeouts)"
    )
    if findings:
        line += f" — {'; '.join(findings[:3])}"
    return not findings and anomalies == 0, line


REQUIRED_HEADERS = {
    # Scripts from the site itself (and nonces where a page has an inline one), nothing inline
    # without a nonce, no eval, no framing, no plugins.
    "Content-Security-Policy": re.compile(
        r"^(?!.*unsafe-eval)(?!.*script-src[^;]*unsafe-inline)(?=.*script-src 'self'(?: 'nonce-"
        r"[^']+')?(?:;|$))(?=.*frame-ancestors 'none')(?=.*object-src 'none')(?=.*base-uri 'self')"
    ),
    "X-Frame-Options": re.compile(r"^DENY$"),
    "X-Content-Type-Options": re.compile(r"^nosniff$"),
    "Referrer-Policy": re.compile(r"same-origin|strict-origin"),
    "Cross-Origin-Opener-Policy": re.compile(r"^same-origin$"),
    "Strict-Transport-Security": re.compile(r"max-age=(3153[6-9]\d{3}|[4-9]\d{7}|\d{9,})"),
}


def headers(report_dir: Path) -> tuple[bool, str]:
    """The answers of a second server with the production defaults for cookies and HSTS,
    asked as nginx would after TLS (X-Forwarded-Proto: https)."""
    port = target.PORT + 1
    server = target.start(port, SECURE_COOKIES="1", SECURE_HSTS_SECONDS="31536000")
    problems: list[str] = []
    pages = ["/", "/news/", "/search/?q=厂房", "/carriers/", "/needs/new/", "/parks/",
             "/accounts/login/", "/api/v1/carriers", "/admin/login/", "/no-such-page/"]  # fmt: skip
    seen: dict[str, Any] = {}
    try:
        client = Client(f"http://127.0.0.1:{port}")
        for path in pages:
            answer = client.get(path, headers={"X-Forwarded-Proto": "https"})
            seen[path] = {"status": answer.status, "headers": answer.headers}
            is_json = "json" in answer.headers.get("Content-Type", "")
            for name, pattern in REQUIRED_HEADERS.items():
                if is_json and name in {"Content-Security-Policy", "Cross-Origin-Opener-Policy"}:
                    continue
                if not pattern.search(answer.headers.get(name, "")):
                    problems.append(f"{path} {name}={answer.headers.get(name)!r}")
            for leaky in ("X-Powered-By", "X-Debug-Token"):
                if leaky in answer.headers:
                    problems.append(f"{path} sends {leaky}")
            if re.search(r"\d+\.\d+", answer.headers.get("Server", "")):
                problems.append(f"{path} Server header names a version")
        cookie_page = client.get("/needs/new/", headers={"X-Forwarded-Proto": "https"})
        raw_cookies = cookie_page.set_cookies
        for cookie in raw_cookies:
            flags = cookie.lower()
            if (
                "secure" not in flags
                or "samesite=lax" not in flags
                and "samesite=strict" not in flags
            ):
                problems.append(f"cookie without Secure/SameSite: {cookie.split('=')[0]}")
        if not raw_cookies:
            problems.append("the need form set no CSRF cookie to check")
    finally:
        target.stop(server)
    (report_dir / "headers.json").write_text(
        json.dumps({"pages": seen, "problems": problems}, ensure_ascii=False, indent=2)
    )
    line = (
        f"{len(pages)} pages (HTML, JSON, admin, 404): CSP with nonces, HSTS 1 year, "
        f"frame/sniff/referrer/COOP headers and Secure+SameSite cookies — "
        f"{len(problems)} problems"
    )
    if problems:
        line += f" ({'; '.join(problems[:3])})"
    return not problems, line


def check_deploy(report_dir: Path) -> tuple[bool, str]:
    """Django's deployment checklist with the env file's production values."""
    env = target.site_env(
        SECURE_COOKIES="1", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000",
        ALLOWED_HOSTS="yuanqu.example.cn",
    )  # fmt: skip
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "check", "--deploy", "--fail-level",
         "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    (report_dir / "check-deploy.txt").write_text(done.stdout + done.stderr)
    issues = re.findall(r"^\?: \((\S+)\)|^\S+: \((\S+)\)", done.stdout + done.stderr, re.M)
    line = f"manage.py check --deploy --fail-level WARNING: {len(issues)} issues"
    return (
        done.returncode == 0,
        line if done.returncode == 0 else line + f" (exit {done.returncode})",
    )


def pip_audit(report_dir: Path) -> tuple[bool, str]:
    """pip-audit of the app's installed packages. A package the vulnerability service could
    not be asked about is not a pass: the verdict counts them and fails."""
    require(PIP_AUDIT)
    report = report_dir / "pip-audit.json"
    done = subprocess.run(
        [str(PIP_AUDIT), "--path", str(SITE_PACKAGES), "-f", "json", "-o", str(report),
         "--progress-spinner", "off", "--timeout", "30"],
        capture_output=True, text=True, timeout=1800, env={**os.environ, "PIP_NO_INPUT": "1"},
    )  # fmt: skip
    (report_dir / "pip-audit.log").write_text(done.stdout + done.stderr)
    if not report.exists():
        raise RuntimeError(f"pip-audit wrote no report (exit {done.returncode})")
    dependencies = json.loads(report.read_text()).get("dependencies", [])
    skipped = [item["name"] for item in dependencies if item.get("skip_reason")]
    vulnerable = [
        f"{item['name']} {item['version']}: {', '.join(v['id'] for v in item['vulns'])}"
        for item in dependencies
        if item.get("vulns")
    ]
    audited = len(dependencies) - len(skipped)
    line = f"{audited} of {len(dependencies)} installed packages checked: {len(vulnerable)} with known vulnerabilities"
    if vulnerable:
        line += f" ({'; '.join(vulnerable[:3])})"
    if skipped:
        line += (
            f"; {len(skipped)} could not be checked (the vulnerability service, PyPI's JSON "
            "API, is not reachable from this machine: only the package index mirror is)"
        )
    return not vulnerable and not skipped, line
