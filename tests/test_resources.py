"""Bounded resources: JSON written in pieces, byte for byte as before, and parsers linear
in their input.

Linearity is not timed here. Each parser reads inputs of a million characters, shaped to
make a quadratic pattern rescan them (runs of spaces, digits, dots, commas): linear, the
lot takes well under a second; quadratic, hours (40,000 spaces took 34 s). They run in a
child process whose generous limit turns a regression into a failure, not a hung suite.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soracost.views import jsontext

# --- JSON ------------------------------------------------------------------------------------


def standard(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from([jsontext._HOLE, "⚡🎥", "a\nb", '"', "\\", "\x00", ""])
)
keys = st.text(max_size=8) | st.sampled_from([jsontext._HOLE, "id", "ключ", ""])
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_json_text_is_the_standard_librarys(document: Any) -> None:
    assert jsontext.dumps(document) == standard(document)
    assert "".join(jsontext.chunks(document)) == standard(document)
    assert jsontext.dumps(document, end="\n") == standard(document) + "\n"


def test_json_is_written_a_row_at_a_time() -> None:
    row = {"id": "r", "steps": [{"value": {"low": 1.0, "mid": 2.0, "high": 3.0}}] * 3}
    document = {"command": "clip", "rows": [row] * 200, "notes": ["a", "b"]}
    pieces = list(jsontext.chunks(document))
    assert "".join(pieces) == standard(document)
    assert len(pieces) > 200
    one_row = len(standard({"command": "clip", "rows": [row]}))  # a row, and what leads to it
    assert max(len(piece) for piece in pieces) <= one_row


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_json_refuses_what_is_not_a_number(value: float) -> None:
    for document in ({"a": [1, {"b": value}]}, {"a": value}, value):
        with pytest.raises(ValueError, match="Out of range float values"):
            jsontext.dumps(document)


def test_json_refuses_what_it_cannot_hold() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        jsontext.dumps({"a": [{"b": {1, 2}}, [1]]})


# --- parsers ---------------------------------------------------------------------------------

LINEAR_CHECK = """
from soracost.cli.inputs import parse_weights
from soracost.core.equivalents import parse_any_amount
from soracost.core.footprint import parse_resolution
from soracost.core.units import (check_unit, parse_amount, parse_carbon_intensity,
                                 parse_number, parse_water_intensity)

N = 1_000_000
shapes = [" " * N, "1" * N, "." * N, "," * N, "1," * (N // 2), "1 " * (N // 2),
          "1" + " " * N + "x" + " " * N + "1", "1 Wh" + " " * N + "!", "1 x" + " " * N,
          "1" * N + " Wh" + " " * N + "x", "1." + "1" * N + "x", "1e" + "1" * N + "x",
          "1x" + " " * N + "x" * N, "x" * N, "0" * N + " Wh", "1 L" + " " * N + "/kWh x"]
parsers = [lambda t: parse_amount(t, "energy"), lambda t: check_unit(t, "water"),
           parse_any_amount, parse_resolution, parse_number, parse_water_intensity,
           parse_carbon_intensity, lambda t: parse_weights(t, True)]
for text in shapes:
    for parser in parsers:
        try:
            parser(text)  # "000…0 Wh" is 0 Wh: accepted, and that is fine
        except Exception as exc:
            assert type(exc).__name__ in ("UnitProblem", "UsageProblem", "ValueError"), exc
print("all answered")
"""


def test_every_parser_is_linear_in_its_input() -> None:
    """Every text parser answers a million characters of spaces, digits, dots, commas
    and units with spaces in them at once (a usage error, or a value); quadratic, this
    would take hours."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(LINEAR_CHECK)],
        capture_output=True,
        text=True,
        timeout=300,  # linear: ~1 s; quadratic: hours. Not a measurement, a safety net.
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "all answered"


def test_a_long_unit_is_refused_before_pint_reads_it() -> None:
    from soracost.core.units import MAX_UNIT_LENGTH, UnitProblem, check_unit, parse_amount

    with pytest.raises(UnitProblem, match="40,000 characters long"):
        check_unit("1" * 40_000, "energy")
    with pytest.raises(UnitProblem, match="characters long"):
        parse_amount("90 W" + "h" * MAX_UNIT_LENGTH, "energy")
    assert parse_amount("90   Wh   ", "energy") == (90.0, "Wh")  # spaces are still fine
