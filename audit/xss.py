"""XSS audit: every payload of xss_payloads.txt stored through the site's own forms (need form,
follow-up notes, carrier fields, paste-an-ad, article fields in the admin, enterprise and
project fields, saved-search labels, Excel files through the carrier and enterprise imports,
indicator import file names) and reflected through query parameters and through the error
reports of the enterprise and indicator imports (files uploaded in Chromium whose bad cells
hold the payloads), then every page that shows them opened in Chromium with traps (and every
HTML part of the e-mails the site sent meanwhile; the audit fails when no e-mail carried a
payload, or when an import's error report echoed none):

- executed: a JavaScript dialog opened (each payload calls alert(<its number>));
- blocked by CSP only: the console reports a Content Security Policy refusal, i.e. markup got
  through escaping and only the policy stopped it;
- active markup: after load, the DOM holds an injected event handler, a javascript:/data: URL,
  an injected script or a JSON-LD block that no longer parses.

All three must be 0. A form that stored no payload at all fails the audit (coverage, not luck).
"""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import target
from target import ADMIN, Client, Form

from yuanqu.core.pdf import CHROMIUM_ARGS

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Fields a payload cannot pass validation in, by design (codes with a checked format).
CODED_FIELDS = re.compile(
    r"credit_code|industry_code|mobile|email|idempotency|csrf|token|qs$|slug|url$|published_at"
    r"|industries"
)
DOM_PROBE = """() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\x00-\\x20]/g, "").toLowerCase();
      if (name.startsWith("on") && /alert|eval/.test(value)) {
        found.push(element.tagName + "[" + name + "]");
      } else if (urlAttributes.includes(name) && /^(javascript|data:text\\/html)/.test(value)) {
        found.push(element.tagName + "[" + name + "=" + value.slice(0, 40) + "]");
      } else if (name === "srcdoc") {
        found.push(element.tagName + "[srcdoc]");
      }
    }
    if (element.tagName === "SCRIPT") {
      const type = (element.type || "").toLowerCase();
      if (type.includes("json")) {
        try { JSON.parse(element.textContent); } catch (error) { found.push("broken JSON script"); }
      } else if (/alert/.test(element.textContent)) {
        found.push("SCRIPT " + element.textContent.slice(0, 40));
      }
    }
    if (element.tagName === "META" && /refresh/i.test(element.httpEquiv) && /javascript/i.test(element.content)) {
      found.push("META refresh");
    }
  }
  return found;
}"""


def payloads() -> list[tuple[int, str]]:
    lines = [line for line in PAYLOAD_FILE.read_text().splitlines() if line and line[0] != "#"]
    return [(n, line.replace("{n}", str(n))) for n, line in enumerate(lines, start=1)]


def marked(n: int, payload: str) -> str:
    # The marker follows a JS comment so it never spoils a javascript: URL payload.
    return f"{payload}//xss{n:02d}"


@dataclass
class Plan:
    """What was stored through each input, and the pages to open afterwards."""

    items: list[tuple[int, str]] = field(default_factory=list)  # the payloads, numbered
    stored: dict[str, int] = field(default_factory=dict)
    attempted: dict[str, int] = field(default_factory=dict)
    public_pages: list[str] = field(default_factory=list)
    staff_pages: list[str] = field(default_factory=list)
    browser_forms: list[tuple[str, str, str, str]] = field(default_factory=list)
    # (form page, label, file name, .xlsx bytes): uploaded in Chromium, the report inspected.
    browser_uploads: list[tuple[str, str, str, bytes]] = field(default_factory=list)
    upload_pages: list[str] = field(default_factory=list)  # opened after the uploads

    def count(self, input_name: str, stored: bool) -> None:
        self.attempted[input_name] = self.attempted.get(input_name, 0) + 1
        self.stored[input_name] = self.stored.get(input_name, 0) + int(stored)


