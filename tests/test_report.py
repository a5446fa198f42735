"""soracost report LOG: reading and checking logs, the services mapping, the report's
figures (the sum of the corresponding clip runs), its formats and --emit-sql."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from soracost import __version__
from soracost.cli.app import app
from soracost.core.usage import MEASURES, UsageGroup, UsageLog, usage_report
from soracost.data.catalog import default_sources_path, load_catalog

from .conftest import DATA, REPO_ROOT
from .helpers import past_the_edge

USAGE = DATA / "usage"
TEAM = USAGE / "team.csv"
MODEL = DATA / "model.yaml"

SERVICES = """
services:
  - id: model-d
    name: Model D
    names: [d, vendor/model-d]
    estimates: {model: Model D}
    source: paper
    note: Model D's own figure.
  - id: model-a
    name: Model A
    estimates: {model: Model A}
    source: paper
    note: Model A's own figure.
  - id: rebrand
    name: Model D under another name
    estimates: {model: Model D}
    source: news
    note: The same estimates as model-d, on another source's word.
"""


def run(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(app, ["report", *args])


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    """The model test catalogue with two services (model-d: a facility figure of 10 Wh
    for a 5 s 640×360 clip; at that clip nothing is scaled)."""
    path = tmp_path / "catalogue.yaml"
    path.write_text(MODEL.read_text(encoding="utf-8") + SERVICES, encoding="utf-8")
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "timestamp,model,duration_s,resolution,count,site\n"
SMALL = (
    HEADER
    + "2025-09-01T10:00:00Z,model-d,5,640x360,2,\n"
    + "2025-09-30T23:30:00-02:00,Vendor/Model-D,5,640x360,3,testland\n"
    + "2025-10-02,d,5,640x360,1,drytown\n"
)


def report_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = run(runner, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


# --- The example: the sum of the clip runs ---------------------------------------


def clip_answer(runner: CliRunner, service: str, count: int, duration: str, resolution: str) -> Any:
    """``soracost clip`` for the estimates the shipped data maps ``service`` to."""
    from soracost.data.service_loader import load_services

    catalog = load_catalog(default_sources_path())
    model = load_services(default_sources_path(), catalog.sources, catalog.estimates)[service].model
    assert model is not None
    result = runner.invoke(
        app,
        [
            "clip",
            "-n",
            str(count),
            "-d",
            duration,
            "-r",
            resolution,
            "--model",
            model,
            "--carbon",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["answer"]


def test_team_example_totals_are_the_sum_of_the_clip_runs(runner: CliRunner) -> None:
    """340 ten-second 720p Sora 2 clips + 25 fifteen-second 1080p Sora 2 Pro clips at the
    default (US) site: each total's mid, and every other figure, is the sum of the two
    `clip` runs' answers (Wh → kWh, mL → m³, gCO2e → kg)."""
    document = report_json(runner, str(TEAM))
    first = clip_answer(runner, "sora-2", 340, "10", "720p")
    second = clip_answer(runner, "sora-2-pro", 25, "15", "1080p")
    total = document["total"]
    assert (total["clips"], total["video_seconds"]) == (365, 3775.0)
    to_report = {"energy": 1e-3, "water": 1e-6, "carbon": 1e-3}
    fields = {
        "low": "lowest",
        "mid": "p50",
        "high": "highest",
        "p5": "p5",
        "p50": "p50",
        "p95": "p95",
    }
    for quantity, factor in to_report.items():
        for ours, theirs in fields.items():
            expected = first[quantity]["batch"][theirs] + second[quantity]["batch"][theirs]
            assert total["totals"][quantity][ours] == pytest.approx(expected * factor, rel=1e-9)
    assert [line["service"] for line in document["lines"]] == ["sora-2", "sora-2-pro"]
    assert document["carbon_accounting"] == "location-based"
    assert [item["what"] for item in document["excluded"]] == [
        "training",
        "embodied",
        "network",
        "end-user devices",
    ]
    assert document["sources"] and all(source["citation"] for source in document["sources"])
    assert (
        document["log"]["files"][0]["sha256"]
        == __import__("hashlib").sha256(TEAM.read_bytes()).hexdigest()
    )
    assert document["soracost_version"] == __version__


# --- Exact figures on the model catalogue --------------------------------------------------


