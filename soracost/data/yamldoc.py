"""Read a YAML data file safely into plain Python data that remembers line numbers.

The document is built from the parser's event stream in one iterative pass with an
explicit stack, rather than by PyYAML's composer: the C composer recurses and crashes the
interpreter on deeply nested input, while events arrive lazily, so a hostile file is
refused after reading only as far as its first offence.

Safety: only YAML's plain types are built (the safe constructor), aliases and merge keys
are refused outright (so an alias bomb costs nothing), custom tags are refused, nesting is
capped, duplicate keys are errors, and only regular files up to a size cap are read.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

from soracost.core.errors import DataError
from soracost.i18n import _, count_text, os_reason

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Data files larger than this (8 MiB, ~500× the shipped catalogue) are refused."""

MAX_DEPTH = 32
"""Deepest nesting of mappings and lists accepted; the schema itself needs 4."""

_PLAIN_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_DECIMAL = (
    r"[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
"""A number in plain decimal. Compiled by the parser (:class:`_Builder`) only: a run that
finds its data file in the cache parses nothing, and compiling it at import cost that run
1.2 M instructions (`clip --count 10`, callgrind, whole process)."""
# C0 and C1 control characters other than tab and newline: terminal escape codes and the
# like, which would reach error messages and CSV cells verbatim.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_control_characters(text: str) -> bool:
    """Whether a text holds a character that no value of a data file may hold."""
    return _CONTROL.search(text) is not None


class LocatedDict(dict[str, Any]):
    """A mapping from a YAML file; ``line`` and ``key_lines`` are 1-based line numbers."""

    # Slots, not an attribute dict: a document has hundreds of containers, each given its
    # lines as it is built (0.7 M instructions less per load of the shipped catalogue
    # from the cache, callgrind).
    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A list from a YAML file; ``line`` and ``item_lines`` are 1-based line numbers."""

    __slots__ = ("item_lines", "line")  # as LocatedDict's
    line: int
    item_lines: list[int]


def read_bytes(path: Path) -> bytes:
    """Read a data file's bytes, refusing huge files, folders, devices and pipes."""
    label = str(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise DataError(_("is a folder, not a data file"), file=label)
        if not stat.S_ISREG(mode):
            # /dev/zero or a FIFO would never end or never answer.
            raise DataError(_("is not a regular file"), file=label)
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # never more than the cap, whatever stat said
    except FileNotFoundError:
        raise DataError(_("no such file"), file=label) from None
    except PermissionError:
        raise DataError(_("permission denied"), file=label) from None
    except OSError as exc:
        said = _("cannot read: {reason}").format(reason=os_reason(exc))
        raise DataError(said, file=label) from None
    if len(raw) > MAX_FILE_BYTES:
        said = _("file is larger than {limit} bytes, the limit for data files")
        raise DataError(said.format(limit=count_text(MAX_FILE_BYTES)), file=label)
    return raw


def decode(raw: bytes, label: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line of the first bad byte."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError(_("binary data (a NUL byte); expected YAML text"), file=label, line=line)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        said = _("not UTF-8 text (byte {byte})").format(byte=f"0x{raw[exc.start]:02x}")
        raise DataError(said, file=label, line=line) from None


def parse(text: str, label: str) -> Any:
    """Parse one YAML document into plain data made of Located containers and scalars."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return _Builder(label, loader).build()
    except yaml.YAMLError as exc:
        # The parser may notice deep nesting before the builder does (libyaml refuses
        # deep flow levels while it scans ahead, since PyYAML 6.0.4): whichever layer
        # notices first, the user gets soracost's message, never the parser's wording.
        deep_line = _line_beyond_depth(text)
        if deep_line is not None:
            raise _too_deep(label, deep_line) from None
        raise _invalid_yaml(exc, label) from None
    finally:
        loader.dispose()


def _too_deep(label: str, line: int) -> DataError:
    said = _("data nested deeper than {depth} levels").format(depth=MAX_DEPTH)
    return DataError(said, file=label, line=line)


def _invalid_yaml(exc: Exception, label: str) -> DataError:
    """One line for a syntax error the parser found: what, and the line it is on."""
    import yaml

    if not isinstance(exc, yaml.MarkedYAMLError):
        said = _("invalid YAML: {problem}").format(problem=" ".join(str(exc).split()))
        return DataError(said, file=label)
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    # The parser's own words (PyYAML's, in English) are quoted as they are.
    problem = " ".join((exc.problem or exc.context or _("malformed YAML")).split())
    said = _("invalid YAML: {problem}")
    if exc.context and exc.context_mark is not None and exc.problem:
        # e.g. an unclosed bracket: say where the construct began, not only where
        # the parser gave up, which may be many lines later.
        said = _("invalid YAML: {problem} ({context} that starts on line {line})")
    context = " ".join((exc.context or "").split())
    start = exc.context_mark.line + 1 if exc.context_mark is not None else None
    return DataError(
        said.format(problem=problem, context=context, line=start), file=label, line=line
    )


def _line_beyond_depth(text: str) -> int | None:
    """The 1-based line where the text's nesting first goes past MAX_DEPTH, if it does.

    Counted on the pure-Python scanner's tokens (iterative, with no depth limit of its
    own), stopping at the first token past the limit or at the first syntax error. Only
    called once parsing has failed, so a valid file never pays for it.
    """
    import yaml

    opening = (
        yaml.FlowSequenceStartToken,
        yaml.FlowMappingStartToken,
        yaml.BlockMappingStartToken,
        yaml.BlockSequenceStartToken,
    )
    closing = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, opening):
                depth += 1
                if depth > MAX_DEPTH:
                    return int(token.start_mark.line) + 1
            elif isinstance(token, closing):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


class _Frame:
    """An open mapping or list, and for a mapping the key waiting for its value."""

    __slots__ = ("container", "key", "key_line")

    def __init__(self, container: LocatedDict | LocatedList) -> None:
        self.container = container
        self.key: str | None = None
        self.key_line = 0


class _Builder:
    """Builds Located data from parser events, checking what PyYAML does not."""

    def __init__(self, label: str, loader: Any) -> None:
        import yaml

        self.yaml = yaml
        self.label = label
        self.loader = loader  # also a resolver and a safe constructor
        self.decimal = re.compile(_DECIMAL)

    def fail(self, message: str, event: Any) -> DataError:
        return DataError(message, file=self.label, line=event.start_mark.line + 1)

    def build(self) -> Any:
        yaml = self.yaml
        stack: list[_Frame] = []
        root: Any = None
        documents = 0
        while True:
            event = self.loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(_("more than one YAML document (---) in the file"), event)
            elif isinstance(event, yaml.AliasEvent):
                raise self.fail(_("YAML aliases (*name) are not supported in data files"), event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if event.tag not in _PLAIN_COLLECTION_TAGS:
                    said = _("YAML tag {tag} is not supported").format(tag=repr(event.tag))
                    raise self.fail(said, event)
                if len(stack) >= MAX_DEPTH:
                    raise _too_deep(self.label, event.start_mark.line + 1)
                container: LocatedDict | LocatedList
                if isinstance(event, yaml.MappingStartEvent):
                    container = LocatedDict()
                    container.key_lines = {}
                else:
                    container = LocatedList()
                    container.item_lines = []
                container.line = event.start_mark.line + 1
                stack.append(_Frame(container))
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                done = stack.pop().container
                if stack:
                    self._attach(stack[-1], done, done.line)
                else:
                    root = done
            elif isinstance(event, yaml.ScalarEvent):
                value = self._scalar(event)
                if stack:
                    self._attach(stack[-1], value, event.start_mark.line + 1)
                else:
                    root = value
        if root is None:
            raise DataError(
                _("the file is empty; expected a mapping with 'sources' and 'estimates'"),
                file=self.label,
            )
        return root

    def _scalar(self, event: Any) -> Any:
        yaml = self.yaml
        if event.tag not in (None, "!"):
            # Even standard tags (!!bool, !!timestamp, !!binary) are refused: plain values
            # say everything the schema needs, and PyYAML's constructors crash on odd input.
            said = _("YAML tag {tag} is not supported").format(tag=repr(event.tag))
            raise self.fail(said, event)
        tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:merge":
            raise self.fail(_("YAML merge keys (<<) are not supported in data files"), event)
        octal = tag == _NUMBER_TAGS[0] and re.fullmatch(r"[-+]?0[0-9_]+", event.value)
        if tag in _NUMBER_TAGS and (octal or not self.decimal.fullmatch(event.value)):
            # YAML 1.1 reads 017 as 15, 1:30 as 90 and 0x51 as 81: surprises, not data.
            said = _("write the number {number} in plain decimal").format(number=repr(event.value))
            raise self.fail(said, event)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.loader.construct_object(node)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            said = _("invalid YAML value: {problem}").format(problem=" ".join(problem.split()))
            raise self.fail(said, event) from None
        except (ValueError, OverflowError) as exc:  # e.g. an impossible date: 2025-02-30
            said = _("invalid YAML value: {problem}").format(problem=exc)
            raise self.fail(said, event) from None
        if isinstance(value, str) and has_control_characters(value):
            raise self.fail(_("text contains control characters (such as escape codes)"), event)
        return value

    def _attach(self, frame: _Frame, value: Any, line: int) -> None:
        """Put a finished value into the innermost open container."""
        container = frame.container
        if isinstance(container, LocatedList):
            container.append(value)
            container.item_lines.append(line)
        elif frame.key is None:
            if isinstance(value, LocatedDict | LocatedList):
                raise DataError(_("a key must be plain text"), file=self.label, line=line)
            key = str(value)
            if key in container:
                said = _("duplicate key {key} (first on line {line})")
                raise DataError(
                    said.format(key=repr(key), line=container.key_lines[key]),
                    file=self.label,
                    line=line,
                )
            frame.key, frame.key_line = key, line
        else:
            container[frame.key] = value
            container.key_lines[frame.key] = frame.key_line
            frame.key = None