def fill(form: Form, value: str) -> dict[str, str]:
    """The payload in every free-text field of `form` it fits in."""
    return {
        name: value
        for name in form.text_fields
        if not CODED_FIELDS.search(name) and len(value) <= form.max_lengths.get(name, 100_000)
    }


def path_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def holds(model: Any, pk: int, n: int) -> bool:
    row = model.objects.filter(pk=pk).values().first() or {}
    return any(f"xss{n:02d}" in str(value) for value in row.values())


def store_needs(plan: Plan, items: list[tuple[int, str]]) -> None:
    from yuanqu.leads.models import Lead

    visitor = Client()
    for n, payload in items:
        page, form = visitor.form("/needs/new/", contains="idempotency_key")
        key = uuid.uuid4().hex
        fields = {
            **fill(form, marked(n, payload)), "action": "submit", "idempotency_key": key,
            "kind": "factory", "deal": "rent", "area_unit": "m2", "area_min": "1000",
            "area_max": "3000", "industry": "3514", "mobile": f"1390000{n:04d}", "consent": "on",
        }  # fmt: skip
        fields.pop("industry_query", None)
        fields["source"] = marked(n, payload)  # hidden: the page the visitor came from
        answer = visitor.submit(page, form, fields)
        lead = Lead.objects.filter(idempotency_key=key).first()
        plan.count("需求表单", lead is not None and holds(Lead, lead.pk, n))
        if lead is None:
            continue
        plan.public_pages.append(path_of(answer.url))
        plan.staff_pages += [f"/workbench/leads/{lead.pk}/", f"/admin/leads/lead/{lead.pk}/change/"]


def store_follow_ups(plan: Plan, staff: Client, items: list[tuple[int, str]]) -> None:
    from yuanqu.leads.models import Lead

    leads = list(Lead.objects.order_by("-pk").values_list("pk", flat=True)[: len(items)])
    for (n, payload), lead_id in zip(items, leads, strict=False):
        page, form = staff.form(f"/workbench/leads/{lead_id}/", contains="notes")
        staff.submit(page, form, fill(form, marked(n, payload)))
        stored = Lead.objects.filter(pk=lead_id, follow_ups__notes__contains=f"xss{n:02d}").exists()
        plan.count("线索跟进记录", stored)


def store_edits(
    plan: Plan, staff: Client, name: str, model: Any, ids: list[int], form_url: str,
    contains: str, pages: list[str], items: list[tuple[int, str]],
) -> None:  # fmt: skip
    """Edit existing records through their staff form, one payload per record."""
    for (n, payload), pk in zip(items, ids, strict=False):
        page, form = staff.form(form_url.format(pk=pk), contains=contains)
        changes: dict[str, Any] = fill(form, marked(n, payload))
        if "/admin/" in form_url:
            changes["_save"] = "保存"
        staff.submit(page, form, changes)
        plan.count(name, holds(model, pk, n))
        for url in pages:
            if url.startswith("staff:"):
                plan.staff_pages.append(url.removeprefix("staff:").format(pk=pk))
            else:
                plan.public_pages.append(url.format(pk=pk))


def store_saved_searches(plan: Plan, items: list[tuple[int, str]]) -> None:
    from yuanqu.listings.models import SavedSearch

    visitor = Client()
    for n, payload in items:
        query = urllib.parse.urlencode({"q": marked(n, payload)[:100], "kind": "factory"})
        form_path = "/carriers/saved/new/?" + urllib.parse.urlencode({"qs": query})
        page, form = visitor.form(form_path, contains="channel")
        visitor.submit(page, form, {
            "qs": query, "channel": "email", "email": f"audit{n}@example.com", "frequency": "weekly",
            "consent": "on",
        })  # fmt: skip
        saved = SavedSearch.objects.filter(email=f"audit{n}@example.com").first()
        plan.count("订阅条件", saved is not None and holds(SavedSearch, saved.pk, n))
        plan.public_pages.append(form_path)  # the label is shown above the form


