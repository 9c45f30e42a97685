"""Errors of an import, structured so that a user can find and fix each one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise


class CellError(Exception):
    """Raised by a parser or check: the message names what is wrong with the value."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


class FileFormatError(Exception):
    """The file cannot be read at all (not a row or column problem)."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True, order=True)
class RowError:
    """A problem at a spreadsheet row (header = row 1) and column (header text as in the file).

    ``row`` is 0 and ``column`` empty for problems with the file as a whole.
    """

    row: int
    column: str
    field: str
    message: str

    def __str__(self) -> str:
        from django.utils.translation import gettext as _

        values = {"row": self.row, "column": self.column, "message": self.message}
        if self.row and self.column:
            return _("row %(row)d, column “%(column)s”: %(message)s") % values
        if self.row:
            return _("row %(row)d: %(message)s") % values
        if self.column:
            return _("column “%(column)s”: %(message)s") % values
        return self.message

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "field": self.field, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        return cls(data["row"], data["column"], data["field"], data["message"])
