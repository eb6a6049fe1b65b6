"""What an Excel importer is: its columns, the context of one import, how a row is refused, and the registry of
every ledger's importer (the run that reads, checks and writes a sheet: ``framework``).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _

from gridgov.data.errors import DomainError, InvalidInput, NotAllowed, NotFound
from gridgov.types import ParsedRow, SheetRow

if TYPE_CHECKING:
    from gridgov.data.org.models import Area, User


def normalise_header(text: str) -> str:
    """A header as it is matched: without the * of required columns, spaces and case, full-width brackets halved."""
    cleaned = str(text).replace("*", "").replace("＊", "").replace("（", "(").replace("）", ")")
    return "".join(cleaned.split()).lower()


def row_key(*parts: object, separator: str = "\x1f", length: int) -> str:
    """A row's import key: the first ``length`` hex digits of the SHA-256 of what identifies it (``parts`` joined by
    ``separator``), so that the same row of any file is known when it is imported again. Keys are stored: a ledger
    keeps its parts, separator and length as they are."""
    return hashlib.sha256(separator.join(str(part) for part in parts).encode()).hexdigest()[:length]


@dataclass(frozen=True)
class Column:
    """One column of a ledger sheet: the key the importer sees, the header written in the template."""

    key: str
    header: str | Promise
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    help: str | Promise = ""

    def names(self) -> set[str]:
        return {normalise_header(str(self.header)), *(normalise_header(a) for a in self.aliases)}


def choices_help(choices: Iterable[TextChoices]) -> str | Promise:
    """A choice column's help: what it may hold, its choices' labels (as ``cells.choice`` reads and lists them);
    ``choices`` is an enum, or those of its members a sheet may hold."""
    return lazy(lambda: _("、").join(str(member.label) for member in choices), str)()


def choice_column(
    key: str,
    header: str | Promise,
    choices: type[TextChoices],
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    example: str = "",
) -> Column:
    """A column holding one of ``choices``, its help listing them (the enum is the one list of what it may hold)."""
    return Column(key, header, required=required, aliases=aliases, example=example, help=choices_help(choices))


@dataclass(frozen=True)
class ImportContext:
    town: Area
    user: User | None
    now: datetime

    @property
    def today(self) -> date:
        """The import's day in the town's time: no ledger date may be later."""
        return timezone.localdate(self.now)

    def signed_in_user(self, *, missing: str | Promise | None = None) -> User:
        """The user the rows are written in the name of. An import run without one is refused as a whole, or,
        where the ledger says who is ``missing`` (``RowInvalid``), each row is refused with those words."""
        if self.user is None:
            if missing is not None:
                raise RowInvalid(None, missing)
            raise NotAllowed(_("导入需要登录用户"))
        return self.user


def per_import[T](look_up: Callable[[ImportContext], T]) -> Callable[[ImportContext], T]:
    """``look_up`` run once for the import running, not once per row (the town's areas, its case numbers …): its
    answer is kept for that import (the same ``ctx``) until the thread runs another import."""
    kept = threading.local()

    @functools.wraps(look_up)
    def once(ctx: ImportContext) -> T:
        if getattr(kept, "ctx", None) is not ctx:
            kept.answer = look_up(ctx)
            kept.ctx = ctx
        answer: T = kept.answer
        return answer

    return once


class RowInvalid(Exception):
    """Raised by ``Importer.parse_row``: the value in ``column`` (a Column.key, or None) is not acceptable."""

    def __init__(self, column: str | None, message: str | Promise) -> None:
        super().__init__(str(message))
        self.column = column
        self.message = str(message)


@contextmanager
def refused_as_row(*, columns: Mapping[str, str] | None = None) -> Iterator[None]:
    """A domain check run on a row's values (``clean_…``/``check_…``): its ``InvalidInput`` refuses the row
    (``RowInvalid``) on the column the field was read from — ``columns`` maps fields to column keys (a field not
    in it: no column); without ``columns`` the field is the column's key."""
    try:
        yield
    except InvalidInput as error:
        column = error.field if columns is None else columns.get(error.field or "")
        raise RowInvalid(column, error.message) from None


class FailedAt(Exception):
    """Raised by ``Importer.apply_all``/``check_all`` when rows fail while they are planned together: each
    failure is the row's place in the list given and its error — every failing row found, so that one upload
    lists them all, and the report names each row as Excel shows it."""

    def __init__(self, failures: list[tuple[int, RowInvalid | DomainError]]) -> None:
        super().__init__("; ".join(str(error) for _index, error in failures))
        self.failures = failures


class Importer:
    """Base class for one ledger's import. Subclasses set ``name``, ``title``, ``columns`` and the hooks."""

    name: str = ""
    title: str | Promise = ""
    columns: tuple[Column, ...] = ()
    # Shown above the template's header row.
    notes: str | Promise = ""

    def allowed(self, user: User) -> bool:  # pragma: no cover - every importer overrides it
        return False

    def parse_row(self, row: SheetRow, *, ctx: ImportContext) -> ParsedRow:
        raise NotImplementedError

    def natural_key(self, parsed: ParsedRow) -> Hashable:
        raise NotImplementedError

    def exists(self, parsed: ParsedRow, *, ctx: ImportContext) -> bool:
        raise NotImplementedError

    def apply(self, parsed: ParsedRow, *, ctx: ImportContext) -> None:
        raise NotImplementedError

    def check_all(self, rows: list[ParsedRow], *, ctx: ImportContext) -> None:
        """The dry run's last check, of the rows to be written together: what ``apply_all`` would refuse before
        writing (raise ``FailedAt``). Nothing to check by default."""

    def apply_all(self, rows: list[ParsedRow], *, ctx: ImportContext) -> bool:
        """Write every checked row at once through a bulk path, all or nothing, in one short transaction of
        its own. Return False (the default) to have ``apply`` called row by row in one transaction instead."""
        return False


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    if not importer.name:
        raise ValueError("an importer needs a name")
    _REGISTRY[importer.name] = importer
    return importer


def get_importer(name: str) -> Importer:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise NotFound(_("没有名为“%(name)s”的导入模板") % {"name": name}) from None


def importers() -> list[Importer]:
    return sorted(_REGISTRY.values(), key=lambda i: i.name)
