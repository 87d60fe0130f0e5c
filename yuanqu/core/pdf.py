"""HTML to PDF with Chromium's print engine, driven by Playwright.

The page is printed exactly as a browser prints it (CSS paged media: @page size, margins and
the margin boxes that carry page numbers), after its own scripts have drawn any charts. The
renderer runs in a worker thread of its own: Playwright's sync API refuses a thread that
already runs an event loop (an ASGI server, or a test session holding a browser), and one
worker also means one Chromium at a time on a small server.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
# The page tells us its scripts are done by setting <html data-charts-ready>.
READY_CHECK = "() => document.documentElement.dataset.chartsReady !== undefined"

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
_lock = threading.Lock()


class PdfUnavailable(Exception):
    """No Chromium on this server: the report can still be printed from a browser."""


def available() -> bool:
    return Path(settings.CHROMIUM_PATH).is_file()


def html_to_pdf(
    html: str, *, stylesheets: Sequence[Path] = (), scripts: Sequence[Path] = ()
) -> bytes:
    """Print `html` (with the given local stylesheets and scripts added, in order) to PDF.
    Nothing is fetched over the network: every request the page makes is refused."""
    if not available():
        raise PdfUnavailable(settings.CHROMIUM_PATH)
    timeout = settings.PDF_TIMEOUT_SECONDS
    with _lock:
        future = _executor.submit(_render, html, tuple(stylesheets), tuple(scripts), timeout)
    return future.result(timeout=timeout + 10)


def _render(
    html: str, stylesheets: tuple[Path, ...], scripts: tuple[Path, ...], timeout: int
) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=settings.CHROMIUM_PATH, args=list(CHROMIUM_ARGS)
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(timeout * 1000)
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="load")
            for stylesheet in stylesheets:
                page.add_style_tag(path=stylesheet)
            for script in scripts:
                page.add_script_tag(path=script)
            if scripts:
                page.wait_for_function(READY_CHECK)
            page.emulate_media(media="print")
            return page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
