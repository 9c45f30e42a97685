"""What a module declares to get an import or an export: columns, key, lookups, writes.

A module describes its data once (an :class:`ImportSpec` subclass, an
:class:`ExportSpec` subclass) and registers it (``zhiren.imports.registry``);
the framework does reading, header matching, validation, the dry run, the
all-or-nothing commit, background jobs, the CLI and the web pages.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.utils import timezone

from zhiren.core.versioning import Versioned

from . import bulk_insert
from .cells import display_value, text
from .errors import CellError  # noqa: F401  (re-exported for specs)
from .lookups import keyed_querysets
from .rows import RowColumns, row_fields

Parser = Callable[[Any, "ImportContext"], Any]
_MAKE = object()  # in a row layout: the field's default is made per row


@dataclass(frozen=True)
class Column:
    """One importable column.

    ``key`` is the field name in a row's values; ``attr`` the model attribute it
    is written to (``key`` when empty). ``aliases`` are the headers accepted
    besides the key and the label (in every configured language). ``required``
    means the column must be present and every cell filled. ``parse`` turns a
    non-blank cell into a value or raises :class:`CellError`. A blank cell means
    ``blank_value`` (clearing the field), unless ``blank_keeps`` is set: then it
    leaves an existing row's value alone and lets a new row take the model
    default. ``memoize`` lets the framework parse equal text cells of a column
    once per run and reuse the result (the parser must then depend only on the
    cell and the run's context, which every parser here does); set it False for
    a parser with side effects.
    """

    key: str
    label: Any
    aliases: tuple[str, ...] = ()
    required: bool = False
    parse: Parser = field(default_factory=text)
    attr: str = ""
    blank_value: Any = None
    blank_keeps: bool = False
    display: Callable[[Any], str] = display_value
    memoize: bool = True

    @property
    def target(self) -> str:
        return self.attr or self.key


@dataclass
class ImportContext:
    """Who imports, and reference data a spec loads once per run (``cache``)."""

    user: Any = None
    access: Any = None  # zhiren.org.access.UserAccess; None for the command line (system)
    cache: dict[str, Any] = field(default_factory=dict)
    # Cells parsed earlier in the run, per column key: spelling → (value, error message or None).
    # Validation's own (a memoised column's spellings, kept from one chunk to the next).
    parsed: dict[str, dict[str, tuple[Any, str | None]]] = field(default_factory=dict)

    @property
    def is_system(self) -> bool:
        return self.access is None


class ImportSpec:
    """Base class of an import. Subclass, set the attributes, override hooks as needed."""

    kind: str = ""
    label: Any = ""
    model: type[models.Model]
    columns: Sequence[Column] = ()
    key: str = ""  # column key of the external key
    ignored_headers: Sequence[str] = ()  # headers read past without a warning
    batch_size: int = 1000
    lookup_chunk: int = 900  # keys per ``__in`` query (SQLite's variable limit)
    # Model attributes ``check_existing`` reads besides the file's columns (see ``fast.snapshots``);
    # left empty, an overridden ``check_existing`` gets every column.
    existing_fields: Sequence[str] = ()

    # --- permissions and reference data -------------------------------------------------

    def may_import(self, access) -> bool:
        return True

    def with_options(self, options: dict[str, Any] | None) -> ImportSpec:
        """The spec configured for one run (``ImportJob.options``, ``--mapping``).

        The default ignores options. A spec with saved column mappings returns a
        copy whose columns accept the mapped headers; it raises ``LookupError``
        with a message for an unknown mapping.
        """
        return self

    def prepare(self, context: ImportContext) -> None:
        """Load reference data (lookup tables) into ``context.cache``, once per run."""

    def after_write(self, plan: Any, context: ImportContext) -> None:
        """Called inside the commit's transaction after the rows are written.

        For work that depends on the written rows as a whole (e.g. refreshing
        rollups of the affected days). ``plan`` is the committed ``ImportPlan``;
        for a file written in chunks (``streaming``) it is called once, after
        the last, with a ``PlanSummary`` (counts and a sample of the changes):
        gather what it needs in ``context.cache`` as rows are built and applied.
        """

    # --- validation hooks ---------------------------------------------------------------

    def check_row(
        self, values: dict[str, Any], context: ImportContext
    ) -> Iterable[tuple[str, Any]]:
        """Cross-field checks on one parsed row: ``(column key, message)`` pairs. May rewrite the row."""
        return ()

    def check_columns(
        self, columns: dict[str, list[Any]], context: ImportContext
    ) -> Iterable[tuple[int, str, Any]]:
        """Cross-field checks on rows column by column: ``(row index, column key, message)``.

        The alternative to :meth:`check_row` (override one of them): it sees
        every parsed field as a list, one value per row (a field absent from the
        file has no list), and must not change them. A clean file is then checked
        without a dict per row; a file with bad cells is checked a row at a time,
        as columns of one value. Problems of one row come out in column order
        when each check yields its rows in order (errors are sorted by row, stably).
        """
        return ()

    def check_existing(
        self, obj: models.Model, values: dict[str, Any], context: ImportContext
    ) -> Iterable[tuple[str, Any]]:
        """Checks against the existing row a file row updates (e.g. scope): ``(column key, message)``."""
        return ()

    def check_existing_rows(
        self, objs: Sequence[Any], columns: dict[str, Sequence[Any]], context: ImportContext
    ) -> Iterable[tuple[int, str, Any]]:
        """Checks against existing rows, many at once: ``(row index, column key, message)``.

        The alternative to :meth:`check_existing` (override one of them): ``objs[i]`` is the existing
        row that the file's row ``i`` updates, ``columns`` the file rows' values column by column
        (:data:`KEPT` where a blank cell keeps the existing value). A re-import of a clean file is
        then checked without a dict per row.
        """
        return ()

    # --- database lookups and writes -----------------------------------------------------

    @property
    def key_column(self) -> Column:
        return self.column(self.key)

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def existing_queryset(self, context: ImportContext) -> models.QuerySet:
        return self.model._default_manager.all()

    def existing(self, keys: Sequence[Any], context: ImportContext) -> dict[Any, models.Model]:
        """Existing rows by external key, looked up in one query (a few where keys are sent in chunks)."""
        attr = self.key_column.target
        found: dict[Any, models.Model] = {}
        for queryset in keyed_querysets(
            self.existing_queryset(context), attr, keys, self.lookup_chunk
        ):
            for obj in queryset:
                found[getattr(obj, attr)] = obj
        return found

    def current_value(self, obj: models.Model, column: Column) -> Any:
        return getattr(obj, column.target)

    def build(self, values: dict[str, Any], context: ImportContext) -> models.Model | tuple:
        """A new row: a tuple in ``rows.row_fields`` order, or an unsaved instance.

        The default builds the tuple through :meth:`build_columns`. A spec whose
        column targets are not all model fields gets an instance.
        """
        if self._builds_per_row():
            return self.model(**{self.column(k).target: v for k, v in values.items()})
        return self.build_columns({key: [value] for key, value in values.items()}, 1, context)[0]

    def build_rows(self, values_list: list[dict[str, Any]], context: ImportContext) -> list:
        """:meth:`build` for every new row: column by column, in runs of rows with the same fields."""
        if not values_list:
            return []
        if self._builds_per_row():
            return [self.build(values, context) for values in values_list]
        return build_by_field_sets(
            values_list, lambda columns, count: self.build_columns(columns, count, context)
        )

    def build_columns(
        self, columns: dict[str, list[Any]], count: int, context: ImportContext
    ) -> Sequence:
        """New rows from their values column by column (each list has ``count`` values; every row has the
        same fields): row tuples, or instances when :meth:`build` is overridden. The default makes
        :class:`~zhiren.imports.rows.RowColumns` from the model's fields: the column's value where the file
        has it, else the field's default; a related instance's primary key for a foreign key; now for
        ``auto_now`` fields (as ``save`` would). Override it (rather than :meth:`build`) to build fast.
        """
        if self._builds_per_row():
            names = list(columns)
            return [
                self.build(dict(zip(names, values, strict=True)), context)
                for values in zip(*columns.values(), strict=True)
            ]
        slots, relations, stamped, made = self._row_layout()
        out: list[Any] = []
        defaulted = set()
        for i, (key, default) in enumerate(slots):
            column = columns.get(key) if key is not None else None
            if column is None:
                column = [default] * count
                defaulted.add(i)
            elif i in relations:
                column = primary_keys(column)
            out.append(column)
        for i, make in made:  # a callable default: a fresh value per row, as Model() would
            if i in defaulted:
                out[i] = [make() for _value in out[i]]
        if stamped:
            now = timezone.now()
            for i in stamped:
                out[i] = [now] * count
        return RowColumns(out, count)

    def _builds_per_row(self) -> bool:
        """Whether new rows are made one by one with :meth:`build` (overridden, or no tuple layout)."""
        if type(self).build is not ImportSpec.build:
            return True
        return type(self).build_columns is ImportSpec.build_columns and self._row_layout() is None

    def _row_layout(self):
        """For :meth:`build`: per row field (column key or None, default), FK slots, ``auto_now`` slots."""
        cached = self.__dict__.get("_layout", False)
        if cached is not False:
            return cached
        meta = self.model._meta
        by_field: dict[str, str] = {}
        layout = None
        try:
            for column in self.columns:
                by_field[meta.get_field(column.target).attname] = column.key
        except FieldDoesNotExist:
            pass
        else:
            fields = row_fields(self.model)
            fresh = {i for i, f in enumerate(fields) if f.has_default() and callable(f.default)}
            slots = [
                (by_field.get(f.attname), _MAKE if i in fresh else f.get_default())
                for i, f in enumerate(fields)
            ]
            made = [(i, fields[i].get_default) for i in sorted(fresh)]
            relations = [i for i, f in enumerate(fields) if f.is_relation and f.attname in by_field]
            stamped = [
                i
                for i, f in enumerate(fields)
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            ]
            layout = (slots, relations, stamped, made)
        self.__dict__["_layout"] = layout
        return layout

    def apply(self, obj: models.Model, changes: dict[str, Any], context: ImportContext) -> None:
        for key, value in changes.items():
            setattr(obj, self.column(key).target, value)
        for f in self._auto_now_fields():
            setattr(obj, f, timezone.now())

    def update_fields(self, changed_keys: Iterable[str]) -> list[str]:
        fields = {self.column(k).target for k in changed_keys}
        return sorted(fields | set(self._auto_now_fields()))

    def create(self, objs: list[models.Model] | list[tuple], context: ImportContext) -> None:
        """Insert what :meth:`build` made: row tuples or unsaved instances."""
        if objs and isinstance(objs[0], tuple):
            bulk_insert.insert_rows(self.model, objs, batch_size=self.batch_size)
        else:
            bulk_insert.insert(self.model, objs, batch_size=self.batch_size)

    def update(self, objs: list[models.Model], fields: list[str], context: ImportContext) -> None:
        self.model._default_manager.bulk_update(objs, fields, batch_size=self.batch_size)
        if issubclass(self.model, Versioned):
            # A form opened before this import must see that the record moved on (StaleEdit).
            for start in range(0, len(objs), self.lookup_chunk):
                pks = [obj.pk for obj in objs[start : start + self.lookup_chunk]]
                self.model._base_manager.filter(pk__in=pks).update(version=F("version") + 1)

    def _auto_now_fields(self) -> list[str]:
        return [
            f.attname for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False)
        ]

    @property
    def object_type(self) -> str:
        return self.model._meta.label_lower


class _Kept:
    def __repr__(self) -> str:
        return "KEPT"


KEPT = _Kept()  # in check_existing_rows' columns: a blank cell that keeps the existing value


def existing_rows_check(spec: ImportSpec) -> Callable | None:
    """The spec's checks of existing rows as a :meth:`~ImportSpec.check_existing_rows`; None if it has none."""
    kind = type(spec)
    rows_check = kind.check_existing_rows is not ImportSpec.check_existing_rows
    row_check = kind.check_existing is not ImportSpec.check_existing
    if rows_check and row_check:
        raise TypeError(
            f"{kind.__name__} overrides both check_existing_rows and check_existing: keep one."
        )
    if rows_check:
        return spec.check_existing_rows
    if not row_check:
        return None

    def check_rows(objs: Sequence[Any], columns: dict[str, Sequence[Any]], context: ImportContext):
        names = list(columns)
        for i, (obj, row) in enumerate(zip(objs, zip(*columns.values(), strict=True), strict=True)):
            values = {
                name: value for name, value in zip(names, row, strict=True) if value is not KEPT
            }
            for key, message in spec.check_existing(obj, values, context):
                yield i, key, message

    return check_rows


def primary_keys(column: list[Any]) -> list[Any]:
    """A foreign key column's values: a related instance's primary key, anything else as it is."""
    kinds = set(map(type, column))
    if len(kinds) == 1 and issubclass(model := next(iter(kinds)), models.Model):
        return list(map(attrgetter(model._meta.pk.attname), column))  # one model: in C
    return [value.pk if isinstance(value, models.Model) else value for value in column]


def build_by_field_sets(
    values_list: list[dict[str, Any]], build_columns: Callable[[dict, int], Sequence]
) -> Sequence:
    """Rows built column by column, a run of consecutive rows with the same fields at a time, in order.

    A blank cell that keeps a field (``blank_keeps``) leaves that field out of its row, so rows may
    differ in their fields; usually they are one run.
    """
    parts: list[Sequence] = []
    start = 0
    total = len(values_list)
    while start < total:
        names = values_list[start].keys()
        end = start + 1
        while end < total and values_list[end].keys() == names:
            end += 1
        names = list(names)
        run = values_list[start:end]
        columns = {name: [values[name] for values in run] for name in names}
        parts.append(build_columns(columns, end - start))
        start = end
    if len(parts) == 1:
        return parts[0]
    return [row for part in parts for row in part]


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: its header and how to get the value from an object."""

    key: str
    label: Any
    value: Callable[[Any, ExportContext], Any]


@dataclass
class ExportContext:
    user: Any = None
    access: Any = None  # None for the command line (system)
    cache: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # filters of a parameterised export


class ExportSpec(abc.ABC):
    kind: str = ""
    label: Any = ""
    columns: Sequence[ExportColumn] = ()
    object_type: str = ""
    filename: str = "export"

    def may_export(self, access) -> bool:
        return True

    def add_arguments(self, parser) -> None:  # noqa: B027 - optional hook
        """Command-line options of this export (``zhiren export KIND FILE --opt …``).

        Options of every export kind share one parser: reuse a name only with
        the same meaning. Read them back in :meth:`cli_options`.
        """

    def cli_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """``ExportContext.options`` from the parsed command line; raise ``ValueError`` on bad input."""
        return {}

    def prepare(self, context: ExportContext) -> None:  # noqa: B027 - optional hook
        """Load what the value getters need, once per export."""

    @abc.abstractmethod
    def objects(self, context: ExportContext) -> Iterable[Any]:
        """The rows to export, already limited to what ``context.user`` may see."""
