"""Every command and format through Typer's CliRunner, with exact expected outputs."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost import __version__
from soracost.cli.app import app

from .conftest import MINI

MINI_SHA = hashlib.sha256(MINI.read_bytes()).hexdigest()

PAPER = {
    "id": "paper",
    "publisher": "Example Press",
    "title": "Energy of video models",
    "authors": ["Ada Lovelace", "Alan Turing"],
    "date": "2025-09-23",
    "url": "https://example.org/paper",
}
NEWS = {
    "id": "news",
    "publisher": "Daily News",
    "title": '=HYPERLINK("http://evil.example")',
    "authors": None,
    "date": "2025-10",
    "url": "https://example.org/news",
}


def expected_row(
    estimate_id: str,
    quantity: str,
    unit: str,
    per_clip: tuple[float, ...],
    count: int,
    **extra: Any,
) -> dict[str, Any]:
    low, mid, high = per_clip
    row = {
        "estimate_id": estimate_id,
        "quantity": quantity,
        "unit": unit,
        "per_clip": {"low": low, "mid": mid, "high": high},
        "batch": {"low": low * count, "mid": mid * count, "high": high * count},
        "user_factors": [],  # no --pue, --wue, --ewif or --grid-intensity given
    }
    row.update(extra)
    return row


MODEL_A = {
    "published": {"low": "80 Wh", "mid": "90 Wh", "high": "100 Wh"},
    "fill": None,
    "fill_rule": None,
    "applies_to": {
        "model": "Model A",
        "sora_proxy": True,
        "models_sora": False,
        "hardware": None,
        "closed": None,
        "clip": {
            "duration_s": None,
            "width": 1280,
            "height": 720,
            "frames": 81,
            "fps": 16.0,
            "steps": 50,
        },
    },
    "boundary": "gpu+cpu+ram",
    "method": "measured",
    "confidence": "confirmed",
    "claim": "Model A uses about 90 Wh per video.",
    "note": None,
    "unconfirmed": {},
    "source": PAPER,
    "chain": [PAPER],
    "see_also": [],
}
NO_CLIP = {
    "duration_s": None,
    "width": None,
    "height": None,
    "frames": None,
    "fps": None,
    "steps": None,
}
MODEL_B = {
    "published": {"mid": "7,200 J"},
    "fill": "single-figure",
    "fill_rule": "the source gives one figure; low, mid and high are all set to it",
    "applies_to": {
        "model": "Model B",
        "sora_proxy": False,
        "models_sora": False,
        "hardware": None,
        "closed": None,
        "clip": NO_CLIP,
    },
    "boundary": "gpu",
    "method": "measured",
    "confidence": "partial",
    "claim": "Model B uses 7,200 J per video.",
    "note": None,
    "unconfirmed": {},
    "source": NEWS,
    "chain": [NEWS, PAPER],
    "see_also": [],
}
WATER_C = {
    "published": {"low": "0.25 L", "high": "1 L"},
    "fill": "geometric-mean",
    "fill_rule": "the source gives a range; mid is set to the geometric mean of low and high",
    "applies_to": {
        "model": "Model C",
        "sora_proxy": False,
        "models_sora": False,
        "hardware": None,
        "closed": None,
        "clip": NO_CLIP,
    },
    "boundary": "unknown",
    "method": "back-of-envelope",
    "confidence": "unconfirmed",
    "claim": "A video uses between a quarter of a litre and a litre of water.",
    "note": None,
    "unconfirmed": {"published": "the units are inferred from context"},
    "source": NEWS,
    "chain": [NEWS],
    "see_also": [PAPER],
}


MODEL_KEYS = {
    "derived", "water_split", "scaled", "scale_factor", "not_scaled", "boundary_shown", "notes",
    "steps", "boundary_differs",
}  # fmt: skip
"""Row keys of the footprint model, checked exactly in test_footprint.py."""


def without_model_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key not in MODEL_KEYS} for row in rows]


MINI_SCENARIO = {
    "clip": {"duration_s": None, "width": None, "height": None, "fps": None},
    "boundary": "facility",
    "site": None,
    "model": None,
    "estimates": [],
    "quantities": ["energy", "water"],
    "method": {"name": "bounds"},
    "carbon_basis": None,
}


def run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


ANSWER_METHOD = (
    "equal-weight mixture of the fed estimates' split log-normals (median mid, P5 low, "
    "P95 high), percentiles in closed form"
)
NOT_CONVERTED = [
    {
        "estimate_id": "model-a",
        "reason": "other-boundary",
        "detail": "at another boundary (gpu+cpu+ram): not like for like",
    },
    {
        "estimate_id": "model-b",
        "reason": "other-boundary",
        "detail": "at another boundary (gpu): not like for like",
    },
]


def expected_answer(
    unit: str, count: int, cases: tuple[float, ...] | None, fed: list[str], left_out: list[Any]
) -> dict[str, Any]:
    """An answer object; ``cases``: lowest, P5, P50, P95, highest per clip (or None)."""
    keys = ("lowest", "p5", "p50", "p95", "highest")
    per_clip = dict(zip(keys, cases or (None,) * 5, strict=True))
    return {
        "unit": unit,
        "count": count,
        # The percentiles come from a bisection: equal to the last few digits.
        "per_clip": {k: None if v is None else pytest.approx(v) for k, v in per_clip.items()},
        "batch": {k: None if v is None else pytest.approx(v * count) for k, v in per_clip.items()},
        "method": ANSWER_METHOD,
        "max_scale": 3.0,
        "fed": fed,
        "left_out": left_out,
    }


def test_clip_json_is_exact(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "clip", "--count", "3", "--format", "json", "--sources", str(mini))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    document["rows"] = without_model_keys(document["rows"])
    assert document.pop("answer") == {
        # No energy figure could be lifted to the facility boundary: nothing to pool.
        "energy": expected_answer("Wh", 3, None, [], NOT_CONVERTED),
        # One estimate: the answer is its own cases.
        "water": expected_answer("mL", 3, (250.0, 250.0, 500.0, 1000.0, 1000.0), ["water-c"], []),
    }
    assert document == {
        "soracost_version": __version__,
        "command": "clip",
        "sources_file": {"path": str(mini), "sha256": MINI_SHA},
        "count": 3,
        "units": {"energy": "Wh", "water": "mL"},
        "scenario": MINI_SCENARIO,
        "training_share": None,
        "not_given": [
            {
                "estimate_id": "model-a",
                "quantity": "water",
                "reason": "no water derived: the data file has no sites",
            },
            {
                "estimate_id": "model-b",
                "quantity": "water",
                "reason": "no water derived: the data file has no sites",
            },
            {
                "estimate_id": "water-c",
                "quantity": "energy",
                "reason": "the source published no energy figure",
            },
        ],
        "step_sources": {"paper": PAPER, "news": NEWS},
        "rows": [
            expected_row("model-a", "energy", "Wh", (80.0, 90.0, 100.0), 3, **MODEL_A),
            expected_row("model-b", "energy", "Wh", (2.0, 2.0, 2.0), 3, **MODEL_B),
            expected_row("water-c", "water", "mL", (250.0, 500.0, 1000.0), 3, **WATER_C),
        ],
    }


def test_clip_json_in_other_units(runner: CliRunner, mini: Path) -> None:
    result = run(
        runner,
        "clip",
        "-n",
        "10",
        "-f",
        "json",
        "--sources",
        str(mini),
        "--energy-unit",
        "kWh",
        "--water-unit",
        "L",
    )
    document = json.loads(result.stdout)
    assert document["units"] == {"energy": "kWh", "water": "L"}
    rows = {row["estimate_id"]: row for row in document["rows"]}
    assert rows["model-a"]["per_clip"] == {"low": 0.08, "mid": 0.09, "high": 0.1}
    assert rows["water-c"]["per_clip"] == {"low": 0.25, "mid": 0.5, "high": 1.0}
    for row in document["rows"]:
        for case in ("low", "mid", "high"):
            assert row["batch"][case] == 10 * row["per_clip"][case]


CLIP_CSV = """\
estimate_id,quantity,unit,count,per_clip_low,per_clip_mid,per_clip_high,batch_low,batch_mid,batch_high,scaled,scale_factor_low,scale_factor_mid,scale_factor_high,derived,on_site_low,on_site_mid,on_site_high,off_site_low,off_site_mid,off_site_high,published_low,published_mid,published_high,published_unit,fill,model,sora_proxy,service_closed,clip,boundary,boundary_shown,boundary_differs,site,factor_ids,user_factors,not_scaled,notes,method,confidence,unconfirmed,source_id,publisher,date,title,authors,source_url,chain,answer_fed,answer_left_out,answer_left_out_detail,answer_count,answer_lowest,answer_p5,answer_p50,answer_p95,answer_highest,answer_batch_lowest,answer_batch_p5,answer_batch_p50,answer_batch_p95,answer_batch_highest,answer_max_scale,answer_fed_count,answer_left_out_count
model-a,energy,Wh,3,80.0,90.0,100.0,240.0,270.0,300.0,false,,,,false,,,,,,,80.0,90.0,100.0,Wh,,Model A,true,,"1280×720, 81 frames, 16 fps, 50 steps",gpu+cpu+ram,gpu+cpu+ram,true,,,,,"shown at its published boundary, not the facility one: the data file has no site with a PUE",measured,confirmed,,paper,Example Press,2025-09-23,Energy of video models,Ada Lovelace; Alan Turing,https://example.org/paper,paper,false,other-boundary,at another boundary (gpu+cpu+ram): not like for like,3,,,,,,,,,,,3.0,0,2
model-b,energy,Wh,3,2.0,2.0,2.0,6.0,6.0,6.0,false,,,,false,,,,,,,,7200.0,,J,single-figure,Model B,false,,,gpu,gpu,true,,,,,"shown at its published boundary, not the facility one: the data file has no site with a PUE",measured,partial,,news,Daily News,2025-10,"'=HYPERLINK(""http://evil.example"")",,https://example.org/news,news > paper,false,other-boundary,at another boundary (gpu): not like for like,3,,,,,,,,,,,3.0,0,2
water-c,water,mL,3,250.0,500.0,1000.0,750.0,1500.0,3000.0,false,,,,false,,,,,,,0.25,,1.0,L,geometric-mean,Model C,false,,,unknown,unknown,false,,,,,,back-of-envelope,unconfirmed,published: the units are inferred from context,news,Daily News,2025-10,"'=HYPERLINK(""http://evil.example"")",,https://example.org/news,news,true,,,3,250.0,250.0000000001881,500.0,1000.0,1000.0,750.0,750.0000000005643,1500.0,3000.0,3000.0,3.0,1,0
"""


def test_clip_csv_is_exact(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "clip", "--count", "3", "--format", "csv", "--sources", str(mini))
    assert result.exit_code == 0
    assert result.stdout == CLIP_CSV


def test_compare_csv_parses_and_has_the_required_columns(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "compare", "--format", "csv", "--sources", str(mini))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    required = {
        "quantity", "unit", "per_clip_low", "per_clip_mid", "per_clip_high",
        "batch_low", "batch_mid", "batch_high", "source_id", "source_url",
    }  # fmt: skip
    assert required <= set(rows[0])
    assert [row["estimate_id"] for row in rows] == ["model-b", "model-a"]  # sorted by mid
    assert [row["per_clip_mid"] for row in rows] == ["2.0", "90.0"]
    assert all(row["batch_mid"] == row["per_clip_mid"] for row in rows)


def test_compare_json_is_exact(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "compare", "--format", "json", "--sources", str(mini))
    document = json.loads(result.stdout)
    # In the order of the rows: sorted by mid.
    assert document.pop("answer") == {
        "energy": expected_answer("Wh", 1, None, [], NOT_CONVERTED[::-1])
    }
    assert {key: value for key, value in document.items() if key != "rows"} == {
        "soracost_version": __version__,
        "command": "compare",
        "sources_file": {"path": str(mini), "sha256": MINI_SHA},
        "quantity": "energy",
        "unit": "Wh",
        "count": 1,
        "scenario": {**MINI_SCENARIO, "quantities": ["energy"]},
        "boundaries_differ": True,
        "pooled": None,
        "not_given": [
            {
                "estimate_id": "water-c",
                "quantity": "energy",
                "reason": "the source published no energy figure",
            }
        ],
        "step_sources": {"news": NEWS, "paper": PAPER},
        "spread": {
            "ratio": 50.0,
            "lowest": {"estimate_id": "model-b", "low": 2.0},
            "highest": {"estimate_id": "model-a", "high": 100.0},
        },
    }
    assert without_model_keys(document["rows"]) == [
        expected_row("model-b", "energy", "Wh", (2.0, 2.0, 2.0), 1, **MODEL_B),
        expected_row("model-a", "energy", "Wh", (80.0, 90.0, 100.0), 1, **MODEL_A),
    ]


def test_compare_water(runner: CliRunner, mini: Path) -> None:
    result = run(
        runner, "compare", "-q", "water", "-f", "json", "--sources", str(mini), "--water-unit", "L"
    )
    document = json.loads(result.stdout)
    assert [row["estimate_id"] for row in document["rows"]] == ["water-c"]
    assert document["spread"]["ratio"] == 4.0


def test_clip_table_shows_sources_cases_and_empty_water(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "clip", "--count", "3", "--sources", str(mini), "--wide")
    assert result.exit_code == 0
    out = result.stdout
    assert "Electricity and water for 3 AI video clips" in out
    # Each range cell: mid on one line, "low – high" beneath it.
    assert "80 – 100" in out and "240 – 300" in out and "270" in out
    assert "250 – 1,000" in out and "750 – 3,000" in out and "1,500" in out
    assert "none: the source published no figure for this quantity" in out
    model_a_line = next(line for line in out.splitlines() if "Model A" in line)
    assert model_a_line.count("n/a") == 2  # energy-only, no sites: water not derived
    assert "No water derived: the data file has no sites: model-a, model-b." in out
    assert "[1] Example Press" in out and "2025-09-23" in out
    assert "https://example.org/paper" in out and "“Energy of video models”" in out
    assert "geometric-mean*: the source gives a range" in out
    assert "\x1b[" not in out  # NO_COLOR and a non-terminal: no escape codes


def test_compare_table_has_bars_and_spread(runner: CliRunner, mini: Path) -> None:
    result = run(runner, "compare", "--sources", str(mini))
    assert result.exit_code == 0
    assert "●" in result.stdout
    assert (
        "Spread: highest high 100 Wh (model-a) ÷ lowest low 2 Wh (model-b) = 50×" in result.stdout
    )


def test_sources_listing_in_every_format(runner: CliRunner, mini: Path) -> None:
    table = run(runner, "sources", "--wide", "--sources", str(mini))
    assert table.exit_code == 0
    assert "Daily News" in table.stdout and "not known: authors: no byline" in table.stdout
    document = json.loads(run(runner, "sources", "--format", "json", "--sources", str(mini)).stdout)
    assert [source["id"] for source in document["sources"]] == ["paper", "news"]
    assert document["sources"][0]["estimates"] == [
        "model-a",
        "model-b",
        "water-c",
    ]  # own, chain, see_also
    assert document["sources"][1]["gaps"] == {"authors": "no byline"}
    rows = list(
        csv.DictReader(
            io.StringIO(run(runner, "sources", "-f", "csv", "--sources", str(mini)).stdout)
        )
    )
    assert rows[1]["title"] == '\'=HYPERLINK("http://evil.example")'  # neutralised formula
    assert rows[0]["estimates"] == "model-a; model-b; water-c"


def test_sources_check_valid_and_invalid(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    ok = run(runner, "sources", "check", str(mini))
    assert ok.exit_code == 0
    assert "valid: 2 sources, 3 estimates" in ok.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        mini.read_text(encoding="utf-8").replace("mid: 90 Wh", "mid: 90 Whh"), encoding="utf-8"
    )
    bad = run(runner, "sources", "check", str(broken))
    assert bad.exit_code == 1
    assert bad.stderr.startswith(f"soracost: error: {broken}:")
    assert "unknown unit 'Whh'" in bad.stderr
    assert bad.stderr.count("\n") == 1


def test_sources_environment_variable(
    runner: CliRunner, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_SOURCES", str(mini))
    result = run(runner, "clip", "--format", "json")
    assert json.loads(result.stdout)["sources_file"]["path"] == str(mini)


def test_embedded_catalogue_is_the_default(runner: CliRunner) -> None:
    result = run(runner, "clip", "--count", "10", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert Path(document["sources_file"]["path"]).name == "sources.yaml"
    assert len(document["rows"]) > 10
    for row in document["rows"]:
        for case in ("low", "mid", "high"):
            assert row["batch"][case] == 10 * row["per_clip"][case]


# Each help page and a sentence of soracost's own help text it must show. Not Click's
# "Usage:" heading: that is Click's wording, laid out by Rich.
HELP_PAGES = {
    (): "Electricity, water and carbon footprints of AI video generation",
    ("--help",): "Exit codes: 0 ok, 1 bad data or input/output problem, 2 misused command line.",
    ("clip", "--help"): "Electricity and water per clip and for a batch of COUNT clips",
    ("compare", "--help"): "Every figure of one quantity side by side, sorted",
    ("sources", "--help"): "List the sources behind the figures, or check a data file",
    ("sources", "check", "--help"): "Validate a data file: exit 0 if it is valid",
}


def test_version_and_help(runner: CliRunner) -> None:
    assert run(runner, "--version").stdout == f"soracost {__version__}\n"
    for args, summary in HELP_PAGES.items():
        result = run(runner, *args)
        assert result.exit_code == 0
        assert result.stderr == ""
        assert summary in " ".join(result.stdout.split()), args  # wrapped to any width


# --- bad input: one line on stderr, the documented exit code, no traceback ------------

USAGE_ERRORS = {
    "negative count": ["clip", "--count", "-1"],
    "zero count": ["clip", "--count", "0"],
    "non-integer count": ["clip", "--count", "2.5"],
    "huge count": ["clip", "--count", "1" + "0" * 20],
    "energy unit of the wrong dimension": ["clip", "--energy-unit", "kg"],
    "unknown energy unit": ["compare", "--energy-unit", "furlongs"],
    "water unit of the wrong dimension": ["clip", "--water-unit", "kWh"],
    "unknown format": ["clip", "--format", "xml"],
    "unknown quantity": ["compare", "--quantity", "noise"],
    "unknown command": ["frobnicate"],
    "unknown option": ["clip", "--colour"],
}


@pytest.mark.parametrize("args", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_misused_command_line_exits_2_with_one_line(runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("soracost: usage error: ")
    assert result.stderr.count("\n") == 1


def test_bad_data_exits_1_with_one_line(runner: CliRunner, tmp_path: Path) -> None:
    cases = {
        "missing.yaml": None,
        "invalid.yaml": "sources: [\n",
        "unit.yaml": MINI.read_text(encoding="utf-8").replace("0.25 L", "0.25 kWh"),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_text(content, encoding="utf-8")
        for command in (["clip"], ["compare"], ["sources"], ["sources", "check"]):
            result = run(runner, *command, "--sources", str(path))
            assert result.exit_code == 1, (name, command)
            assert result.stderr.startswith(f"soracost: error: {path}"), result.stderr
            assert result.stderr.count("\n") == 1


# --- output files -----------------------------------------------------------------------


def test_output_file_is_written_whole(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "clips.csv"
    result = run(runner, "clip", "-n", "3", "-f", "csv", "-o", str(target), "--sources", str(mini))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == CLIP_CSV
    assert "wrote 3 rows" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clips.csv"]  # no temporary left


def test_table_to_a_file_is_plain_text(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    target = tmp_path / "table.txt"
    assert run(runner, "compare", "-o", str(target), "--sources", str(mini)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "Spread" in text and "\x1b[" not in text


def test_existing_output_is_kept_unless_forced(
    runner: CliRunner, mini: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    target.write_text("precious", encoding="utf-8")
    refused = run(runner, "clip", "-f", "json", "-o", str(target), "--sources", str(mini))
    assert refused.exit_code == 1
    assert "already exists; add --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "precious"
    forced = run(runner, "clip", "-f", "json", "-o", str(target), "--force", "--sources", str(mini))
    assert forced.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["count"] == 1


def test_unwritable_outputs_fail_cleanly(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    missing_folder = tmp_path / "no" / "such" / "out.csv"
    result = run(runner, "clip", "-f", "csv", "-o", str(missing_folder), "--sources", str(mini))
    assert result.exit_code == 1
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1
    folder = run(runner, "clip", "-f", "csv", "-o", str(tmp_path), "--sources", str(mini))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_read_only_folder(runner: CliRunner, mini: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        result = run(
            runner, "clip", "-f", "csv", "-o", str(locked / "out.csv"), "--sources", str(mini)
        )
        assert result.exit_code == 1 and "permission denied" in result.stderr
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o700)


def test_failed_run_leaves_no_output_file(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    result = run(runner, "clip", "-f", "csv", "-o", str(target), "--sources", str(bad))
    assert result.exit_code == 1
    assert not target.exists()


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(prefix: str) -> None:
    from soracost.views.export import _cell

    assert _cell(f"{prefix}SUM(A1)") == f"'{prefix}SUM(A1)"
    assert _cell("plain text") == "plain text"
    assert _cell(-0.5) == "-0.5"  # numbers stay numbers
    assert _cell(90.0) == "90.0"


def test_no_escape_codes_off_a_terminal_even_without_no_color(
    runner: CliRunner, mini: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    for command in (["clip"], ["compare"], ["sources"]):
        result = run(runner, *command, "--sources", str(mini))
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout


def test_a_bad_path_from_the_environment_says_so(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SORACOST_SOURCES", str(tmp_path / "gone.yaml"))
    result = run(runner, "clip")
    assert result.exit_code == 1
    assert result.stderr == (
        f"soracost: error: {tmp_path / 'gone.yaml'}: no such file "
        "(the path comes from $SORACOST_SOURCES)\n"
    )


def test_help_shows_the_extras_install_hints_with_their_brackets(runner: CliRunner) -> None:
    # Rich markup would read "[plot]" as a style and drop it: the hints must survive.
    for command, hint in (("compare", "soracost[plot]"), ("clip", "soracost[ecologits]")):
        result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        text = " ".join(result.stdout.replace("│", " ").split())
        assert f"pip install '{hint}'" in text, command
