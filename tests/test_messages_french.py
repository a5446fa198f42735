"""Messages wrapped for issue 22, in French and unchanged in English: units, output
files, EcoLogits, training, site options, the catalogue commands, equivalents and the
environment (counts by ngettext: "wrote 1 site", "wrote 3 citations")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soracost import i18n


@pytest.fixture
def french() -> Iterator[None]:
    i18n.select("fr")
    yield
    i18n.select("en")


def _refusal(function: object, *args: object) -> str:
    with pytest.raises(Exception) as caught:
        function(*args)  # type: ignore[operator]
    return str(caught.value)


@pytest.mark.usefixtures("french")
def test_unit_refusals_are_french() -> None:
    from soracost.core import units

    assert _refusal(units.parse_water_intensity, "-1 L/kWh") == (
        "'-1 L/kWh' est négatif ; un facteur d’eau ne peut pas l’être"
    )
    assert _refusal(units.parse_water_intensity, "1 foo/kWh") == (
        "unité inconnue 'foo/kWh' (attendu : un volume par énergie, p. ex. L/kWh)"
    )
    assert _refusal(units.check_unit, "Wh*ms/s", "energy") == (
        "'Wh*ms/s' cache un facteur d’échelle : 'second' et 'millisecond' s’annulent"
    )
    assert _refusal(units.check_unit, "x" * 1500, "energy") == (
        "unité illisible 'xxxxxxxxxxxxxxxxxxxx'… : longue de 1\u202f500 caractères (une "
        "unité en a au plus 100)"
    )


def test_unit_refusals_keep_their_english() -> None:
    from soracost.core import units

    assert _refusal(units.parse_water_intensity, "1 foo/kWh") == (
        "unknown unit 'foo/kWh' (expected a volume per energy (expected e.g. L/kWh))"
    )
    assert _refusal(units.check_unit, "x" * 1500, "energy") == (
        "unreadable unit 'xxxxxxxxxxxxxxxxxxxx'…: 1,500 characters long (a unit has at most 100)"
    )


@pytest.mark.usefixtures("french")
def test_output_refusals_are_french(tmp_path: Path) -> None:
    from soracost.cli.output import check_destination, output_path

    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    assert _refusal(check_destination, tmp_path / "a.csv") == (
        f"{tmp_path / 'a.csv'} : existe déjà ; ajoutez --force pour le remplacer"
    )
    assert _refusal(check_destination, tmp_path / "no" / "a.csv") == (
        f"{tmp_path / 'no' / 'a.csv'} : impossible d’écrire : {tmp_path / 'no'} n’existe pas"
    )
    assert _refusal(output_path, f"{tmp_path}/") == (
        f"{tmp_path}/ : désigne un dossier (il finit par '/') ; donnez un nom de fichier"
    )


@pytest.mark.usefixtures("french")
def test_environment_refusal_is_french(monkeypatch: pytest.MonkeyPatch) -> None:
    from soracost.core.environment import switch

    monkeypatch.setenv("SORACOST_TEST_SWITCH", "maybe")
    assert _refusal(switch, "SORACOST_TEST_SWITCH") == (
        "$SORACOST_TEST_SWITCH vaut 'maybe' ; mettez-le à 1, true, yes ou on, ou à 0, "
        "false, no ou off"
    )


def test_written_counts_take_the_singular_and_plural(runner: CliRunner, tmp_path: Path) -> None:
    from soracost.cli.app import app
    from soracost.data.catalog import default_sources_path, load_catalog

    catalog = load_catalog(default_sources_path())
    for command, count, one, many in (
        ("sites", len(catalog.sites), "site", "sites"),
        ("sources", len(catalog.sources), "citation", "citations"),
    ):
        target = tmp_path / f"{command}.out"
        form = "csv" if command == "sites" else "ris"
        result = runner.invoke(app, [command, "-f", form, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert f"wrote {count:,} {one if count == 1 else many} to " in result.stderr