def test_exact_figures(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    document = report_json(runner, str(log), "--sources", str(catalogue))
    lines = [
        (line["period"], line["service"], line["site"], line["clips"], line["rows"])
        for line in document["lines"]
    ]
    # 23:30 at UTC-2 is 1:30 on 1 October in UTC: the second row belongs to October.
    assert lines == [
        ("2025-09", "model-d", "testland", 2, 1),
        ("2025-10", "model-d", "drytown", 1, 1),
        ("2025-10", "model-d", "testland", 3, 1),
    ]
    total = document["total"]
    # 10 Wh per clip, at the facility boundary already: 6 clips, 0.06 kWh.
    assert total["totals"]["energy"] == dict.fromkeys(
        ("low", "mid", "high", "p5", "p50", "p95"), pytest.approx(0.06)
    )
    assert total["per_second_of_video"]["energy"]["mid"] == pytest.approx(0.06 / 30)
    # Drytown has no grid carbon intensity: its clips have no carbon figure, nor the total.
    assert document["lines"][1]["totals"]["carbon"] is None
    assert total["totals"]["carbon"] is None
    assert document["lines"][0]["totals"]["carbon"]["mid"] == pytest.approx(2 * 0.01 * 0.4)
    assert total["method_shares"] == {"modelled": 1.0}
    assert document["services"][0]["source"] == "paper"
    assert document["sources"][0]["id"] == "paper"


def test_water_parts_add_up(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    document = report_json(runner, str(log), "--sources", str(catalogue))
    for line in document["lines"]:
        totals = line["totals"]
        assert totals["water_onsite"]["mid"] + totals["water_offsite"]["mid"] == pytest.approx(
            totals["water"]["mid"]
        )


@pytest.mark.parametrize(
    ("period", "labels"),
    [
        ("day", ["2025-09-01", "2025-10-01", "2025-10-02"]),
        ("week", ["2025-W36", "2025-W40"]),
        ("quarter", ["2025-Q3", "2025-Q4"]),
        ("year", ["2025"]),
        ("none", ["all"]),
    ],
)
def test_periods(
    runner: CliRunner, catalogue: Path, tmp_path: Path, period: str, labels: list[str]
) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    document = report_json(runner, str(log), "--sources", str(catalogue), "--period", period)
    assert [line["period"] for line in document["period_totals"]] == labels
    assert document["total"]["clips"] == 6


def test_period_none_needs_no_time_column(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "keys.csv", "model,duration_s,resolution\nmodel-d,5,640x360\n")
    document = report_json(runner, str(log), "--sources", str(catalogue), "-p", "none")
    assert document["total"]["clips"] == 1
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert "no column 'timestamp'" in result.stderr and "--period none" in result.stderr


def test_column_mapping(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    log = write(
        tmp_path / "mine.csv",
        "when,service,seconds,res,n,dc\n2025-09-01,model-d,5,640x360,4,drytown\n",
    )
    document = report_json(
        runner,
        str(log),
        "--sources",
        str(catalogue),
        "--time-column",
        "when",
        "--model-column",
        "service",
        "--duration-column",
        "seconds",
        "--resolution-column",
        "res",
        "--count-column",
        "n",
        "--site-column",
        "dc",
    )
    assert [(line["site"], line["clips"]) for line in document["lines"]] == [("drytown", 4)]


def test_csv_parquet_jsonl_and_globs_agree(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    connection = duckdb.connect()
    source = f"read_csv('{log}', all_varchar = true)"
    connection.execute(f"COPY (SELECT * FROM {source}) TO '{tmp_path / 'usage.parquet'}'")
    connection.execute(
        f"COPY (SELECT * FROM {source}) TO '{tmp_path / 'usage.jsonl'}' (FORMAT json)"
    )
    parts = tmp_path / "parts"
    parts.mkdir()
    lines = SMALL.splitlines(keepends=True)
    write(parts / "a.csv", lines[0] + lines[1])
    write(parts / "b.csv", lines[0] + "".join(lines[2:]))
    totals = []
    for path in (log, tmp_path / "usage.parquet", tmp_path / "usage.jsonl", parts / "*.csv"):
        document = report_json(runner, str(path), "--sources", str(catalogue))
        totals.append((document["lines"], document["total"]))
    assert all(item == totals[0] for item in totals[1:])


def test_a_typed_parquet_log(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    path = tmp_path / "typed.parquet"
    duckdb.connect().execute(
        "COPY (SELECT TIMESTAMPTZ '2025-09-01 10:00:00+00' AS timestamp, 'model-d' AS model, "
        "5.0 AS duration_s, '640x360' AS resolution, 7::BIGINT AS count) "
        f"TO '{path}'"
    )
    document = report_json(runner, str(path), "--sources", str(catalogue))
    assert document["total"]["clips"] == 7
    assert document["lines"][0]["site"] == "testland"  # the default site: no site column


# --- Unknown services ---------------------------------------------------------------------


def test_unknown_services_fail_unless_left_out(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(
        tmp_path / "usage.csv",
        SMALL + "2025-09-02,mystery-model,5,720p,10,\n2025-09-03,mystery-model,5,720p,5,\n",
    )
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "unknown service(s): 'mystery-model' (2 rows)" in result.stderr
    assert "--leave-out-unknown" in result.stderr
    document = report_json(runner, str(log), "--sources", str(catalogue), "--leave-out-unknown")
    assert document["left_out_services"] == [{"name": "mystery-model", "rows": 2, "clips": 15}]
    assert document["total"]["clips"] == 6
    table = run(runner, str(log), "--sources", str(catalogue), "--leave-out-unknown")
    assert "Left out, services not mapped: 2 rows, 15 clips (mystery-model)." in table.stdout


# --- Bad logs -----------------------------------------------------------------------------

BAD_ROWS = [
    (
        "2025-09-02,model-d,abc,640x360,1,",
        "row 2: column 'duration_s': 'abc' is not a duration",
        "duration",
    ),
    (
        "2025-09-02,model-d,5,640x360,-3,",
        "row 2: column 'count': '-3' is not a whole number",
        "count",
    ),
    (
        "2025-09-02,model-d,5,640x360,2.5,",
        "row 2: column 'count': '2.5' is not a whole number",
        "count",
    ),
    (
        "2025-09-02,model-d,5,999p,1,",
        "row 2: column 'resolution': '999p' is not a resolution",
        "resolution",
    ),
    (
        "2025-09-02,model-d,5,640x360,1,atlantis",
        "row 2: column 'site': 'atlantis' is not a site",
        "site",
    ),
    (
        "yesterday,model-d,5,640x360,1,",
        "row 2: column 'timestamp': 'yesterday' is not a date",
        "timestamp",
    ),
    ("2025-09-02,,5,640x360,1,", "row 2: column 'model': empty is empty", "service"),
    ("2025-09-02,  ,5,640x360,1,", "row 2: column 'model': ' ' is empty", "service"),
    ("2025-09-02,model-d,5,640x360", "line 3: column 'count': malformed line", "malformed"),
]


@pytest.mark.parametrize(("row", "message", "kind"), BAD_ROWS)
def test_a_bad_row_is_one_line_exit_1_and_nothing_written(
    runner: CliRunner, catalogue: Path, tmp_path: Path, row: str, message: str, kind: str
) -> None:
    lines = SMALL.splitlines(keepends=True)
    log = write(tmp_path / "usage.csv", lines[0] + lines[1] + row + "\n" + "".join(lines[2:]))
    output = tmp_path / "out.json"
    result = run(runner, str(log), "--sources", str(catalogue), "-f", "json", "-o", str(output))
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert f"{log}: {message}" in result.stderr
    assert not output.exists()
    skipped = report_json(runner, str(log), "--sources", str(catalogue), "--skip-bad-rows")
    assert skipped["log"]["skipped_rows"] == {kind: 1}
    assert skipped["total"]["clips"] == 6
    assert skipped["log"]["rows_read"] == 4


def test_skipped_rows_are_counted_by_kind(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    rows = "".join(row + "\n" for row, _, _ in BAD_ROWS)
    log = write(tmp_path / "usage.csv", SMALL + rows)
    result = run(runner, str(log), "--sources", str(catalogue), "--skip-bad-rows")
    assert result.exit_code == 0, result.output
    assert (
        "Bad rows skipped: 9 rows: 2 bad count, 1 bad duration, 1 malformed line, "
        "1 unknown resolution, 2 no service, 1 unknown site, 1 unreadable time." in result.stdout
    )


def test_the_first_bad_row_of_a_glob_names_its_file(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    write(tmp_path / "a.csv", SMALL)
    write(
        tmp_path / "b.csv",
        HEADER + "2025-09-01,model-d,5,640x360,1,\n" * 3 + "2025-09-01,model-d,0,640x360,1,\n",
    )
    result = run(runner, str(tmp_path / "*.csv"), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert f"{tmp_path / 'b.csv'}: row 4: column 'duration_s': '0'" in result.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("usage.parquet", b"this is not parquet at all", "cannot read it as Parquet"),
        ("usage.jsonl", b'{"timestamp": "2025-09-01"\n', "line 1: not a JSON object"),
        ("usage.csv", b"time,model,resolution\n2025-09-01,d,720p\n", "no column 'duration_s'"),
        ("usage.csv", b"\xff\xfe\x00binary", "line 1: not UTF-8 text"),
        ("usage.csv", b"", "empty: no header line"),
        ("usage.txt", b"timestamp\n", "unknown log format"),
    ],
)
def test_bad_files(
    runner: CliRunner, catalogue: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = run(runner, str(path), "--sources", str(catalogue))
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"soracost: error: {path}: {message}")


def test_missing_files(runner: CliRunner, tmp_path: Path) -> None:
    missing = run(runner, str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1 and "nope.csv: no such file" in missing.stderr
    no_match = run(runner, str(tmp_path / "*.parquet"))
    assert no_match.exit_code == 1 and "no file matches this pattern" in no_match.stderr


def test_without_duckdb_one_line_names_the_extra(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "duckdb", None)
    result = run(runner, str(TEAM))
    assert result.exit_code == 1
    assert result.stderr == (
        "soracost: error: soracost report needs DuckDB: pip install 'soracost[report]'\n"
    )


# --- Formats ------------------------------------------------------------------------------


def test_csv_lines_and_totals(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    result = run(runner, str(log), "--sources", str(catalogue), "-f", "csv")
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [record["kind"] for record in records] == ["line"] * 3 + ["period"] * 2 + ["total"]
    assert float(records[-1]["energy_kwh_mid"]) == pytest.approx(0.06)
    assert records[1]["carbon_kgco2e_mid"] == ""
    assert records[0]["sources"].split(";")[0] == "paper"


def test_markdown(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    result = run(runner, str(log), "--sources", str(catalogue), "-f", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# AI video generation footprint report\n")
    assert "| energy (facility) | kWh | 0.06 | 0.06 – 0.06 | 0.06 – 0.06 |" in text
    assert "## Not included" in text and "- embodied:" in text
    assert "<https://example.org/paper>" in text


def test_table_fits_80_columns(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(TEAM)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert not [line for line in result.stdout.splitlines() if past_the_edge(line, 80)]
    assert "total" in result.stdout and "sora-2-pro" in result.stdout


def test_terminal_text_is_escaped(runner: CliRunner, catalogue: Path, tmp_path: Path) -> None:
    log = write(tmp_path / "usage.csv", HEADER + "2025-09-01,evil\x1b[31m,5,640x360,1,\n")
    result = run(runner, str(log), "--sources", str(catalogue), "--leave-out-unknown")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "evil\\x1b[31m" in result.stdout


def test_output_file_is_written_whole(runner: CliRunner, tmp_path: Path) -> None:
    output = tmp_path / "report.html"
    result = run(runner, str(TEAM), "-f", "html", "-o", str(output))
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "src=" not in page and "<link" not in page  # nothing to fetch
    again = run(runner, str(TEAM), "-f", "html", "-o", str(output))
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_the_output_cannot_be_the_log(runner: CliRunner, tmp_path: Path) -> None:
    log = tmp_path / "usage.csv"
    shutil.copy(TEAM, log)
    result = run(runner, str(log), "-f", "csv", "-o", str(log), "--force")
    assert result.exit_code == 2
    assert log.read_bytes() == TEAM.read_bytes()


# --- --emit-sql -----------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_emitted_sql_reproduces_the_report(
    runner: CliRunner,
    catalogue: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    format: str,
) -> None:
    log = write(tmp_path / "usage.csv", SMALL + "2025-11-05,model-a,8,1080p,4,\n")
    if format == "parquet":  # typed columns: a time, numbers
        parquet = tmp_path / "usage.parquet"
        duckdb.connect().execute(
            f"COPY (SELECT * FROM read_csv('{log}')) TO '{parquet}' (FORMAT parquet)"
        )
        log = parquet
    folder = tmp_path / "sql"
    document = report_json(runner, str(log), "--sources", str(catalogue), "--emit-sql", str(folder))
    assert sorted(path.name for path in folder.iterdir()) == [
        "factors.csv",
        "factors.parquet",
        "report.sql",
    ]
    monkeypatch.chdir(folder)
    connection = duckdb.connect()
    cursor = connection.execute((folder / "report.sql").read_text(encoding="utf-8"))
    names = [column[0] for column in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    assert len(rows) == len(document["lines"])
    for row, line in zip(rows, document["lines"], strict=True):
        assert (row["service"], row["site"], row["clips"], row["rows"]) == (
            line["service"],
            line["site"],
            line["clips"],
            line["rows"],
        )
        assert row["period_start"].strftime("%Y-%m") == line["period"]
        assert row["video_seconds"] == pytest.approx(line["video_seconds"])
        for measure in MEASURES:
            unit = {"energy": "kwh", "carbon": "kgco2e"}.get(measure, "m3")
            figure = line["totals"][measure]
            for name in ("low", "mid", "high", "p5", "p50", "p95"):
                value = row[f"{measure}_{unit}_{name}"]
                if figure is None:
                    assert value is None
                else:
                    assert value == pytest.approx(figure[name], rel=1e-12)
    factors = list(csv.DictReader(io.StringIO((folder / "factors.csv").read_text())))
    assert {factor["service_key"] for factor in factors} == {
        "model-d",
        "vendor/model-d",
        "d",
        "model-a",
    }


# --- The services in the shipped data ------------------------------------------------------


def test_shipped_services_cite_known_sources_and_select_estimates() -> None:
    from soracost.core.results import select_estimates
    from soracost.data.service_loader import load_services

    catalog = load_catalog(default_sources_path())
    services = load_services(default_sources_path(), catalog.sources, catalog.estimates)
    assert {"sora-2", "sora-2-pro", "veo-3"} <= set(services)
    for service in services.values():
        assert service.source in catalog.sources
        assert service.note
        assert select_estimates(catalog, service.model, service.ids)


def test_hunyuanvideo_is_its_own_two_measurements_and_not_its_successors() -> None:
    """A service named by ids gets exactly those estimates: HunyuanVideo's two, not
    HunyuanVideo-1.5's, which a selection by part of the name would keep."""
    from soracost.core.results import select_estimates
    from soracost.data.service_loader import load_services

    catalog = load_catalog(default_sources_path())
    services = load_services(default_sources_path(), catalog.sources, catalog.estimates)
    chosen = select_estimates(catalog, services["hunyuanvideo"].model, services["hunyuanvideo"].ids)
    assert [estimate.id for estimate in chosen] == [
        "mlenergy-hunyuanvideo",
        "jegham-hunyuanvideo-720p",
    ]
    later = services["hunyuanvideo-1.5"]
    assert [e.id for e in select_estimates(catalog, later.model, later.ids)] == [
        "jegham-hunyuanvideo-1.5-720p"
    ]
    assert "jegham-hunyuanvideo-1.5-720p" in {
        e.id for e in select_estimates(catalog, "HunyuanVideo")
    }  # what the selection by name kept


def test_a_service_by_ids_reports_what_clip_estimate_answers(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The report's figure for a service named by ids is clip's answer with --estimate
    for each id (one clip, the same duration, resolution and site)."""
    log = write(
        tmp_path / "log.csv",
        "timestamp,model,duration_s,resolution,count\n2026-05-01T10:00:00Z,hunyuanvideo,5,720p,3\n",
    )
    reported = runner.invoke(app, ["report", str(log), "--format", "json"])
    assert reported.exit_code == 0, reported.output
    document = json.loads(reported.stdout)
    ids = ["mlenergy-hunyuanvideo", "jegham-hunyuanvideo-720p"]
    assert document["services"][0]["estimates_ids"] == ids
    clip = runner.invoke(
        app,
        ["clip", "-d", "5", "-r", "720p", "--carbon", "-f", "json"]
        + [part for estimate_id in ids for part in ("--estimate", estimate_id)],
    )
    assert clip.exit_code == 0, clip.output
    answer = json.loads(clip.stdout)["answer"]["energy"]["per_clip"]["p50"]  # the mid
    total = document["total"]["totals"]["energy"]["mid"]  # kWh
    assert total == pytest.approx(3 * answer / 1000, rel=1e-9)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "  - {id: x, name: X, estimates: {model: Model A}, source: nobody, note: n}",
            "service 'x': source: unknown source 'nobody'",
        ),
        (
            "  - {id: x, name: X, estimates: {model: Nothing}, source: paper, note: n}",
            "estimates.model: 'Nothing' selects no estimate",
        ),
        (
            "  - {id: x, name: X, names: [d], estimates: {model: Model A}, source: paper, note: n}",
            "names: 'd' already names service 'model-d'",
        ),
        ("  - {id: x, name: X, estimates: {model: Model A}, source: paper}", "note: missing"),
        (
            "  - {id: x, name: X, estimates: {ids: [model-a, nope]}, source: paper, note: n}",
            "estimates.ids: unknown estimate 'nope'",
        ),
        (
            "  - {id: x, name: X, estimates: {ids: [model-a], model: Model A}, source: paper,"
            " note: n}",
            "estimates.ids: give the estimates by 'model' or by 'ids', not both",
        ),
        (
            "  - {id: x, name: X, estimates: {ids: [model-a, model-a]}, source: paper, note: n}",
            "estimates.ids: an estimate is named twice",
        ),
    ],
)
def test_bad_services_are_refused(
    runner: CliRunner, catalogue: Path, entry: str, message: str
) -> None:
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + entry + "\n", encoding="utf-8")
    result = runner.invoke(app, ["sources", "check", str(catalogue)])
    assert result.exit_code == 1
    assert message in result.stderr


# --- Invariants -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from soracost.data.service_loader import load_services

    path = tmp_path_factory.mktemp("usage") / "catalogue.yaml"
    path.write_text(MODEL.read_text(encoding="utf-8") + SERVICES, encoding="utf-8")
    catalog = load_catalog(path, use_cache=False)
    return catalog, load_services(path, catalog.sources, catalog.estimates)


GROUPS = st.lists(
    st.tuples(
        st.sampled_from(["2025-01", "2025-02"]),
        st.sampled_from(["model-d", "model-a", "d"]),
        st.sampled_from(["640x360", "720p", "1080p"]),
        st.sampled_from([2.0, 5.0, 12.5]),
        st.sampled_from(["", "drytown"]),
        st.integers(1, 10**6),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None)
@given(GROUPS)
def test_totals_add_up_and_stay_ordered(model_catalogue: Any, items: list[Any]) -> None:
    """Whatever the log: the total is the sum of its lines (every figure), each figure is
    ordered (low ≤ mid ≤ high, P5 ≤ P50 ≤ P95), and splitting a group in two changes
    nothing."""
    catalog, services = model_catalogue
    groups = tuple(UsageGroup(p, s, r, d, site, 1, n) for p, s, r, d, site, n in items)
    log = UsageLog(files=(), period="month", groups=groups, rows_read=len(groups))
    report = usage_report(catalog, services, log, "test", "testland")
    split = UsageLog(
        files=(),
        period="month",
        groups=tuple(
            part
            for group in groups
            for part in (
                UsageGroup(
                    group.period,
                    group.service,
                    group.resolution,
                    group.duration_s,
                    group.site,
                    1,
                    group.clips // 2,
                ),
                UsageGroup(
                    group.period,
                    group.service,
                    group.resolution,
                    group.duration_s,
                    group.site,
                    0,
                    group.clips - group.clips // 2,
                ),
            )
            if part.clips > 0
        ),
        rows_read=len(groups),
    )
    again = usage_report(catalog, services, split, "test", "testland")
    assert report.total.clips == sum(line.clips for line in report.lines)
    for measure in MEASURES:
        total = report.total.totals[measure]
        figures = [line.totals[measure] for line in report.lines]
        if total is None:
            assert any(figure is None for figure in figures)
            continue
        for position, value in enumerate(total.values()):
            parts = math.fsum(figure.values()[position] for figure in figures if figure)
            assert value == pytest.approx(parts, rel=1e-9)
        low, mid, high, p5, p50, p95 = total.values()
        assert low <= p5 * (1 + 1e-12) and p5 <= p50 <= p95 and p95 <= high * (1 + 1e-12)
        assert mid == p50
        other = again.total.totals[measure]
        assert other is not None
        assert other.values() == pytest.approx(total.values(), rel=1e-9)


def test_core_imports_no_duckdb() -> None:
    text = (REPO_ROOT / "soracost" / "core" / "usage.py").read_text(encoding="utf-8")
    assert "duckdb" not in text.split('"""', 2)[2]


def test_services_sharing_estimates_share_figures_and_cite_their_own_source(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(
        tmp_path / "usage.csv",
        HEADER + "2025-09-01,model-d,5,640x360,2,\n2025-09-01,rebrand,5,640x360,2,\n",
    )
    document = report_json(runner, str(log), "--sources", str(catalogue))
    first, second = document["lines"]
    assert (first["service"], second["service"]) == ("model-d", "rebrand")
    assert first["totals"] == second["totals"]
    assert first["sources"][0] == "paper" and second["sources"][0] == "news"
    assert "paper" in second["sources"]  # the estimate's own source, still cited


def test_emit_sql_refuses_to_replace_files_before_any_work(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    folder = tmp_path / "sql"
    folder.mkdir()
    (folder / "report.sql").write_text("kept\n", encoding="utf-8")
    output = tmp_path / "out.csv"
    result = run(
        runner, str(log), "--sources", str(catalogue), "--emit-sql", str(folder),
        "-f", "csv", "-o", str(output),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "report.sql: already exists; add --force" in result.stderr
    assert not output.exists()
    assert (folder / "report.sql").read_text(encoding="utf-8") == "kept\n"


def test_an_sql_folder_that_cannot_be_made_fails_the_run_with_nothing_written(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    output = tmp_path / "out.csv"
    result = run(
        runner, str(log), "--sources", str(catalogue), "--emit-sql", str(log / "sql"),
        "-f", "csv", "-o", str(output),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "cannot make the folder" in result.stderr
    assert not output.exists()


def test_an_empty_log_name_is_one_usage_line(runner: CliRunner) -> None:
    result = run(runner, "")
    assert result.exit_code == 2
    assert "LOG is empty: give a log file" in result.stderr


def test_machine_formats_load_no_rich_and_the_cli_no_duckdb() -> None:
    import subprocess
    import sys

    code = (
        "import contextlib, io, sys\n"
        "from soracost.cli.app import app\n"
        "assert 'duckdb' not in sys.modules\n"
        "for format in ('json', 'csv', 'markdown', 'html'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        f"        app(['report', {str(TEAM)!r}, '-f', format], standalone_mode=False)\n"
        "print('rich' in sys.modules, 'duckdb' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert result.stdout.split() == ["False", "True"]


def test_a_bad_json_line_is_named_or_skipped(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    good = '{"timestamp": "2025-09-01", "model": "d", "duration_s": 5, "resolution": "640x360"}'
    log = write(tmp_path / "usage.jsonl", f"{good}\n\n{good}\n{{oops\n{good}\n")
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert f"{log}: line 4: not a JSON object" in result.stderr
    document = report_json(runner, str(log), "--sources", str(catalogue), "--skip-bad-rows")
    assert document["total"]["clips"] == 3
    assert document["log"]["skipped_rows"] == {"malformed": 1}
    # A value that is not an object is refused even with --skip-bad-rows: DuckDB cannot
    # read past it.
    write(log, f"{good}\n[1, 2]\n")
    for extra in ((), ("--skip-bad-rows",)):
        refused = run(runner, str(log), "--sources", str(catalogue), *extra)
        assert refused.exit_code == 1
        assert f"{log}: line 2: not a JSON object: a JSON list" in refused.stderr


def test_site_option_is_the_site_of_rows_naming_none(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    document = report_json(runner, str(log), "--sources", str(catalogue), "--site", "drytown")
    assert [(line["period"], line["site"], line["clips"]) for line in document["lines"]] == [
        ("2025-09", "drytown", 2),
        ("2025-10", "drytown", 1),
        ("2025-10", "testland", 3),
    ]
    bad = run(runner, str(log), "--sources", str(catalogue), "--site", "atlantis")
    assert bad.exit_code == 2 and "--site: unknown site 'atlantis'" in bad.stderr


def test_html_and_markdown_escape_what_the_log_says(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "usage.csv", SMALL + '2025-09-01,"<script>x</script>|*",5,720p,1,\n')
    page = run(runner, str(log), "--sources", str(catalogue), "--leave-out-unknown", "-f", "html")
    assert page.exit_code == 0, page.output
    assert "<script>" not in page.stdout and "&lt;script&gt;x&lt;/script&gt;|*" in page.stdout
    text = run(
        runner, str(log), "--sources", str(catalogue), "--leave-out-unknown", "-f", "markdown"
    )
    assert "\\<script\\>x\\</script\\>\\|\\*" in text.stdout


def test_training_share_only_when_asked_and_apart(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(tmp_path / "usage.csv", SMALL)
    plain = report_json(runner, str(log), "--sources", str(catalogue))
    assert plain["training_share"] is None
    assert plain["excluded"][0]["what"] == "training"
    asked = report_json(
        runner, str(log), "--sources", str(catalogue), "--training-energy", "1 MWh",
        "--lifetime-clips", "1000",
    )  # fmt: skip
    share = asked["training_share"]
    # 1 MWh over 1,000 lifetime clips: 1 kWh a clip, 6 kWh for the log's 6 clips.
    assert share["clips"] == {"low": 6.0, "mid": 6.0, "high": 6.0}
    assert share["per_clip"]["mid"] == 1.0 and share["unit"] == "kWh"
    assert asked["total"]["totals"] == plain["total"]["totals"]  # never added to them
    assert asked["excluded"][0]["detail"].startswith("shown apart, never added to the totals")
    alone = run(runner, str(log), "--sources", str(catalogue), "--training-energy", "1 MWh")
    assert alone.exit_code == 2 and "--lifetime-clips" in alone.stderr
    too_few = run(
        runner, str(log), "--sources", str(catalogue), "--training-energy", "1 MWh",
        "--lifetime-clips", "5",
    )  # fmt: skip
    assert too_few.exit_code == 2 and "more than --lifetime-clips 5" in too_few.stderr


def test_exports_to_a_terminal_show_hidden_characters() -> None:
    from soracost.cli.commands.usage import _for_terminal

    assert _for_terminal('{"a": "x\x1b[2J"}\n', "json") == '{"a": "x\\u001b[2J"}\n'
    assert _for_terminal("| x\x1b[2J |\nnext\n", "markdown") == "| x\\x1b[2J |\nnext\n"


def test_the_reading_bar_shows_on_a_terminal_after_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    import time

    from soracost.cli.commands.usage import _reading_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    clock = iter([0.0, 0.5, 2.0, 2.5, *([3.0] * 1000)])
    monkeypatch.setattr(time, "monotonic", lambda: next(clock))
    with _reading_bar() as progress:
        assert progress is not None
        progress(10.0)  # within the first second: nothing yet
        assert terminal.getvalue() == ""
        progress(60.0)
    assert "Reading the log" in terminal.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: no bar at all
    with _reading_bar() as progress:
        assert progress is None


def test_duckdb_progress_is_polled_while_the_log_is_read() -> None:
    import time

    from soracost.data.usage_log import _polling

    class Connection:
        def execute(self, sql: str) -> None:
            pass

        def query_progress(self) -> float:
            return 42.0

    seen: list[float] = []
    with _polling(Connection(), seen.append):
        time.sleep(0.35)
    assert seen and set(seen) == {42.0}


def test_a_data_file_without_sites_cannot_report(runner: CliRunner, tmp_path: Path) -> None:
    catalogue = tmp_path / "mini.yaml"
    catalogue.write_text(
        (DATA / "mini.yaml").read_text(encoding="utf-8")
        + "services:\n  - {id: a, name: A, estimates: {model: Model A}, source: paper, note: n}\n",
        encoding="utf-8",
    )
    result = run(runner, str(TEAM), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert "the data file defines no sites; a report needs one" in result.stderr


def test_emit_sql_into_a_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    target = write(tmp_path / "not-a-folder", "x")
    result = run(runner, str(TEAM), "--emit-sql", str(target))
    assert result.exit_code == 2 and "is not a folder" in result.stderr


# --- Adversarial review: file names, special files, odd values -----------------------------

ONE_ROW = HEADER + "2025-09-01T10:00:00Z,model-d,5,640x360,{n},\n"


def test_a_glob_reads_each_matched_file_once_even_with_glob_characters_in_its_name(
    runner: CliRunner, catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB expands a path again: 'g*x.csv' would match both files, a second time.
    write(tmp_path / "g*x.csv", ONE_ROW.format(n=1))
    write(tmp_path / "gAx.csv", ONE_ROW.format(n=100))
    folder = tmp_path / "sql"
    for pattern in ("g?x.csv", "g*.csv", "g[*A]x.csv"):
        shutil.rmtree(folder, ignore_errors=True)
        document = report_json(
            runner, str(tmp_path / pattern), "--sources", str(catalogue), "--emit-sql", str(folder)
        )
        assert document["total"]["clips"] == 101 and document["log"]["rows_read"] == 2
        monkeypatch.chdir(folder)
        rows = duckdb.connect().execute((folder / "report.sql").read_text()).fetchall()
        assert sum(row[3] for row in rows) == 2  # the emitted SQL reads each file once


@pytest.mark.parametrize("name", ["usage[1].csv", "usage*.csv", "usage?.csv"])
def test_an_existing_file_is_read_before_a_pattern(
    runner: CliRunner, catalogue: Path, tmp_path: Path, name: str
) -> None:
    write(tmp_path / "usage1.csv", ONE_ROW.format(n=100))
    write(tmp_path / name, ONE_ROW.format(n=1))
    document = report_json(runner, str(tmp_path / name), "--sources", str(catalogue))
    assert document["total"]["clips"] == 1
    assert [file["path"] for file in document["log"]["files"]] == [str(tmp_path / name)]


def test_a_pipe_or_a_device_is_refused_before_it_is_read(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # opening it would block for ever: no writer
    zero = tmp_path / "zero.jsonl"
    zero.symlink_to("/dev/zero")
    for path in (fifo, zero):
        result = run(runner, str(path), "--sources", str(catalogue))
        assert result.exit_code == 1
        assert result.stderr == f"soracost: error: {path}: is not a regular file\n"


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize(
    "time", ["99999-01-01", "9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00", "infinity"]
)
def test_a_time_outside_years_1_to_9999_utc_is_a_bad_row(
    runner: CliRunner, catalogue: Path, tmp_path: Path, period: str, time: str
) -> None:
    log = write(tmp_path / "usage.csv", SMALL + f"{time},model-d,5,640x360,1,\n")
    result = run(runner, str(log), "--sources", str(catalogue), "-p", period)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"soracost: error: {log}: row 4: column 'timestamp': '{time}' is not a date and time"
    )
    skipped = report_json(
        runner, str(log), "--sources", str(catalogue), "-p", period, "--skip-bad-rows"
    )
    assert skipped["log"]["skipped_rows"] == {"timestamp": 1}
    assert skipped["total"]["clips"] == 6


def test_a_deeply_nested_json_line_is_one_line(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    good = '{"timestamp": "2025-09-01", "model": "d", "duration_s": 5, "resolution": "640x360"}'
    deep = '{"timestamp": "2025-09-01", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    log = write(tmp_path / "usage.jsonl", f"{good}\n{deep}\n")
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert f"{log}: line 2: not a JSON object: nested too deeply" in result.stderr


def test_the_listed_columns_of_an_error_are_cut_short(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    header = ",".join(f"column_{index}" for index in range(1000))
    log = write(tmp_path / "usage.csv", header + "\n")
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "column_0, column_1" in result.stderr and "…" in result.stderr
    assert len(result.stderr) < 400
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02\xc3\xbf" * 100 + b"\n")
    refused = run(runner, str(binary), "--sources", str(catalogue))
    assert refused.exit_code == 1
    assert (
        refused.stderr == f"soracost: error: {binary}: line 1: holds NUL bytes; is it a CSV file?\n"
    )


def test_a_row_number_column_does_not_hide_the_bad_value(
    runner: CliRunner, catalogue: Path, tmp_path: Path
) -> None:
    log = write(
        tmp_path / "usage.csv",
        "timestamp,model,duration_s,resolution,count,site,row_number\n"
        "2025-09-03T10:00:00Z,model-d,abc,640x360,2,,7\n",
    )
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert f"{log}: row 1: column 'duration_s': 'abc' is not a duration" in result.stderr


@pytest.mark.parametrize("extra", ["soracost_file", "file_row_number", "soracost_row"])
@pytest.mark.parametrize("format", ["csv", "parquet", "jsonl"])
def test_columns_named_like_the_internal_ones_are_read(
    runner: CliRunner, catalogue: Path, tmp_path: Path, extra: str, format: str
) -> None:
    text = HEADER.strip() + f",{extra}\n" + "2025-09-01T10:00:00Z,model-d,5,640x360,2,,x\n"
    log = write(tmp_path / "usage.csv", text + "2025-09-01T10:00:00Z,model-d,0,640x360,2,,y\n")
    if format != "csv":
        path = tmp_path / f"usage.{format}"
        copy = "(FORMAT parquet)" if format == "parquet" else "(FORMAT json)"
        duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{log}')) TO '{path}' {copy}")
        log.unlink()
        log = path
    result = run(runner, str(log), "--sources", str(catalogue))
    assert result.exit_code == 1
    assert f"{log}: row 2: column 'duration_s': " in result.stderr
    document = report_json(runner, str(log), "--sources", str(catalogue), "--skip-bad-rows")
    assert document["total"]["clips"] == 2


def test_clips_with_no_answer_are_said_and_why(runner: CliRunner, tmp_path: Path) -> None:
    """A key whose estimates are all left out (scaled too far) has no figures: the report
    says which clips and why, rather than only n/a in its totals."""
    log = write(
        tmp_path / "log.csv",
        "timestamp,model,duration_s,resolution,count\n"
        "2026-01-05T10:00:00Z,hunyuanvideo,5,720p,3\n"
        "2026-01-06T10:00:00Z,hunyuanvideo-1.5,5,1080p,1\n",
    )
    document = json.loads(runner.invoke(app, ["report", str(log), "-f", "json"]).stdout)
    said = [note for note in document["notes"] if note.startswith("No answer")]
    assert said == [
        "No answer for 1 clip (hunyuanvideo-1.5 at 1080p, 5 s): every estimate of its "
        "service was left out (scaled more than ×3 from their source's clip), so the totals "
        "that include it are n/a; "
        "--max-scale takes estimates scaled further than ×3 from their own clip"
    ]
    widened = runner.invoke(app, ["report", str(log), "-f", "json", "--max-scale", "10"])
    assert not [n for n in json.loads(widened.stdout)["notes"] if n.startswith("No answer")]


def test_a_group_of_no_rows_still_adds_its_clips(model_catalogue: Any) -> None:
    """Found by the invariant test above: a running sum took "no rows yet" for "nothing
    added yet", so a second group holding 0 rows (a split one) replaced the first's
    figures instead of adding to them."""
    catalog, services = model_catalogue
    for rows in (1, 0):
        group = UsageGroup("2025-01", "model-d", "640x360", 5.0, "", rows, 1)
        log = UsageLog(files=(), period="month", groups=(group, group), rows_read=2)
        report = usage_report(catalog, services, log, "test", "testland")
        one = usage_report(
            catalog, services, UsageLog((), "month", (group,), 1), "test", "testland"
        )
        energy, single = report.total.totals["energy"], one.total.totals["energy"]
        assert energy is not None and single is not None
        assert energy.values() == pytest.approx(tuple(2 * v for v in single.values()))
