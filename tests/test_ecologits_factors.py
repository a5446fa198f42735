"""EcoLogits' rows say which site factors EcoLogits used for them, and whose they are.

Without --site, EcoLogits computes with its own PUE and WUE for the provider and its world
electricity mix, while the header names soracost's default site; with --site, it takes
the site's PUE and on-site WUE but its own country mix, never the site's grid factors.
Each output says so: the compact and wide tables (under the line naming the site), the
row's notes in explain, CSV and JSON. The expected figures are read from the installed
EcoLogits' own data files, not copied here.
"""

from __future__ import annotations

import csv
import io
import json
import os
from importlib import resources
from typing import Any

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app

try:
    from ecologits.electricity_mix_repository import electricity_mixes
except ImportError:  # pragma: no cover - depends on the extra
    electricity_mixes = None

if electricity_mixes is None and os.environ.get("SORACOST_REQUIRE_ECOLOGITS"):
    raise RuntimeError("SORACOST_REQUIRE_ECOLOGITS is set but EcoLogits cannot be imported")

pytestmark = pytest.mark.skipif(
    electricity_mixes is None, reason="the ecologits extra is not installed"
)

SORA = "openai/sora-2-pro"
ROW = "ecologits-openai-sora-2-pro"
CLIP = ["--ecologits", SORA, "--duration", "10", "--resolution", "720p"]


def openai_defaults() -> tuple[float, float]:
    """The PUE and WUE EcoLogits' data gives OpenAI's data centres."""
    data = resources.files("ecologits") / "data" / "video_models.json"
    provider = json.loads(data.read_text("utf-8"))["provider_configurations"]["openai"]
    return provider["datacenter_pue"], provider["datacenter_wue"]


def mix(zone: str) -> str:
    found = electricity_mixes.find_electricity_mix(zone=zone)
    return f"{found.gwp * 1000:g} gCO2e/kWh, off-site water {found.wue:g} L/kWh"


def sites(runner: CliRunner) -> dict[str, dict[str, Any]]:
    """The shipped catalogue's sites, by id (as ``soracost sites`` gives them)."""
    return {site["id"]: site for site in json.loads(invoke(runner, "sites", "-f", "json"))["sites"]}


def default_site(runner: CliRunner) -> str:
    return next(site for site, record in sites(runner).items() if record["default"])


def own_defaults(runner: CliRunner) -> str:
    pue, wue = openai_defaults()
    return (
        f"its own defaults, not site {default_site(runner)}'s factors: PUE {pue:g} and "
        f"on-site WUE {wue:g} L/kWh (EcoLogits' figures for openai); electricity mix WOR "
        f"(EcoLogits' zone values): {mix('WOR')}"
    )


def the_sites_own(runner: CliRunner, site: str, zone: str) -> str:
    """What a row says when --site SITE gave EcoLogits its PUE and WUE."""
    factors = sites(runner)[site]["factors"]
    pue, wue = factors["pue"], factors["wue-onsite"]
    return (
        f"site {site}'s PUE and on-site WUE (soracost's: {pue['id']} {pue['values']['mid']:g}, "
        f"{wue['id']} {wue['values']['mid']:g} L/kWh); electricity mix {zone} (EcoLogits' "
        f"zone values, not site {site}'s grid factors): {mix(zone)}"
    )


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def joined(text: str) -> str:
    """Terminal text with its line breaks (and explain's tree lines) undone: a sentence
    wraps at any space."""
    return " ".join(word for word in text.split() if word not in ("│", "├──", "└──"))


def test_without_a_site_every_export_says_ecologits_used_its_own_factors(
    runner: CliRunner,
) -> None:
    said = own_defaults(runner)
    document = json.loads(invoke(runner, "clip", *CLIP, "--carbon", "-f", "json"))
    rows = [row for row in document["rows"] if row["estimate_id"] == ROW]
    assert [row["quantity"] for row in rows] == ["energy", "water", "carbon"]
    for row in rows:
        assert row["notes"][0] == (
            f"EcoLogits computed video_impacts('{SORA}', '1280x720', 10) with {said}"
        )
    assert document["scenario"]["site"]["id"] == default_site(runner)  # the header's site
    exported = csv.DictReader(io.StringIO(invoke(runner, "clip", *CLIP, "-f", "csv")))
    notes = [row["notes"] for row in exported if row["estimate_id"] == ROW]
    assert len(notes) == 2 and all(said in note for note in notes)


@pytest.mark.parametrize("command", ["clip", "compare"])
def test_the_compact_table_says_it_under_the_line_naming_the_site(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    lines = invoke(runner, command, *CLIP).splitlines()
    header = next(i for i, line in enumerate(lines) if line.endswith(" (default)"))
    rule = next(i for i, line in enumerate(lines) if i > header and set(line) == {"─"})
    between = joined("\n".join(lines[header + 1 : rule]))  # then the column headers
    said = f"{ROW}: computed by EcoLogits with {own_defaults(runner)}."
    assert between.startswith(said) and between[len(said) :].split()[-1] in ("High", "mL")


def test_with_a_site_the_pue_and_wue_are_the_sites_and_the_mix_ecologits(
    runner: CliRunner,
) -> None:
    said = the_sites_own(runner, "arizona", "USA")
    wide = joined(invoke(runner, "compare", *CLIP, "--site", "arizona", "--wide"))
    assert f"{ROW}: computed by EcoLogits with {said}." in wide  # above the table
    assert f"with {said}: {ROW}." in wide  # and in the notes under it
    explained = joined(invoke(runner, "explain", ROW, *CLIP, "--site", "arizona"))
    assert said in explained
    document: dict[str, Any] = json.loads(
        invoke(runner, "compare", *CLIP, "--site", "arizona", "-f", "json")
    )
    row = next(row for row in document["rows"] if row["estimate_id"] == ROW)
    assert row["notes"][0].endswith(f") with {said}")


def test_typing_the_default_site_is_said_apart_from_leaving_it_out(runner: CliRunner) -> None:
    """The header names the default site both ways; the row's line tells them apart."""
    site = default_site(runner)
    typed = joined(invoke(runner, "compare", *CLIP, "--site", site))
    left_out = joined(invoke(runner, "compare", *CLIP))
    assert f"{ROW}: computed by EcoLogits with site {site}'s PUE and on-site WUE" in typed
    assert f"not site {site}'s grid factors" in typed and "its own defaults" not in typed
    assert f"{ROW}: computed by EcoLogits with {own_defaults(runner)}." in left_out


def test_a_site_without_a_country_says_the_mix_is_the_worlds(runner: CliRunner) -> None:
    from soracost.core.ecologits import SITE_ZONES

    site = next(site for site in sites(runner) if site not in SITE_ZONES)
    text = joined(invoke(runner, "compare", *CLIP, "--site", site))
    assert (
        f"electricity mix WOR (EcoLogits' zone values, not site {site}'s grid factors; "
        f"soracost knows no EcoLogits zone for site {site}): {mix('WOR')}." in text
    )


def test_other_rows_have_no_such_line(runner: CliRunner) -> None:
    assert "computed by EcoLogits" not in invoke(runner, "compare")