def import_row(
    model: Any, columns: list[tuple[str, str, str, str]], n: int, payload: str,
    fixed: dict[str, str],
) -> list[str]:  # fmt: skip
    """One spreadsheet row of an import (columns as (header, field, kind, example)): the
    payload in every text column it fits, a short marked text where it is too long (the
    imports save all rows or none), `fixed` values elsewhere."""
    value = marked(n, payload)
    row = []
    for _header, name, kind, _example in columns:
        if kind == "text":
            limit = getattr(model._meta.get_field(name), "max_length", None) or 100_000
            row.append(value if len(value) <= limit else f"导入{n}//xss{n:02d}")
        else:
            row.append(fixed.get(name, ""))
    return row


def store_carrier_import(plan: Plan, staff: Client, items: list[tuple[int, str]]) -> None:
    """One Excel file through the carrier import form, a row per payload, the payload in every
    text column it fits (the import saves all rows or none, so a too long value is left out)."""
    from yuanqu.listings.importing import COLUMNS
    from yuanqu.listings.models import Carrier

    fixed = {"park": first_park().name, "kind": "厂房", "deal": "出租",
             "building_area_m2": "1000", "price_negotiable": "是"}  # fmt: skip
    rows = [import_row(Carrier, COLUMNS, n, payload, fixed) for n, payload in items]
    content = xlsx({"Sheet": [[header for header, *_ in COLUMNS], *rows]})
    before = set(Carrier.objects.values_list("pk", flat=True))
    page, form = staff.form("/carriers/manage/import/", contains="publish")
    staff.post_file(
        urllib.parse.urljoin(page.url, form.action or page.url),
        {**form.values(), "publish": "1"}, "file", "carriers.xlsx", content,
    )  # fmt: skip
    imported = Carrier.objects.exclude(pk__in=before)
    for n, _payload in items:
        carrier = next((c for c in imported if f"xss{n:02d}" in c.description), None)
        plan.count("载体导入(Excel)", carrier is not None and holds(Carrier, carrier.pk, n))
        if carrier is not None:
            plan.public_pages.append(f"/carriers/{carrier.pk}/")
            plan.staff_pages.append(f"/carriers/manage/{carrier.pk}/")


def xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An .xlsx file with these sheets (title → rows)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def first_park() -> Any:
    from yuanqu.parks.models import Park

    park = Park.objects.filter(is_active=True).order_by("pk").first()
    assert park is not None, "the demo data has parks"
    return park


def store_enterprise_import(plan: Plan, staff: Client, items: list[tuple[int, str]]) -> None:
    """One Excel file through the enterprise import, a row per payload (a new firm with a
    valid credit code), the payload in every text column it fits."""
    from yuanqu.enterprises import credit_code
    from yuanqu.enterprises.importing import COLUMNS
    from yuanqu.enterprises.models import Enterprise

    park = first_park()
    rows = [
        import_row(
            Enterprise,
            COLUMNS,
            n,
            payload,
            {
                "park": park.name,
                "credit_code": credit_code.complete(f"91320301X{n:07d}"),
            },
        )  # fmt: skip
        for n, payload in items
    ]
    content = xlsx({"企业": [[header for header, *_ in COLUMNS], *rows]})
    page, form = staff.form("/workbench/enterprises/import/", contains="file")
    staff.post_file(
        urllib.parse.urljoin(page.url, form.action or page.url), form.values(), "file",
        "enterprises.xlsx", content,
    )  # fmt: skip
    for n, _payload in items:
        enterprise = Enterprise.objects.filter(name__contains=f"xss{n:02d}").first()
        plan.count(
            "企业导入(Excel)", enterprise is not None and holds(Enterprise, enterprise.pk, n)
        )
        if enterprise is not None:
            plan.staff_pages.append(f"/workbench/enterprises/{enterprise.pk}/")


