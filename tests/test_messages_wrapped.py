"""Every message soracost shows a user goes through the catalogue (docs/i18n.md).

An AST check over soracost/data, soracost/cli, soracost/views and soracost/core: the text
given as the message of an error (``DataError``, ``UsageProblem``, ``OutputError``,
``UnitProblem``, every other subclass of :class:`~soracost.core.errors.SoracostError`)
or to a function that builds one (any function of soracost with a parameter named
``message``: ``Fields.fail``, ``_Builder.fail``, ``faults.say``) must be ``_("...")``,
``ngettext(...)``, ``report_("...")`` or ``report_n(...)`` (then ``.format(...)``), or a
value made elsewhere (a variable, ``str(exc)``). A string literal with words in it, an
f-string with words (or with ``:`` / ``;``, which French spaces), ``"..." + x``,
``"...".format()`` and ``"..." % x`` are reported, and so is a variable the same function
assigns such a text to. ``_(f"...")`` is reported wherever it is: the extractor cannot
read it, so it would never be translated.

A tiny, explicit list of exceptions (:data:`EXCEPTIONS`) says why each one is not a
message to translate.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from soracost import i18n
from soracost.core.errors import DataError
from soracost.data.catalog import parse_catalog

from .conftest import MINI

PACKAGE = Path(__file__).resolve().parent.parent / "soracost"
CHECKED = ("data", "cli", "views", "core")
"""The packages whose messages are checked (soracost/i18n*.py are the machinery itself)."""

WRAPPERS = frozenset({"_", "ngettext", "report_", "report_n"})
"""The functions of soracost.i18n that translate a message."""

ROOT_ERRORS = frozenset({"SoracostError", "UnitProblem", "BadParameter"})
"""Errors whose first argument is a message a user reads (UnitProblem's reaches one of
soracost's errors through ``str(exc)``; ``typer.BadParameter``'s, and its subclass
``OptionValueProblem``'s, is a refused option value), and every class derived from
them."""

EXCEPTIONS: dict[tuple[str, str], str] = {}
"""(file relative to soracost/, the unwrapped text as reported) -> why it is not a message
to translate. Keep it short: each entry is a message a French user reads in English."""

_NOT_YET = "issue 22: its messages are still to be wrapped (another part of the work)"
PENDING: dict[str, str] = {}
"""Files (relative to soracost/) not checked yet, and why: a temporary list, which only
shrinks. A file whose messages are all wrapped must leave it (a test says so), and from
then on is checked like every other."""

_WORDS = re.compile(r"[A-Za-z]{2,}|[:;]")
"""Text worth translating: a word, or punctuation French writes with a space before it."""


@dataclass(frozen=True)
class Sink:
    """Where a message goes: a callable's name, and the position of its message among
    the positional arguments (``None``: only the keyword ``message``)."""

    name: str
    position: int | None
    owner: str | None = None  # the class defining the method, for ``self.name(...)``


def _python_files(root: Path = PACKAGE) -> list[Path]:
    return sorted(path for part in CHECKED for path in (root / part).rglob("*.py"))


def _bases(node: ast.ClassDef) -> set[str]:
    names = set()
    for base in node.bases:
        if isinstance(base, ast.Name):
            names.add(base.id)
        elif isinstance(base, ast.Attribute):
            names.add(base.attr)
    return names


def discover_sinks(trees: Iterable[ast.Module]) -> list[Sink]:
    """The error classes (derived from :data:`ROOT_ERRORS`) and the functions with a
    ``message`` parameter that ``trees`` define."""
    trees = list(trees)
    errors = set(ROOT_ERRORS) | {"DataError", "UsageProblem", "OutputError"}
    classes = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    grew = True
    while grew:  # subclasses of subclasses, in whatever order the files come
        grew = False
        for node in classes:
            if node.name not in errors and _bases(node) & errors:
                errors.add(node.name)
                grew = True
    sinks = [Sink(name, 0) for name in sorted(errors)]
    for tree in trees:
        for owner, function in _functions(tree):
            arguments = [argument.arg for argument in function.args.args]
            if owner is not None and arguments and arguments[0] in ("self", "cls"):
                arguments = arguments[1:]
            if "message" in arguments:
                sinks.append(Sink(function.name, arguments.index("message"), owner))
            elif any(argument.arg == "message" for argument in function.args.kwonlyargs):
                sinks.append(Sink(function.name, None, owner))
    return sinks


def _functions(tree: ast.Module) -> Iterator[tuple[str | None, ast.FunctionDef]]:
    """Every function of a module, with the class it is a method of (``None``: none)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield None, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    yield node.name, item


def _called(call: ast.Call) -> tuple[str | None, bool]:
    """The name a call calls, and whether it is called on ``self``."""
    if isinstance(call.func, ast.Name):
        return call.func.id, False
    if isinstance(call.func, ast.Attribute):
        on_self = isinstance(call.func.value, ast.Name) and call.func.value.id == "self"
        return call.func.attr, on_self
    return None, False


def _resolve(sinks: list[Sink], name: str, on_self: bool, owner: str | None) -> Sink | None:
    """The sink a call reaches: a method called on ``self`` is its own class's; any
    other call of a name several classes define is the public class's (``item.fail``
    is :meth:`Fields.fail`, not ``_Builder.fail``, which only ``_Builder`` calls)."""
    named = [sink for sink in sinks if sink.name == name]
    if not named:
        return None
    if on_self:
        own = [sink for sink in named if sink.owner == owner]
        if own:
            return own[0]
    public = [sink for sink in named if sink.owner is None or not sink.owner.startswith("_")]
    return (public or named)[0]


def _message_of(call: ast.Call, sink: Sink) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    if sink.position is not None and sink.position < len(call.args):
        argument = call.args[sink.position]
        return None if isinstance(argument, ast.Starred) else argument
    return None


def _is_wrapper_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WRAPPERS
    )


