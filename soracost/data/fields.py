"""Typed, located reads of one YAML mapping; every failure names file, line, entry, field.

Shared by every part of the catalogue loader (sources, estimates, factors, sites), so
that all data errors read alike.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, NoReturn, Protocol, TypeVar, overload

from soracost.core.errors import DataError
from soracost.data.yamldoc import LocatedDict, LocatedList
from soracost.i18n import N_, _, count_text, localise_number

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
MAX_TEXT = 2000
"""Longest text field accepted, in characters (a title or a note, not a book)."""
# The types isinstance checks against, as tuples made once: ``int | float`` in a call
# makes a new union each time, and isinstance checks a union more slowly.
_NUMBER_TYPES = (int, float)
_DATE_TYPES = (dt.datetime, dt.date)

T = TypeVar("T")
Choice = TypeVar("Choice", bound=str)
"""One of a fixed set of texts, such as a :data:`~soracost.core.records.Method`."""


class Identified(Protocol):
    """A record with an id, read from a line of a data file."""

    @property
    def id(self) -> str: ...

    @property
    def line(self) -> int: ...


Record = TypeVar("Record", bound=Identified)


class Keys:
    """The keys an entry may have, each listed once with what ``unconfirmed`` may say of it.

    Each key maps to ``False`` when ``unconfirmed`` may not name it, ``True`` when it may,
    or the key's nested fields that it may name as well, as paths below the key (for
    ``published``: ``low``, ``mid``, ``high``; each becomes ``published.low`` and so on).
    """

    def __init__(self, keys: Mapping[str, bool | tuple[str, ...]]) -> None:
        self.allowed = frozenset(keys)
        self.unconfirmable = frozenset(
            path
            for key, nested in keys.items()
            if nested is not False
            for path in (key, *(() if nested is True else (f"{key}.{name}" for name in nested)))
        )


class Fields:
    """Typed reads of one located mapping; every failure names file, line, entry and field."""

    def __init__(self, data: LocatedDict, label: str, entry: str | None, prefix: str = "") -> None:
        self.data = data
        self.label = label
        self.entry = entry
        self.prefix = prefix
        self.line = data.line

    def fail(self, name: str | None, message: str) -> NoReturn:
        field = f"{self.prefix}{name}" if name else (self.prefix.rstrip(".") or None)
        raise DataError(
            message, file=self.label, line=self._line_of(name), entry=self.entry, field=field
        )

    def _line_of(self, name: str | None) -> int:
        """The line of the deepest part of a field path ("gaps.url", "chain[1]") found."""
        line, node = self.line, self.data
        for part in re.split(r"[.\[]", name or ""):
            if isinstance(node, LocatedDict) and part in node:
                line, node = node.key_lines[part], node[part]
            elif isinstance(node, LocatedList) and part.rstrip("]").isdigit():
                index = int(part.rstrip("]"))
                if index >= len(node):
                    break
                line, node = node.item_lines[index], node[index]
            else:
                break
        return line

    def has_key(self, name: str) -> bool:
        return name in self.data

    def has_value(self, name: str) -> bool:
        return self.data.get(name) is not None

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        """Fail on the first key (in file order) that is not in ``allowed``; a set given
        as a ``frozenset`` (the loaders' keys, made once) is used as it is."""
        known = allowed if type(allowed) is frozenset else set(allowed)
        if self.data.keys() <= known:  # the usual case: one comparison made in C
            return
        for key in self.data:
            if key not in known:
                hint = ", ".join(sorted(known))
                self.fail(key, _("unknown key (expected one of: {keys})").format(keys=hint))

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name)  # one lookup: every read of every entry comes here
        if value is None and required:
            self.fail(name, _("missing") if name not in self.data else _("empty"))
        return value

    @overload
    def text(self, name: str, required: Literal[True] = True) -> str: ...
    @overload
    def text(self, name: str, required: bool) -> str | None: ...
    def text(self, name: str, required: bool = True) -> str | None:
        value = self.data.get(name)
        if type(value) is str:  # the usual case, read without a further call
            stripped = value.strip()
            if stripped and len(value) <= MAX_TEXT:
                return stripped
        elif value is None:
            if required:
                self.fail(name, _("missing") if name not in self.data else _("empty"))
            return None
        return self._checked_text(name, value)

    def _checked_text(self, name: str, value: object) -> str:
        """``value``, some text that :meth:`text` did not take at once, stripped; or the
        failure that names what is wrong with it."""
        if not isinstance(value, str):
            self.fail(name, _("expected text, got {value}").format(value=describe(value)))
        stripped = value.strip()
        if not stripped:
            self.fail(name, _("is blank"))
        if len(value) > MAX_TEXT:
            said = _("is {length} characters long; the limit is {limit}")
            self.fail(name, said.format(length=count_text(len(value)), limit=count_text(MAX_TEXT)))
        return stripped

    def identifier(self) -> str:
        value = self.text("id")
        if not _ID.match(value):
            said = _("{value} is not a valid id (lower-case letters, digits, '.', '_', '-')")
            self.fail("id", said.format(value=repr(value)))
        return value

    def integer(self, name: str) -> int:
        value = self._get(name, required=True)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(name, _("expected a whole number, got {value}").format(value=describe(value)))
        return value

    def positive(self, name: str, kind: Callable[[Any], T]) -> T | None:
        value = self.data.get(name)  # optional: no failure for none
        if value is None:
            return None
        wanted_int = kind is int
        ok_type = isinstance(value, int) if wanted_int else isinstance(value, _NUMBER_TYPES)
        if not ok_type or isinstance(value, bool):
            said = (
                _("expected a whole number, got {value}")
                if wanted_int
                else _("expected a number, got {value}")
            )
            self.fail(name, said.format(value=describe(value)))
        try:
            ok = math.isfinite(value) and 0 < value < 1e15
        except OverflowError:  # an integer too large for a float
            ok = False
        if not ok:
            said = _("expected a positive number below 10^15, got {value}")
            self.fail(name, said.format(value=str(value)[:20]))
        return kind(value)

    def boolean(self, name: str) -> bool:
        value = self._get(name, required=True)
        if not isinstance(value, bool):
            self.fail(name, _("expected true or false, got {value}").format(value=describe(value)))
        return value

    @overload
    def choice(
        self, name: str, choices: Iterable[Choice], required: Literal[True] = True
    ) -> Choice: ...
    @overload
    def choice(self, name: str, choices: Iterable[Choice], required: bool) -> Choice | None: ...
    def choice(self, name: str, choices: Iterable[Choice], required: bool = True) -> Choice | None:
        """One of ``choices``, typed as they are (a ``Literal``); a tuple of them (as the
        loaders give, made once) is used as it is."""
        options = choices if type(choices) is tuple else tuple(choices)
        value = self.text(name, required)
        if value is None:
            return None
        for option in options:
            if option == value:
                return option
        said = _("{value} is not one of: {options}")
        self.fail(name, said.format(value=repr(value), options=", ".join(options)))

    def date(self, name: str) -> str | None:
        value = self.data.get(name)  # optional: no failure for none
        if value is None:
            return None
        if isinstance(value, _DATE_TYPES):
            return value.isoformat()[:10]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a bare year such as 2025
        if not isinstance(value, str) or not _DATE.fullmatch(value) or not _real_date(value):
            said = _("expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value}")
            self.fail(name, said.format(value=repr(value)))
        return value

    def text_list(self, name: str, required: bool = False) -> tuple[str, ...] | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, LocatedList) or not value:
            said = _("expected a non-empty list of text, got {value}")
            self.fail(name, said.format(value=describe(value)))
        stripped = [item.strip() for item in value if type(item) is str]
        if len(stripped) == len(value) and all(stripped):  # the usual case: one pass
            return tuple(stripped)
        for position, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                said = _("expected text, got {value}").format(value=describe(item))
                self.fail(f"{name}[{position}]", said)
        return tuple(item.strip() for item in value)

    def mapping(self, name: str) -> Fields:
        value = self.data.get(name)
        if type(value) is not LocatedDict:
            value = self._get(name, required=True)  # missing or empty: its failure
        if not isinstance(value, LocatedDict):
            self.fail(name, _("expected a mapping, got {value}").format(value=describe(value)))
        return Fields(value, self.label, self.entry, prefix=f"{self.prefix}{name}.")

    def reasons(self, name: str, allowed: Iterable[str]) -> dict[str, str]:
        """A mapping of field name to a reason, such as ``gaps`` or ``unconfirmed``."""
        if self.data.get(name) is None:  # most entries have none
            return {}
        block = self.mapping(name)
        fields = allowed if type(allowed) is frozenset else set(allowed)
        result: dict[str, str] = {}
        for key in block.data:
            if key not in fields:
                expected = ", ".join(sorted(fields))
                said = _("names no field of this entry (expected one of: {fields})")
                block.fail(key, said.format(fields=expected))
            result[key] = block.text(key)
        return result

    def entries(self, name: str) -> Iterable[Fields]:
        """Each mapping in the list under ``name``, labelled with its id for errors."""
        value = self._get(name, required=True)
        if not isinstance(value, LocatedList):
            self.fail(name, _("expected a list, got {value}").format(value=describe(value)))
        by_id, by_position = ENTRY_LABELS.get(name, (f"{name[:-1]} {{id}}", f"{name[:-1]} #{{n}}"))
        by_id = _(by_id)  # translated once for the whole list, not once per entry
        for position, item in enumerate(value):  # numbered only for a message that needs it
            if not isinstance(item, LocatedDict):
                raise DataError(
                    _("expected a mapping, got {value}").format(value=describe(item)),
                    file=self.label,
                    line=value.item_lines[position],
                    entry=_(by_position).format(n=localise_number(str(position + 1))),
                )
            ident = item.get("id")
            label = (
                by_id.format(id=repr(ident))
                if isinstance(ident, str)
                else _(by_position).format(n=localise_number(str(position + 1)))
            )
            yield Fields(item, self.label, label)

    def unique_entries(
        self, name: str, build: Callable[[Fields], Record]
    ) -> Iterator[tuple[Fields, Record]]:
        """Each entry under ``name`` and the record ``build`` makes of it, refusing an id
        given before; a caller checks more of each entry as it comes, in file order."""
        first_lines: dict[str, int] = {}
        for item in self.entries(name):
            record = build(item)
            if record.id in first_lines:
                first = first_lines[record.id]
                said = _("duplicate id {id} (first on line {line})")
                item.fail("id", said.format(id=repr(record.id), line=first))
            first_lines[record.id] = record.line
            yield item, record

    def unique(self, name: str, build: Callable[[Fields], Record]) -> dict[str, Record]:
        """Every entry under ``name``, by id, built by ``build``; an id given twice is an error."""
        return {record.id: record for _, record in self.unique_entries(name, build)}