def plan_import_reports(plan: Plan, items: list[tuple[int, str]]) -> None:
    """Files whose bad cells hold the payloads, for Chromium to upload: the error reports
    quote the cells (an unknown park, text where a date or a number belongs, an unknown
    indicator column). Plus indicator imports that succeed under a payload as the file name
    (shown in the import history); a name loses what precedes a slash, so only payloads
    without one are sent that way."""
    from yuanqu.enterprises.importing import COLUMNS
    from yuanqu.indicators.models import Indicator

    park = first_park()
    indicator = Indicator.objects.order_by("pk").first()
    assert indicator is not None, "the migrations create the standard indicators"
    headers = [header for header, *_ in COLUMNS]
    bad_enterprises = [headers]
    extra_columns = [marked(n, payload) for n, payload in items[:5]]
    bad_indicators: list[list[Any]] = [["园区", indicator.name, *extra_columns]]
    for n, payload in items:
        value = marked(n, payload)
        by_header = {"所在园区": value, "企业名称": f"企业{n}", "统一社会信用代码": "9132",
                     "行业代码": value, "高企认定日期": value, "四上类型": value}  # fmt: skip
        bad_enterprises.append([by_header.get(header, "") for header in headers])
        bad_indicators.append([value, value])
    plan.browser_uploads += [
        ("/workbench/enterprises/import/", "企业导入错误报告", "enterprises.xlsx",
         xlsx({"企业": bad_enterprises})),
        ("/dashboard/import/", "指标导入错误报告", "indicators.xlsx",
         xlsx({"2026-06": bad_indicators})),
    ]  # fmt: skip
    for n, payload in items:
        if "/" not in payload and "\\" not in payload:
            # A new value each time: an import that changes nothing records no batch.
            changed = xlsx({"2026-01": [["园区", indicator.name], [park.name, n]]})
            plan.browser_uploads.append(
                ("/dashboard/import/", "", f"{payload}xss{n:02d}.xlsx", changed)
            )
    plan.upload_pages.append("/dashboard/import/")


def plan_all(staff: Client) -> Plan:
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.listings.models import Carrier
    from yuanqu.news.models import Article
    from yuanqu.pipeline.models import Project

    items = payloads()
    plan = Plan(items=items)
    store_needs(plan, items)
    store_follow_ups(plan, staff, items)
    published = Carrier.objects.filter(published_at__isnull=False).order_by("pk")
    store_edits(
        plan, staff, "载体字段", Carrier, list(published.values_list("pk", flat=True)),
        "/carriers/manage/{pk}/", "park",
        ["/carriers/{pk}/", "/api/v1/carriers/{pk}", "staff:/carriers/manage/{pk}/"], items,
    )  # fmt: skip
    articles = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("pk")
    store_edits(
        plan, staff, "资讯(后台)", Article, list(articles.values_list("pk", flat=True)),
        "/admin/news/article/{pk}/change/", "body", ["/news/{pk}/", "/api/v1/articles/{pk}"],
        items,
    )  # fmt: skip
    store_edits(
        plan, staff, "企业库", Enterprise,
        list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)),
        "/workbench/enterprises/{pk}/edit/", "name", ["staff:/workbench/enterprises/{pk}/"], items,
    )  # fmt: skip
    store_edits(
        plan, staff, "招商项目", Project,
        list(Project.objects.order_by("pk").values_list("pk", flat=True)),
        "/workbench/projects/{pk}/edit/", "investor_name", ["staff:/workbench/projects/{pk}/"],
        items,
    )  # fmt: skip
    store_saved_searches(plan, items)
    store_carrier_import(plan, staff, items)
    store_enterprise_import(plan, staff, items)
    plan_import_reports(plan, items)
    # The e-mails those inputs cause (lead notices, subscription confirmations) are sent by
    # the task worker: one batch run sends them into the file-based backend.
    target.manage("db_worker", "--batch", "--no-startup-delay")
    for n, payload in items:
        quoted = urllib.parse.quote(marked(n, payload))
        plan.public_pages += [f"/search/?q={quoted}", f"/carriers/?q={quoted}",
                              f"/accounts/login/?next={quoted}"]  # fmt: skip
        plan.staff_pages += [f"/workbench/leads/?q={quoted}", f"/workbench/enterprises/?q={quoted}"]
        plan.browser_forms.append(("/carriers/manage/new/", "text", "paste", marked(n, payload)))
    # Pages that list many stored payloads at once.
    plan.public_pages += ["/", "/news/", "/news/feed/", "/carriers/", "/carriers/?page=2",
                          "/search/?q=xss", "/api/v1/carriers", "/api/v1/articles", "/sitemap.xml"]  # fmt: skip
    plan.staff_pages += [
        "/workbench/", "/workbench/leads/", "/workbench/leads/?page=2", "/carriers/manage/",
        "/workbench/enterprises/", "/workbench/projects/", "/workbench/projects/table/",
        "/admin/leads/lead/", "/admin/news/article/", "/admin/listings/carrier/",
        "/accounts/personal-data/access-log/",
    ]  # fmt: skip
    return plan


