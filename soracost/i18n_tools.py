"""Keeping the translations in step with the code (contributors' tool; see docs/i18n.md).

``python -m soracost.i18n_tools update``
    extracts every message (what ``pybabel extract -F babel.cfg`` extracts, with the
    keywords of :data:`KEYWORDS`), merges it into each language's ``soracost.po`` (new
    messages come in untranslated, never guessed: no fuzzy matching), drops the messages
    no longer used, and compiles the ``.mo`` files.
``python -m soracost.i18n_tools compile``
    compiles each ``soracost.po`` into its ``soracost.mo`` (as ``pybabel compile``).
``python -m soracost.i18n_tools check``
    exits 1, listing them, if a message of the code has no translation (or a fuzzy
    one), if a ``.po`` holds messages the code no longer has, or if a ``.mo`` is not
    what its ``.po`` compiles to. tests/test_french.py runs the same checks.

The extractors that ``babel.cfg`` names are here too: :func:`extract_python` (Babel's,
plus the docstrings of the commands, which Typer shows as their help) and
:func:`extract_catalogue` (the everyday equivalents' names in ``sources.yaml``, which a
table shows; a source's quoted claim is never extracted: it stays as published).

Babel is imported here freely: this module is never imported by a run of soracost.
"""

from __future__ import annotations

import ast
import functools
import importlib
import io
import sys
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from soracost.i18n import help_paragraphs

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "soracost"
LANGUAGES = ("fr",)
"""The languages with a catalogue (English is the messages' own language)."""

KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "report_": None,
    "report_n": (1, 2),
}
"""The functions of :mod:`soracost.i18n` whose string arguments are messages
(``pybabel extract -k report_ -k report_n:1,2``)."""

Extracted = tuple[Any, ...]
"""What an extractor yields: line, function, message(s), comments."""


def extract_python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Any,
) -> Iterator[Extracted]:
    """Babel's Python extractor; with ``docstrings = true`` (babel.cfg), also the
    docstring of every function of the module that soracost/cli/app.py makes a command,
    as :func:`inspect.cleandoc` gives it (soracost.cli.app translates the commands' help
    from exactly that)."""
    from babel.messages.extract import extract_python as babel_python

    source = fileobj.read()
    yield from babel_python(io.BytesIO(source), keywords, comment_tags, options)
    tree = ast.parse(source)
    if _on(options, "help"):
        yield from _option_help(tree)
    if not _on(options, "docstrings"):
        return
    module = Path(getattr(fileobj, "name", "")).stem
    commands = _commands().get(module, set())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in commands:
            doc = ast.get_docstring(node, clean=True)
            for paragraph in help_paragraphs(doc or ""):
                yield node.lineno, "", paragraph, [f"help of a command ({node.name})"]


def _on(options: Any, name: str) -> bool:
    return str(options.get(name, "")).lower() in ("true", "1", "yes")


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """A module's string constants: ``NAME = "text"`` at its top level."""
    return {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }


@functools.cache
def _module_constants(module: str) -> dict[str, str]:
    """The string constants of a soracost module, read once per extraction (several
    modules import from the same one); none for a package or a module elsewhere."""
    path = REPO_ROOT.joinpath(*module.split(".")).with_suffix(".py")
    return _string_constants(ast.parse(path.read_bytes())) if path.is_file() else {}


def _imported_constants(tree: ast.Module) -> dict[str, str]:
    """The string constants a module imports from soracost's own modules
    (``from soracost.cli.options import CLIP``), read from those modules' source."""
    found: dict[str, str] = {}
    for node in tree.body:
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("soracost.")):
            continue
        constants = _module_constants(str(node.module))
        for alias in node.names:
            if alias.name in constants:
                found[alias.asname or alias.name] = constants[alias.name]
    return found


def _option_help(tree: ast.Module) -> Iterator[Extracted]:
    """With ``help = true`` (babel.cfg): every ``help="..."`` given as a string, and every
    ``rich_help_panel=NAME`` whose NAME is a string constant of the module or one it
    imports from another soracost module: soracost.cli.app translates them by value (an
    f-string help cannot be: wrap it in ``_()`` itself)."""
    constants = {**_imported_constants(tree), **_string_constants(tree)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.keyword):
            continue
        value = node.value
        if node.arg == "help" and isinstance(value, ast.Constant) and isinstance(value.value, str):
            yield value.lineno, "", value.value, ["help of an option"]
        elif (
            node.arg == "rich_help_panel" and isinstance(value, ast.Name) and value.id in constants
        ):
            yield value.lineno, "", constants[value.id], ["a panel of --help"]