def _literal_text(node: ast.expr) -> str | None:
    """The English a message expression writes itself (``None``: none it can be blamed
    for): the words of a literal, an f-string, a concatenation or a formatting."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _WORDS.search(node.value) else None
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            value.value
            for value in node.values
            if isinstance(value, ast.Constant) and isinstance(value.value, str)
        )
        text = "".join(
            str(value.value) if isinstance(value, ast.Constant) else "{}" for value in node.values
        )
        return text if _WORDS.search(literal) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _literal_text(node.left) or _literal_text(node.right)
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        receiver = node.func.value
        if _is_wrapper_call(receiver):
            return None
        return _literal_text(receiver)
    return None


def _built(node: ast.expr) -> bool:
    """Whether a wrapper's argument is text built at run time (an f-string, a sum, a
    literal's ``.format()``), not a message (``_("...")``) nor a marked constant
    (``_(LABELS[kind])``, ``_(name)``)."""
    if isinstance(node, ast.JoinedStr | ast.BinOp):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    )


@dataclass(frozen=True)
class Finding:
    """An unwrapped message: where, and the English it writes."""

    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text!r}"


class _Checker(ast.NodeVisitor):
    def __init__(self, file: str, sinks: list[Sink]) -> None:
        self.file = file
        self.sinks = sinks
        self.owner: str | None = None
        self.assigned: list[dict[str, list[ast.expr]]] = [{}]
        self.findings: list[Finding] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer, self.owner = self.owner, node.name
        self.generic_visit(node)
        self.owner = outer

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        scope: dict[str, list[ast.expr]] = {}
        for inner in ast.walk(node):  # what each local name is given, anywhere in it
            if isinstance(inner, ast.Assign):
                for target in inner.targets:
                    if isinstance(target, ast.Name):
                        scope.setdefault(target.id, []).append(inner.value)
            elif (
                isinstance(inner, ast.AnnAssign | ast.AugAssign)
                and inner.value is not None
                and isinstance(inner.target, ast.Name)
            ):
                scope.setdefault(inner.target.id, []).append(inner.value)
        self.assigned.append(scope)
        self.generic_visit(node)
        self.assigned.pop()

    def _report(self, node: ast.expr, text: str) -> None:
        self.findings.append(Finding(self.file, node.lineno, text))

    def visit_Call(self, node: ast.Call) -> None:
        name, on_self = _called(node)
        if name in WRAPPERS and node.args and _built(node.args[0]):
            # _(f"...") or _("a" + b): the extractor sees no message to translate
            self._report(node, f"{name}() of a text built at run time")
        sink = _resolve(self.sinks, name, on_self, self.owner) if name else None
        message = _message_of(node, sink) if sink is not None else None
        if message is not None:
            self._check_message(message)
        self.generic_visit(node)

    def _check_message(self, message: ast.expr) -> None:
        text = _literal_text(message)
        if text is not None:
            self._report(message, text)
        elif isinstance(message, ast.Name):
            for value in self.assigned[-1].get(message.id, []):
                text = _literal_text(value)
                if text is not None:
                    self._report(value, text)


def unwrapped_messages(source: str, file: str, sinks: list[Sink] | None = None) -> list[Finding]:
    """The messages of ``source`` (a module's text, named ``file``) that are not wrapped;
    ``sinks`` defaults to those the module and the checked packages define."""
    tree = ast.parse(source, filename=file)
    if sinks is None:
        sinks = discover_sinks([*_package_trees(), tree])
    checker = _Checker(file, sinks)
    checker.visit(tree)
    return checker.findings


def _package_trees() -> list[ast.Module]:
    return [ast.parse(path.read_text(encoding="utf-8")) for path in _python_files()]


def every_unwrapped_message(pending: Iterable[str] = ()) -> list[Finding]:
    """The unwrapped messages of soracost/data, cli, views and core, less
    :data:`EXCEPTIONS` and those of the files in ``pending``."""
    sinks = discover_sinks(_package_trees())
    skipped = set(pending)
    found = []
    for path in _python_files():
        file = path.relative_to(PACKAGE).as_posix()
        if file in skipped:
            continue
        for finding in unwrapped_messages(path.read_text(encoding="utf-8"), file, sinks):
            if (finding.file, finding.text) not in EXCEPTIONS:
                found.append(finding)
    return found


# The tests ---------------------------------------------------------------------------


def test_every_message_is_wrapped_for_translation() -> None:
    assert [str(finding) for finding in every_unwrapped_message(PENDING)] == []


def test_every_pending_file_is_still_pending() -> None:
    """A file of :data:`PENDING` whose messages are all wrapped now leaves the list (and
    so a file that is gone or renamed)."""
    unwrapped = {finding.file for finding in every_unwrapped_message()}
    assert sorted(set(PENDING) - unwrapped) == []


def test_every_exception_is_still_needed() -> None:
    """An exception for a message since wrapped, moved or reworded is removed."""
    sinks = discover_sinks(_package_trees())
    seen = {
        (finding.file, finding.text)
        for path in _python_files()
        for finding in unwrapped_messages(
            path.read_text(encoding="utf-8"), path.relative_to(PACKAGE).as_posix(), sinks
        )
    }
    assert sorted(set(EXCEPTIONS) - seen) == []


def test_the_sinks_are_the_errors_and_the_message_builders() -> None:
    """The check knows where messages go: errors, and ``fail`` with its message where each
    class puts it (``Fields.fail(name, message)``, ``_Builder.fail(message, event)``)."""
    sinks = {(sink.name, sink.position, sink.owner) for sink in discover_sinks(_package_trees())}
    assert {("DataError", 0, None), ("UsageProblem", 0, None), ("OutputError", 0, None)} <= sinks
    assert {("UnitProblem", 0, None), ("MissingPlotExtra", 0, None)} <= sinks
    assert {("fail", 1, "Fields"), ("fail", 0, "_Builder"), ("say", 0, None)} <= sinks


PLANTED = """
from soracost.core.errors import DataError, UsageProblem
from soracost.i18n import _, ngettext


class Fields:
    def fail(self, name, message):
        raise DataError(message)


class _Builder:
    def fail(self, message, event):
        return DataError(message)

    def build(self, event):
        raise self.fail("more than one YAML document", event)


def check(item, value, count):
    raise DataError("the data file defines no sites", file="x.yaml")


def check_f(item, value):
    item.fail("schema_version", f"unsupported version {value}")


def check_glued(option, exc):
    raise UsageProblem(f"{option}: {exc}")


def check_variable(item):
    said = "is blank"
    item.fail("title", said)


def check_format(item, value):
    item.fail("url", "{url} is not a URL".format(url=value))


def check_built(value):
    raise DataError(_(f"no site {value}"))


def fine(item, value, count, exc):
    item.fail("title", _("is blank"))
    item.fail("url", _("{url} is not a URL").format(url=repr(value)))
    raise DataError(ngettext("{n} site", "{n} sites", count).format(n=count), file="x.yaml")
    raise UsageProblem(str(exc))
    raise DataError(f"{value}")
"""


def test_the_check_fails_on_a_message_without_translation() -> None:
    """The check itself can fail: each planted unwrapped message is reported, on its line,
    and none of the wrapped ones is (nor a field name, the first argument of ``fail``)."""
    found = [(finding.line, finding.text) for finding in unwrapped_messages(PLANTED, "planted.py")]
    line = {text: number for number, text in enumerate(PLANTED.split("\n"), start=1)}
    assert found == [
        (line['        raise self.fail("more than one YAML document", event)'],
         "more than one YAML document"),
        (line['    raise DataError("the data file defines no sites", file="x.yaml")'],
         "the data file defines no sites"),
        (line['    item.fail("schema_version", f"unsupported version {value}")'],
         "unsupported version {}"),
        (line['    raise UsageProblem(f"{option}: {exc}")'], "{}: {}"),
        (line['    said = "is blank"'], "is blank"),
        (line['    item.fail("url", "{url} is not a URL".format(url=value))'],
         "{url} is not a URL"),
        (line['    raise DataError(_(f"no site {value}"))'], "_() of a text built at run time"),
    ]  # fmt: skip


# The messages in French (these need the French catalogue to hold them) ----------------


@pytest.fixture
def french() -> Iterator[None]:
    """French for the test, English again after it (the language is process-wide)."""
    i18n.select("fr")
    yield
    i18n.select("en")


def _error(text: str) -> str:
    with pytest.raises(DataError) as caught:
        parse_catalog(text, "bad.yaml")
    return str(caught.value)


@pytest.mark.usefixtures("french")
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("schema_version: 1", "schema_version: 2",
         "bad.yaml:3: schema_version: version 2 non prise en charge ; ce soracost lit la "
         "version 1"),
        ("  - id: model-a\n", "  - id: Model A\n",
         "estimation 'Model A': id: 'Model A' n’est pas un identifiant valide (lettres "
         "minuscules, chiffres, '.', '_', '-')"),
        ("    source: paper\n", "    source: nobody\n",
         "bad.yaml:37: estimation 'model-a': source: aucune source n’a l’identifiant 'nobody'"),
        ("frames: 81, fps: 16,", "frames: 81, fps: 16, duration_s: 9,",
         "estimation 'model-a': applies_to.clip.duration_s: 9 s ne concorde pas avec 81 images "
         "à 16 fps (5,062 s)"),
        ("title: Test catalogue", "title: &t Test catalogue\nx: *t",
         "bad.yaml:5: les alias YAML (*nom) ne sont pas acceptés dans les fichiers de données"),
        ("schema_version: 1", "schema_version: 1\nschema_version: 1",
         "bad.yaml:4: clé en double 'schema_version' (déjà ligne 3)"),
    ],
)  # fmt: skip
def test_data_file_errors_are_french(old: str, new: str, message: str) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert old in text
    assert message in _error(text.replace(old, new, 1))


@pytest.mark.usefixtures("french")
def test_a_supplied_factor_is_refused_in_french() -> None:
    from soracost.core.units import UnitProblem
    from soracost.core.user_factors import parse_user_factor

    with pytest.raises(UnitProblem) as caught:
        parse_user_factor("wue-onsite", "0.5 kg", "--wue")
    assert str(caught.value) == (
        "'0.5 kg' n’est pas un WUE sur site : donnez-en un comme '0.5 L/kWh'"
    )
    with pytest.raises(UnitProblem) as caught:
        parse_user_factor("pue", "12.5", "--pue")
    assert str(caught.value) == "'12.5' : un PUE au-delà de 5 n’est pas plausible"
