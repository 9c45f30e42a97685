"""File downloads: a safe ``Content-Disposition`` for any file name the data produces."""

from __future__ import annotations

import re
import unicodedata

from django.http import HttpResponse
from django.utils.http import content_disposition_header

_SEPARATORS = re.compile(r"[\\/]+")


def safe_filename(name: str, fallback: str = "download") -> str:
    """``name`` without control, format (bidi) or separator characters; ``fallback`` if none is left.

    File names are built from stored values (an employee number, a team code), so a
    newline or a right-to-left override in the data must not break the header or
    disguise the file's extension.
    """
    kept = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    kept = _SEPARATORS.sub("-", kept).strip(" .-")
    return kept or fallback


def attach(response: HttpResponse, filename: str) -> HttpResponse:
    """Mark ``response`` as a download named ``filename`` (RFC 6266; UTF-8 names per RFC 5987)."""
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    return response