def _commands() -> dict[str, set[str]]:
    """The functions soracost.cli.app makes commands, by module: ``clip`` in
    soracost.cli.commands.footprint gives ``{"footprint": {"clip"}}`` (a group's own
    function and each of its commands' too)."""
    from soracost.cli.app import COMMANDS

    found: dict[str, set[str]] = {}
    for spec in COMMANDS.values():
        names = found.setdefault(spec.module.rsplit(".", 1)[-1], set())
        if not spec.group:
            names.add(spec.attribute)
            continue
        group = getattr(importlib.import_module(spec.module), spec.attribute)()
        infos = [group.registered_callback, *group.registered_commands]
        names.update(info.callback.__name__ for info in infos if info and info.callback)
    return found


def extract_catalogue(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Any,
) -> Iterator[Extracted]:
    """The text of a data file that soracost shows as its own words: each everyday
    equivalent's name and what it counts, in the plural and the singular (as the
    equivalents table writes them). Quoted claims, notes and citations are not."""
    import yaml

    from soracost.views.equivalents_view import _UNIT_PLURALS, _one  # the table's own rules

    document = yaml.safe_load(fileobj)
    for item in (document or {}).get("equivalents") or ():
        where = [f"equivalent {item.get('id')}"]
        if item.get("name"):
            yield 0, "", str(item["name"]), where
        counts = item.get("counts")
        if counts:
            forms = (str(counts), _UNIT_PLURALS.get(counts, counts), _one(counts))
            for word in dict.fromkeys(forms):
                yield 0, "", word, [*where, "a unit counted after a number"]


def template() -> Any:
    """Every message of the code, as ``pybabel extract -F babel.cfg`` finds it."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (REPO_ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    catalog = Catalog(project="soracost", domain=DOMAIN, charset="utf-8")
    found = extract_from_dir(
        REPO_ROOT,
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(language: str) -> Any:
    from babel.messages.pofile import read_po as babel_read_po

    with po_path(language).open("rb") as file:
        return babel_read_po(file, locale=language, domain=DOMAIN)


def compiled(catalog: Any) -> bytes:
    """The ``.mo`` bytes of ``catalog``, as ``pybabel compile`` writes them (no fuzzy)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def problems(language: str) -> list[str]:
    """What is wrong with ``language``'s catalogue: missing, fuzzy, empty or obsolete
    translations, and a ``.mo`` out of step with its ``.po``."""
    wanted = template()
    catalog = read_po(language)
    found: list[str] = []
    for message in wanted:
        if not message.id:
            continue
        have = catalog.get(message.id, context=message.context)
        name = message.id if isinstance(message.id, str) else message.id[0]
        if have is None:
            found.append(f"{language}: no translation of {name!r}")
        elif have.fuzzy:
            found.append(f"{language}: fuzzy translation of {name!r}")
        elif not all(have.string) if isinstance(have.string, tuple) else not have.string:
            found.append(f"{language}: empty translation of {name!r}")
    for message in catalog:
        if message.id and wanted.get(message.id, context=message.context) is None:
            name = message.id if isinstance(message.id, str) else message.id[0]
            found.append(f"{language}: {name!r} is no longer in the code (run update)")
    mo = po_path(language).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compiled(catalog):
        found.append(f"{language}: {mo.name} is not its .po compiled (run compile)")
    return found


def compile_all() -> None:
    for language in LANGUAGES:
        po_path(language).with_suffix(".mo").write_bytes(compiled(read_po(language)))


def update_all() -> None:
    """Merge the code's messages into each ``.po`` (untranslated when new), then compile."""
    from babel.messages.pofile import write_po

    wanted = template()
    for language in LANGUAGES:
        catalog = read_po(language)
        catalog.update(wanted, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # messages the code no longer has go
        with po_path(language).open("wb") as file:
            write_po(file, catalog, width=100, include_lineno=False, sort_output=True)
    compile_all()


def main(argv: list[str]) -> int:
    action = argv[0] if argv else ""
    if action == "update":
        update_all()
    elif action == "compile":
        compile_all()
    elif action == "check":
        found = [line for language in LANGUAGES for line in problems(language)]
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print("usage: python -m soracost.i18n_tools update|compile|check", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
