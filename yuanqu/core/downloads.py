"""File downloads with Chinese names."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A private download; `filename` may be Chinese (RFC 6266 filename* with an ASCII
    fallback that keeps the extension)."""
    response = HttpResponse(content, content_type=content_type)
    stem, dot, extension = filename.rpartition(".")
    fallback = stem.encode("ascii", "ignore").decode().strip(" _-") or "download"
    if dot:
        fallback = f"{fallback}.{extension.encode('ascii', 'ignore').decode()}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
