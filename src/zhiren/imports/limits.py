"""How large a file an import takes: the limits an operator sets, and the messages that name them.

Every limit is a setting with an environment override (``settings.py``), read at each
call so that a test or an operator can change it:

===============================  =========  ===============================================
setting                          default    a file is refused when
===============================  =========  ===============================================
``IMPORT_MAX_FILE_MB``           100        it is larger (before a byte of it is parsed)
``IMPORT_MAX_ROWS``              1,048,576  it has more non-blank rows, the header included
``IMPORT_MAX_COLUMNS``           200        a row has data further right
``IMPORT_XLSX_MAX_UNPACKED_MB``  200        an XLSX's parts unpack to more
``IMPORT_XLSX_MAX_SHARED_TEXTS``  5,000,000  an XLSX's shared-strings table holds more texts
===============================  =========  ===============================================

Each message names the limit and its setting, so that whoever reads it knows what to
split or whom to ask. ``IMPORT_CHUNK_ROWS`` (rows read, checked and written at a time)
and ``IMPORT_BACKGROUND_MB`` (uploads larger than this are read by the task worker, not
in the web request) shape how a file flows, not whether it is taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import FileFormatError

MB = 2**20


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked_bytes: int
    max_shared_texts: int = 5_000_000

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_bytes=int(settings.IMPORT_MAX_FILE_MB * MB),
            max_rows=int(settings.IMPORT_MAX_ROWS),
            max_columns=int(settings.IMPORT_MAX_COLUMNS),
            max_unpacked_bytes=int(settings.IMPORT_XLSX_MAX_UNPACKED_MB * MB),
            max_shared_texts=int(settings.IMPORT_XLSX_MAX_SHARED_TEXTS),
        )

    @classmethod
    def unlimited(cls, *, max_columns: int = 200, max_unpacked_bytes: int = 200 * MB) -> Limits:
        """No limit on size or rows (the readers' own defaults for the rest)."""
        huge = 2**62
        return cls(
            max_bytes=huge,
            max_rows=huge,
            max_columns=max_columns,
            max_unpacked_bytes=max_unpacked_bytes,
        )


def _megabytes(size: float) -> str:
    """``217``, ``2.5``, ``0.0005``: one decimal at most, or two significant digits under 0.1 MB."""
    value = size / MB
    return f"{value:,.1f}".removesuffix(".0") if value >= 0.1 else f"{value:.2g}"


def file_size_message(size: int, limit: int) -> str:
    return _(
        "The file is %(size)s MB, more than the %(limit)s MB an import accepts (setting IMPORT_MAX_FILE_MB). "
        "Split the file, or ask an administrator to raise the limit."
    ) % {"size": _megabytes(size), "limit": _megabytes(limit)}


def rows_message(limit: int) -> str:
    return _(
        "The file has more than %(limit)s rows, the most an import reads (setting IMPORT_MAX_ROWS). "
        "Split the file, or ask an administrator to raise the limit."
    ) % {"limit": f"{limit:,}"}


def columns_message(row: int, limit: int) -> str:
    return _(
        "Row %(row)d has data past column %(limit)d; an import reads at most %(limit)d columns "
        "(setting IMPORT_MAX_COLUMNS)."
    ) % {"row": row, "limit": limit}


def unpacked_message(size: int, limit: int) -> str:
    return _(
        "The Excel file unpacks to %(size)d MB, more than the %(limit)d MB allowed "
        "(setting IMPORT_XLSX_MAX_UNPACKED_MB); save the data as CSV, or split the file."
    ) % {"size": size // MB, "limit": limit // MB}


def shared_texts_message(limit: int) -> str:
    return _(
        "The Excel file holds more than %(limit)s different texts, the most an import reads "
        "(setting IMPORT_XLSX_MAX_SHARED_TEXTS); save the data as CSV, or split the file."
    ) % {"limit": f"{limit:,}"}


def check_file_size(size: int, limits: Limits | None = None) -> None:
    """Refuse a file larger than ``IMPORT_MAX_FILE_MB`` (:class:`FileFormatError`)."""
    limit = (limits or Limits.from_settings()).max_bytes
    if size > limit:
        raise FileFormatError(file_size_message(size, limit))


def upload_size_error(size: int | None) -> str | None:
    """The message for an upload over ``IMPORT_MAX_FILE_MB`` (for a form), else None."""
    try:
        check_file_size(size or 0)
    except FileFormatError as exc:
        return str(exc.message)
    return None


def read_in_background(size: int) -> bool:
    """Whether an upload of ``size`` bytes is read by the task worker rather than in the web request."""
    return size > settings.IMPORT_BACKGROUND_MB * MB