@dataclass
class Mail:
    """The e-mails the site sent during the audit (file-based backend): an e-mail can carry a
    payload (a lead's company, a subscription's label) to a mail client."""

    messages: int = 0
    carrying_payloads: int = 0
    html_parts: list[str] = field(default_factory=list)  # opened in Chromium like pages


def read_mail() -> Mail:
    import email
    from email import policy

    mail = Mail()
    for path in sorted(target.MAIL_DIR.glob("*.log")):
        # The backend appends each message followed by a line of 79 dashes.
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=policy.default)
            mail.messages += 1
            text = ""
            for part in message.walk():
                if part.is_multipart():
                    continue
                content = part.get_content()
                text += str(content)
                if part.get_content_type() == "text/html":
                    mail.html_parts.append(str(content))
            if re.search(r"xss\d\d", f"{message['Subject']}{text}"):
                mail.carrying_payloads += 1
    return mail


@dataclass
class Traps:
    executed: list[dict[str, str]] = field(default_factory=list)
    csp_blocked: list[dict[str, str]] = field(default_factory=list)
    active_markup: list[dict[str, str]] = field(default_factory=list)
    failed_pages: list[dict[str, str]] = field(default_factory=list)
    pages: int = 0
    # label of an upload whose error report must quote payloads → how many markers it showed
    reports_echoing: dict[str, int] = field(default_factory=dict)


def inspect(plan: Plan, staff: Client, mail: Mail) -> Traps:
    from playwright.sync_api import sync_playwright

    traps = Traps()
    current = {"url": ""}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/lib/chromium/chromium", args=list(CHROMIUM_ARGS)
        )
        visitor = browser.new_context()
        admin = browser.new_context()
        admin.add_cookies([
            {"name": name, "value": value, "url": target.BASE}
            for name, value in staff.cookies().items()
        ])  # fmt: skip

        def on_dialog(dialog: Any) -> None:
            traps.executed.append({"url": current["url"], "message": dialog.message})
            dialog.dismiss()

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                traps.csp_blocked.append({"url": current["url"], "console": message.text[:300]})

        for context in (visitor, admin):
            page = context.new_page()
            page.on("dialog", on_dialog)
            page.on("console", on_console)

        def visit(page: Any, url: str, action: Any = None) -> None:
            current["url"] = url
            try:
                answer = page.goto(target.BASE + url, wait_until="load", timeout=30_000)
                if action is not None:
                    action(page)
                page.wait_for_timeout(120)  # autofocus, animation and media error events
                traps.pages += 1
                if answer is not None and answer.status >= 500:
                    traps.failed_pages.append({"url": url, "status": str(answer.status)})
                if "xml" in (answer.headers.get("content-type", "") if answer else ""):
                    return
                for finding in page.evaluate(DOM_PROBE):
                    traps.active_markup.append({"url": url, "markup": finding})
            except Exception as error:  # a page that did not load is reported, not skipped
                traps.failed_pages.append({"url": url, "error": str(error)[:200]})

        visitor_page, admin_page = visitor.pages[0], admin.pages[0]
        for url in dict.fromkeys(plan.public_pages):
            visit(visitor_page, url)
        for url in dict.fromkeys(plan.staff_pages + plan.public_pages):
            visit(admin_page, url)
        for number, html in enumerate(mail.html_parts, start=1):

            def show(page: Any, html: str = html) -> None:
                page.set_content(html, wait_until="load")

            visit(visitor_page, f"/#e-mail-{number}", show)  # the site's origin, as a webmail
        for url, field_name, button, value in plan.browser_forms:

            def paste(
                page: Any, field_name: str = field_name, value: str = value, button: str = button
            ) -> None:
                page.fill(f"textarea[name={field_name}]", value)
                page.click(f"button[name={button}]")
                page.wait_for_load_state("load")

            visit(admin_page, url, paste)
        for url, label, file_name, content in plan.browser_uploads:

            def upload(
                page: Any, label: str = label, file_name: str = file_name, content: bytes = content
            ) -> None:
                form = page.locator("form:has(input[type=file])")
                form.locator("input[type=file]").set_input_files(
                    files=[{"name": file_name, "mimeType": XLSX, "buffer": content}]
                )
                form.locator("button[type=submit]").click()
                page.wait_for_load_state("load")
                if label:
                    traps.reports_echoing[label] = page.content().count("//xss")

            visit(admin_page, url, upload)
        for url in dict.fromkeys(plan.upload_pages):
            visit(admin_page, url)  # what the uploads stored (the import history)
        browser.close()
    return traps


