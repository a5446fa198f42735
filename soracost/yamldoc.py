"""Read a YAML data file safely into plain Python data that remembers line numbers.

Safety: only YAML's plain types are built (the safe constructor), aliases are refused
outright (so an alias bomb costs nothing), nesting is capped, duplicate keys are errors,
and the file's size is capped before parsing. Every mapping and list remembers the line
of each of its items, so validation errors can name the line a user must fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from soracost.errors import DataError

MAX_FILE_BYTES = 8 * 1024 * 1024
"""Data files larger than this (8 MiB, ~1000× the shipped catalogue) are refused."""

MAX_DEPTH = 32
"""Deepest nesting of mappings and lists accepted; the schema itself needs 4."""


class LocatedDict(dict[str, Any]):
    """A mapping from a YAML file; ``line`` and ``key_lines`` are 1-based line numbers."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A list from a YAML file; ``line`` and ``item_lines`` are 1-based line numbers."""

    line: int
    item_lines: list[int]


def read_bytes(path: Path) -> bytes:
    """Read a data file's bytes, refusing huge files, folders and unreadable paths."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(
                f"file is {size:,} bytes; data files are limited to {MAX_FILE_BYTES:,} bytes",
                file=label,
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError("no such file", file=label) from None
    except IsADirectoryError:
        raise DataError("is a folder, not a data file", file=label) from None
    except PermissionError:
        raise DataError("permission denied", file=label) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror or exc}", file=label) from None
    return raw


def decode(raw: bytes, label: str) -> str:
    """Decode UTF-8 (a BOM is allowed), naming the line of the first bad byte."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise DataError("binary data (a NUL byte); expected YAML text", file=label, line=line)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", file=label, line=line
        ) from None


def parse(text: str, label: str) -> Any:
    """Parse one YAML document into plain data made of Located containers and scalars."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader_class)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        if exc.context and exc.context_mark is not None and exc.problem:
            # e.g. an unclosed bracket: say where the construct began, not only where
            # the parser gave up, which may be many lines later.
            problem += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
        raise DataError(f"invalid YAML: {problem}", file=label, line=line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"invalid YAML: {exc}", file=label) from None
    if root is None:
        raise DataError(
            "the file is empty; expected a mapping with 'sources' and 'estimates'", file=label
        )
    return _Builder(label).build(root, depth=0)


class _Builder:
    """Turns a composed node graph into Located data, checking what PyYAML does not."""

    def __init__(self, label: str) -> None:
        import yaml

        self.label = label
        self.seen: set[int] = set()
        # The safe constructor resolves scalars (int, float, bool, null, date, str) and
        # rejects every tag it does not know, such as !!python/object.
        self.constructor = yaml.constructor.SafeConstructor()
        self.yaml = yaml

    def build(self, node: Any, depth: int) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            raise DataError(
                "YAML aliases (*name) are not supported in data files", file=self.label, line=line
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise DataError(
                f"data nested deeper than {MAX_DEPTH} levels", file=self.label, line=line
            )
        if isinstance(node, self.yaml.MappingNode):
            return self._mapping(node, depth, line)
        if isinstance(node, self.yaml.SequenceNode):
            items = LocatedList(self.build(child, depth + 1) for child in node.value)
            items.line = line
            items.item_lines = [child.start_mark.line + 1 for child in node.value]
            return items
        try:
            return self.constructor.construct_object(node)
        except self.yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise DataError(f"invalid YAML value: {problem}", file=self.label, line=line) from None
        except ValueError as exc:  # e.g. an impossible date such as 2025-02-30
            raise DataError(f"invalid YAML value: {exc}", file=self.label, line=line) from None

    def _mapping(self, node: Any, depth: int, line: int) -> LocatedDict:
        mapping = LocatedDict()
        mapping.line = line
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise DataError(
                    "YAML merge keys (<<) are not supported in data files",
                    file=self.label,
                    line=key_line,
                )
            if not isinstance(key_node, self.yaml.ScalarNode):
                raise DataError("a key must be plain text", file=self.label, line=key_line)
            key = str(self.build(key_node, depth + 1))
            if key in mapping:
                raise DataError(
                    f"duplicate key {key!r} (first on line {mapping.key_lines[key]})",
                    file=self.label,
                    line=key_line,
                )
            mapping[key] = self.build(value_node, depth + 1)
            mapping.key_lines[key] = key_line
        return mapping
