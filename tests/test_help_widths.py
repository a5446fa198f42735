"""Help at the widths people use: an enumerated option's values are never cut mid-way
(options.choices gives them spaces to wrap at)."""

from __future__ import annotations

import pytest

from soracost.cli.commands.usage import PeriodChoice, ReportFormat
from soracost.cli.options import CitationFormat, OutputFormat, SourcesFormat
from soracost.cli.scenario_options import BoundaryOption, MethodChoice, QuantityChoice

from .test_french import run

VALUES = {
    "clip": [BoundaryOption, CitationFormat, MethodChoice, OutputFormat],
    "compare": [BoundaryOption, CitationFormat, MethodChoice, OutputFormat, QuantityChoice],
    "sources": [SourcesFormat],
    "report": [PeriodChoice, ReportFormat],
}


def _metavars(text: str) -> list[list[str]]:
    """The values of each enumerated metavar (``<a | b>``) of a help page, read down its
    column: a metavar wrapped onto the next line continues at the same position, and a
    line break counts as a space (a value cut at the end of a line comes back in two)."""
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines):
        start = line.find(" <") + 1
        if not start or "|" not in line[start:]:
            continue
        parts = [line[start:].split("  ")[0]]
        for below in lines[number + 1 :]:
            if parts[-1].endswith(">"):
                break
            parts.append(below[start:].split("  ")[0].strip())
        metavar = " ".join(parts)
        assert metavar.startswith("<") and metavar.endswith(">"), metavar
        found.append([value.strip() for value in metavar[1:-1].split("|")])
    return found


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("command", sorted(VALUES))
def test_no_option_value_is_cut_in_help(command: str, lang: str, columns: int) -> None:
    done = run("--lang", lang, command, "--help", columns=columns)
    assert done.returncode == 0, done.stderr
    expected = [[option.value for option in options] for options in VALUES[command]]
    shown = _metavars(done.stdout)
    for values in expected:
        assert values in shown, (values, shown)
