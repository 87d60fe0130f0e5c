"""HTML to PDF through Debian's Chromium (a real renderer: the text is read back with
pdftotext, as a reader's PDF viewer would)."""

import subprocess

import pytest

from yuanqu.core import pdf

SHEET = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<style>@page { size: A4; margin: 20mm; @bottom-center { content: "第 " counter(page) " 页"; } }
.next { break-before: page; }</style></head>
<body><h1>徐州经开区月报</h1><p class="next">第二页的内容</p></body></html>"""


def pdf_text(document: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=document, capture_output=True, check=True
    )
    return done.stdout.decode()


def test_chinese_text_and_page_numbers_reach_the_pdf():
    text = pdf_text(pdf.html_to_pdf(SHEET))
    assert "徐州经开区月报" in text and "第二页的内容" in text
    # pdftotext drops the spaces between CJK characters.
    assert "第1页" in text and "第2页" in text


def test_scripts_run_before_printing(tmp_path):
    script = tmp_path / "draw.js"
    script.write_text(
        "document.body.insertAdjacentHTML('beforeend', '<p>脚本绘制的内容</p>');"
        "document.documentElement.dataset.chartsReady = '1';",
        encoding="utf-8",
    )
    assert "脚本绘制的内容" in pdf_text(pdf.html_to_pdf(SHEET, scripts=[script]))


def test_the_page_cannot_fetch_anything():
    sheet = SHEET.replace("<h1>", '<img src="http://127.0.0.1:9/x.png"><h1>')
    assert "徐州经开区月报" in pdf_text(pdf.html_to_pdf(sheet))


def test_without_chromium_the_pdf_is_unavailable(settings):
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    with pytest.raises(pdf.PdfUnavailable):
        pdf.html_to_pdf(SHEET)
