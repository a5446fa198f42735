"""Modules a run imports only when it needs them: soracost.cli.output only to write a
file (options.output_path and delivery.emit import it then), soracost.core.user_factors
only for factors the user supplies (the catalogue's ceilings live in core.records).
Each is start-up time every other run would pay (the gains are where they are deferred)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_architecture import modules_of_run

DEFERRED = {"soracost.cli.output", "soracost.core.user_factors"}


@pytest.mark.parametrize(
    "args",
    [
        ("clip", "--count", "10"),
        ("sources", "check"),
        ("clip", "-f", "json"),
    ],
)
def test_a_run_that_writes_no_file_imports_no_writer(args: tuple[str, ...]) -> None:
    modules_of_run(*args)  # the catalogue's cache is warm for the run that counts
    loaded = modules_of_run(*args)
    assert "soracost.data.factor_loader" in loaded  # the check itself works
    assert not loaded & DEFERRED, args


def test_a_run_that_writes_a_file_imports_the_writer(tmp_path: Path) -> None:
    output = tmp_path / "clip.csv"
    loaded = modules_of_run("clip", "-f", "csv", "-o", str(output))
    assert "soracost.cli.output" in loaded
    assert output.read_text(encoding="utf-8").startswith("estimate_id,")


def test_a_supplied_factor_imports_user_factors() -> None:
    assert "soracost.core.user_factors" in modules_of_run("clip", "--pue", "1.2")


def test_the_ceilings_are_still_importable_from_user_factors() -> None:
    from soracost.core import records, user_factors

    assert user_factors.FACTOR_CEILINGS is records.FACTOR_CEILINGS
    assert user_factors.FACTOR_CEILINGS["pue"] == 5
