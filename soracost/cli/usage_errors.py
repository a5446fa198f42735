"""Click's usage errors in the run's language.

Typer vendors Click, whose error messages are English f-strings with no gettext call.
In English soracost shows them as Click writes them (``format_message``). In another
language it writes them again from what each error carries: the fields Click documents
for its exceptions (``param``, ``param_hint``, ``param_type``, ``option_name``,
``possibilities``) and the parameter's own definition (``opts``, ``type``, ``nargs``,
``is_flag``), never by reading Click's English text. An error that carries nothing to
write it from keeps Click's words. The vendored classes are private, so each error is
recognised by the fields it has; ``typer.BadParameter``, the one Typer exports, by class.
"""

from collections.abc import Sequence
from typing import Any

import typer

from soracost.i18n import _, count_text, language, localise_number
from soracost.views.text import one_line, shown


class OptionValueProblem(typer.BadParameter):
    """A value refused by one of soracost's own option callbacks: its message is already
    in the run's language."""


def click_message(exc: Any) -> str:
    """The message of Click error ``exc`` in the run's language, on one line."""
    english = one_line(str(exc.format_message()))
    if language() == "en":
        return english
    return _translated(exc) or english


def _translated(exc: Any) -> str | None:
    if isinstance(exc, typer.BadParameter):
        if hasattr(exc, "param_type"):  # MissingParameter
            return _missing(exc)
        hint = _hint(exc.param, exc.param_hint)
        if hint is None:
            return None
        if isinstance(exc, OptionValueProblem):
            line = _("invalid value for {option}: {problem}")
            return line.format(option=hint, problem=one_line(exc.message))
        detail = _type_expects(getattr(exc.param, "type", None))
        if detail is None:
            return None
        return _("invalid value for {option}: {expected}").format(option=hint, expected=detail)
    option_name = getattr(exc, "option_name", None)
    if not isinstance(option_name, str):
        return None
    if hasattr(exc, "possibilities"):  # NoSuchOption
        line = _("no such option: {option}").format(option=_quoted(shown(option_name)))
        if exc.possibilities:
            names = ", ".join(sorted(exc.possibilities))
            line += " " + _("(possible options: {options})").format(options=names)
        return line
    return _option_misused(exc, option_name)  # BadOptionUsage


def _missing(exc: Any) -> str | None:
    kind = exc.param_type or getattr(exc.param, "param_type_name", None)
    hint = _hint(exc.param, exc.param_hint)
    if hint is None:
        return None
    if kind == "argument":
        return _("missing argument {argument}").format(argument=hint)
    if kind == "option":
        return _("missing option {option}").format(option=hint)
    return _("missing parameter {parameter}").format(parameter=hint)


def _option_misused(exc: Any, option_name: str) -> str | None:
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command", None)
    for param in getattr(command, "params", ()):
        if option_name not in (*param.opts, *param.secondary_opts):
            continue
        option = _quoted(option_name)
        if param.is_flag:
            return _("option {option} takes no value").format(option=option)
        if param.nargs == 1:
            return _("option {option} needs a value").format(option=option)
        return _("option {option} needs {count} values").format(
            option=option, count=count_text(param.nargs)
        )
    return None


def _hint(param: Any, param_hint: Sequence[str] | str | None) -> str | None:
    """How the error names its parameter: ``« --count » / « -n »``, ``« ID »``."""
    if param_hint is not None:
        names = [param_hint] if isinstance(param_hint, str) else list(param_hint)
    elif param is None:
        return None
    elif getattr(param, "param_type_name", None) == "argument":
        names = [param.human_readable_name]
    else:
        names = list(param.opts)
    return " / ".join(_quoted(name) for name in names) if names else None


def _quoted(name: str) -> str:
    return _("'{name}'").format(name=name)


def _type_expects(param_type: Any) -> str | None:
    """What a value of ``param_type`` must be, for the types soracost's options use."""
    name = getattr(param_type, "name", None)
    if name == "choice":
        choices = ", ".join(str(getattr(c, "value", c)) for c in param_type.choices)
        return _("one of {choices}").format(choices=choices)
    if name in ("int", "int range", "integer", "integer range"):  # Typer's Click, Click's
        whole = True
    elif name in ("float", "float range"):
        whole = False
    else:
        return None
    low = getattr(param_type, "min", None)
    high = getattr(param_type, "max", None)
    if low is not None and high is not None:
        line = (
            _("a whole number from {low} to {high}")
            if whole
            else _("a number from {low} to {high}")
        )
        return line.format(low=_number(low), high=_number(high))
    if low is not None:
        line = _("a whole number of at least {low}") if whole else _("a number of at least {low}")
        return line.format(low=_number(low))
    if high is not None:
        line = _("a whole number of at most {high}") if whole else _("a number of at most {high}")
        return line.format(high=_number(high))
    return _("a whole number") if whole else _("a number")


def _number(value: float) -> str:
    return localise_number(f"{value:,}" if isinstance(value, int) else f"{value:,g}")