def run(report_dir: Path) -> tuple[bool, str]:
    from yuanqu.indicators.models import ImportBatch

    staff = Client()
    staff.login(*ADMIN, totp_key=target.admin_totp_key())
    plan = plan_all(staff)
    mail = read_mail()
    traps = inspect(plan, staff, mail)
    batches = ImportBatch.objects.filter(filename__contains="xss").count()
    report = {
        "payloads": len(plan.items),
        "inputs": {name: f"{plan.stored[name]}/{plan.attempted[name]}" for name in plan.stored},
        "reflected_parameters": [
            "/search/?q",
            "/carriers/?q",
            "/accounts/login/?next",
            "/workbench/leads/?q",
            "/workbench/enterprises/?q",
        ],  # fmt: skip
        "import_error_reports": {
            label: f"{echoed} payload markers quoted"
            for label, echoed in traps.reports_echoing.items()
        },
        "indicator_imports_named_by_payloads": batches,
        "pages_opened": traps.pages,
        "emails": {
            "sent": mail.messages,
            "carrying_payloads": mail.carrying_payloads,
            "html_parts_opened": len(mail.html_parts),
        },
        "executed": traps.executed,
        "csp_blocked": traps.csp_blocked,
        "active_markup": traps.active_markup,
        "failed_pages": traps.failed_pages,
    }
    (report_dir / "xss.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    empty = [name for name, stored in plan.stored.items() if stored == 0]
    if not mail.carrying_payloads:
        empty.append("e-mails")
    empty += [label for label, echoed in traps.reports_echoing.items() if not echoed]
    if not batches:
        empty.append("指标导入文件名")
    ok = not (traps.executed or traps.csp_blocked or traps.active_markup or empty)
    ok = ok and not traps.failed_pages
    line = (
        f"{len(plan.items)} payloads through {len(plan.stored)} inputs, 5 reflected "
        f"parameters and {len(traps.reports_echoing)} import error reports "
        f"({batches} indicator imports named by a payload), {traps.pages} page loads in Chromium: {len(traps.executed)} executed, "
        f"{len(traps.csp_blocked)} stopped only by CSP, {len(traps.active_markup)} active markup; "
        f"{mail.carrying_payloads} of {mail.messages} e-mails sent carried payloads, "
        f"{len(mail.html_parts)} HTML parts among them (the rest is plain text)"
    )
    if empty:
        line += f"; nothing stored through {', '.join(empty)}"
    if traps.failed_pages:
        line += f"; {len(traps.failed_pages)} pages failed to load"
    return ok, line