ENTRY_LABELS: dict[str, tuple[str, str]] = {
    "sources": (N_("source {id}"), N_("source #{n}")),
    "estimates": (N_("estimate {id}"), N_("estimate #{n}")),
    "factors": (N_("factor {id}"), N_("factor #{n}")),
    "sites": (N_("site {id}"), N_("site #{n}")),
    "equivalents": (N_("equivalent {id}"), N_("equivalent #{n}")),
    "training": (N_("training record {id}"), N_("training record #{n}")),
    "embodied": (N_("embodied record {id}"), N_("embodied record #{n}")),
    "services": (N_("service {id}"), N_("service #{n}")),
}
"""How an error names an entry of each list of a data file, by its id (``estimate
'cnet-90wh'``) or, without one, by its position (``estimate #3``); a list not named here
is named by its key less the plural's ``s``."""


def _real_date(text: str) -> bool:
    """Whether a YYYY[-MM[-DD]] text names a year, month or day that exists (year >= 1)."""
    year, month, day = (int(part) for part in (text + "-01-01").split("-")[:3])
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def describe(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("{value} (a boolean)").format(value=str(value).lower())
    if isinstance(value, LocatedDict):
        return _("a mapping")
    if isinstance(value, LocatedList):
        return _("a list")
    if isinstance(value, str):
        return _("text {value}").format(value=repr(value))
    return f"{value!r} ({type(value).__name__})"
