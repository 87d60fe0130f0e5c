"""Lighthouse (npm lighthouse@12.2.3, Debian's Chromium, mobile) on the public pages, and
axe-core injected with Playwright into the public pages and every staff page."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import target
from target import ADMIN, BASE, TOOLS_DIR, Client

from yuanqu.core.pdf import CHROMIUM_ARGS

NODE_MODULES = TOOLS_DIR / "node/node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin/lighthouse"
AXE = NODE_MODULES / "axe-core/axe.min.js"
CHROMIUM = "/usr/lib/chromium/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Lighthouse checks a page fails on purpose (page path prefix, check id) with the reason. A
# score under 90 passes only when every check it lost points on is listed here.
BY_DESIGN = {
    ("/search/", "is-crawlable"): "internal search results are kept out of indexes (noindex, "
    "robots.txt), as search engines ask",
}


def public_pages() -> dict[str, str]:
    from yuanqu.listings.models import Carrier
    from yuanqu.news.models import Article

    article = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("-pk").first()
    carrier = Carrier.objects.filter(published_at__isnull=False).order_by("pk").first()
    return {
        "首页": "/",
        "资讯正文": article.get_absolute_url() if article else "/news/",
        "全文搜索": "/search/?q=厂房",
        "载体搜索": "/carriers/?kind=factory",
        "载体详情": f"/carriers/{carrier.pk}/" if carrier else "/carriers/",
        "需求表单": "/needs/new/",
    }


def lighthouse(report_dir: Path) -> tuple[bool, str]:
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"lighthouse is not installed ({LIGHTHOUSE}); run scripts/audit.sh")
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    scores: dict[str, dict[str, int]] = {}
    low: list[str] = []
    explained: list[str] = []
    out = report_dir / "lighthouse"
    out.mkdir(exist_ok=True)
    for index, (name, path) in enumerate(public_pages().items()):
        report = out / f"{index}.json"
        done = subprocess.run(
            [str(LIGHTHOUSE), BASE + path, "--output=json", f"--output-path={report}",
             f"--chrome-flags={flags}", "--quiet", "--only-categories=" + ",".join(CATEGORIES)],
            capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM},
        )  # fmt: skip
        if not report.exists():
            raise RuntimeError(f"lighthouse failed on {path}: {done.stderr.strip()[-200:]}")
        data = json.loads(report.read_text())
        scores[name] = {
            key: round((data["categories"][key]["score"] or 0) * 100) for key in CATEGORIES
        }
        for key, score in scores[name].items():
            if score >= 90:
                continue
            lost = lost_points(data, key)
            reasons = [by_design(path, check) for check in lost]
            if lost and all(reasons):
                explained.append(
                    f"{name} {key} {score}: {'; '.join(sorted(set(filter(None, reasons))))}"
                )
            else:
                low.append(f"{name} {key} {score} ({', '.join(lost)})")
    (report_dir / "lighthouse-scores.json").write_text(
        json.dumps(scores, ensure_ascii=False, indent=2)
    )
    lowest = {key: min(row[key] for row in scores.values()) for key in CATEGORIES}
    line = f"{len(scores)} pages, mobile; lowest scores: " + ", ".join(
        f"{key} {value}" for key, value in lowest.items()
    )
    if low:
        line += f"; below 90: {'; '.join(low[:6])}"
    if explained:
        line += f"; below 90 by design: {'; '.join(explained)}"
    return not low, line


def by_design(path: str, check: str) -> str | None:
    return next(
        (
            why
            for (prefix, name), why in BY_DESIGN.items()
            if name == check and path.startswith(prefix)
        ),
        None,
    )


def lost_points(report: dict[str, Any], category: str) -> list[str]:
    """The weighted checks of a category the page did not fully pass."""
    audits = report["audits"]
    return [
        ref["id"]
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        and audits[ref["id"]].get("score") is not None
        and audits[ref["id"]]["score"] < 1
    ]


def staff_pages() -> list[str]:
    """Every staff page there is, with real ids from the demo data."""
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.leads.models import Lead
    from yuanqu.listings.models import Carrier
    from yuanqu.parks.models import Park
    from yuanqu.pipeline.models import Project

    lead = Lead.objects.order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    enterprise = Enterprise.objects.order_by("pk").first()
    carrier = Carrier.objects.order_by("pk").first()
    park = Park.objects.order_by("pk").first()
    return [
        "/accounts/", "/accounts/2fa/", "/accounts/personal-data/access-log/",
        "/workbench/", "/workbench/leads/", f"/workbench/leads/{lead.pk if lead else 0}/",
        "/workbench/projects/", "/workbench/projects/table/", "/workbench/projects/alerts/",
        "/workbench/projects/new/", "/workbench/projects/analytics/",
        "/workbench/projects/analytics/projects/?metric=signed",
        f"/workbench/projects/{project.pk if project else 0}/",
        f"/workbench/projects/{project.pk if project else 0}/edit/",
        "/workbench/enterprises/", "/workbench/enterprises/new/",
        f"/workbench/enterprises/{enterprise.pk if enterprise else 0}/",
        f"/workbench/enterprises/{enterprise.pk if enterprise else 0}/edit/",
        "/workbench/enterprises/import/", "/workbench/enterprises/targets/",
        "/workbench/api-tokens/", "/workbench/chains/", "/workbench/chains/city/",
        "/workbench/chains/targets/", "/dashboard/", f"/dashboard/parks/{park.pk if park else 0}/",
        "/dashboard/report/", "/dashboard/import/", "/carriers/manage/", "/carriers/manage/new/",
        f"/carriers/manage/{carrier.pk if carrier else 0}/", "/carriers/manage/import/",
        f"/needs/staff/{lead.pk if lead else 0}/",
    ]  # fmt: skip


def more_public_pages() -> list[str]:
    from yuanqu.news.models import Category
    from yuanqu.parks.models import Park

    category = Category.objects.order_by("pk").first()
    park = Park.objects.order_by("pk").first()
    return [
        "/news/", f"/news/category/{category.slug}/" if category else "/news/", "/parks/",
        f"/parks/{park.slug}/" if park else "/parks/", "/needs/privacy/", "/carriers/compare/",
        "/carriers/?view=map", "/accounts/login/", "/accounts/password-reset/", "/no-such-page/",
    ]  # fmt: skip


def axe(report_dir: Path) -> tuple[bool, str]:
    from playwright.sync_api import sync_playwright

    if not AXE.exists():
        raise RuntimeError(f"axe-core is not installed ({AXE}); run scripts/audit.sh")
    staff = Client()
    staff.login(*ADMIN, totp_key=target.admin_totp_key())
    source = AXE.read_text()
    pages = [("visitor", path) for path in [*public_pages().values(), *more_public_pages()]]
    pages += [("staff", path) for path in staff_pages()]
    results: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        contexts = {"visitor": browser.new_context(), "staff": browser.new_context()}
        contexts["staff"].add_cookies(
            [{"name": key, "value": value, "url": BASE} for key, value in staff.cookies().items()]
        )
        tabs = {who: context.new_page() for who, context in contexts.items()}
        for who, path in pages:
            tab = tabs[who]
            answer = tab.goto(BASE + path, wait_until="load")
            # Evaluated through the DevTools protocol, so the page's CSP does not block it.
            tab.evaluate(source)
            found = tab.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
                " target: v.nodes[0] && v.nodes[0].target.join(' ')}))"
            )
            results.append({
                "who": who, "path": path, "status": answer.status if answer else 0,
                "final_url": tab.url, "violations": found,
            })  # fmt: skip
        browser.close()
    (report_dir / "axe.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    serious = [
        f"{row['path']} {violation['id']}"
        for row in results
        for violation in row["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    broken = [
        row["path"]
        for row in results
        if row["status"] >= 500 or (row["who"] == "staff" and "/login/" in row["final_url"])
    ]
    minor = sum(len(row["violations"]) for row in results) - len(serious)
    line = (
        f"{len(results)} pages ({sum(r['who'] == 'staff' for r in results)} staff): "
        f"{len(serious)} serious or critical violations, {minor} moderate or minor"
    )
    if serious:
        line += f" ({'; '.join(serious[:4])})"
    if broken:
        line += f"; pages that did not open: {', '.join(broken[:4])}"
    return not serious and not broken, line
