"""Monte Carlo propagation, pooling and charts.

The distributions are checked against their published cases (P5 = low, P50 = mid,
P95 = high, within sampling error), fixed seeds against byte-identical output, pooling
weights against the direction they must move the result, and charts against their file
signatures and for not being blank.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.footprint import Step, check_steps
from soracost.core.ranges import Range
from soracost.core.uncertainty import Sampler, percentiles, quantile, sample_steps

from .conftest import DATA

MODEL_YAML = DATA / "model.yaml"
TOLERANCE = 0.01
"""Relative tolerance for percentiles of 200,000 samples against their exact values."""

try:
    import matplotlib  # noqa: F401
except ImportError:  # pragma: no cover - depends on the extra
    if os.environ.get("SORACOST_REQUIRE_PLOT"):
        raise
    HAVE_MATPLOTLIB = False
else:
    HAVE_MATPLOTLIB = True
needs_matplotlib = pytest.mark.skipif(not HAVE_MATPLOTLIB, reason="the plot extra is missing")


def z(count: int = 200_000, seed: int = 1) -> Any:
    return np.random.default_rng(seed).standard_normal(count)


# --- distributions reproduce their cases --------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        Range(80.0, 90.0, 100.0),
        Range(20.0, 46.9, 110.0),
        Range(1.1, 1.2, 1.5),
        Range(0.0, 1.0, 3.0),
    ],
)
def test_a_range_is_p5_low_p50_mid_p95_high(values: Range) -> None:
    found = percentiles(quantile(values, z()))
    for got, want in zip((found.p5, found.p50, found.p95), values, strict=True):
        assert got == pytest.approx(want, rel=TOLERANCE, abs=TOLERANCE * values.high)


def test_a_single_figure_is_a_constant() -> None:
    assert set(quantile(Range.single(1.25), z(1000)).tolist()) == {1.25}


def test_quantiles_at_the_normal_percentiles_are_exact() -> None:
    values = Range(20.0, 46.9, 110.0)
    at = quantile(values, np.array([-1.6448536269514722, 0.0, 1.6448536269514722]))
    assert at.tolist() == pytest.approx([20.0, 46.9, 110.0], rel=1e-12)
    assert quantile(Range(0.0, 1.0, 3.0), np.array([-5.0]))[0] == 0.0  # clipped at zero


def test_low_and_high_can_stand_for_other_percentiles() -> None:
    from soracost.core.uncertainty import Z_95, edges_of

    assert edges_of((5.0, 95.0)) == (Z_95, Z_95)  # exactly: the shipped figures' default
    below, above = edges_of((2.5, 97.5))
    assert (below, above) == (pytest.approx(1.959963984540054, rel=1e-12),) * 2
    values = Range(20.0, 46.9, 110.0)
    at = quantile(values, np.array([-below, 0.0, above]), (below, above))
    assert at.tolist() == pytest.approx([20.0, 46.9, 110.0], rel=1e-12)
    # through the steps: the claim's low and high land on P2.5 and P97.5
    claim = Step(kind="claim", label="c", op="start", inputs=(), value=values, unit="Wh")
    samples = sample_steps([claim], "claim:x", Sampler(200_000, 3), (2.5, 97.5))[0]
    low, high = np.percentile(samples, [2.5, 97.5])
    assert (low, high) == (pytest.approx(20.0, rel=TOLERANCE), pytest.approx(110.0, rel=TOLERANCE))
    narrower = percentiles(samples)  # so P5 and P95 lie inside low and high
    default = percentiles(sample_steps([claim], "claim:x", Sampler(200_000, 3))[0])
    assert default.p5 < narrower.p5 < narrower.p95 < default.p95


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=1e-3, max_value=1e6),
    st.floats(min_value=1.0, max_value=10.0),
    st.floats(min_value=1.0, max_value=10.0),
)
def test_samples_are_positive_and_ordered_like_their_draws(
    mid: float, down: float, up: float
) -> None:
    values = Range(mid / down, mid, mid * up)
    draws = np.sort(z(2000))
    samples = quantile(values, draws)
    assert (samples > 0).all() and (np.diff(samples) >= 0).all()


# --- propagation through steps -------------------------------------------------------------


def test_one_factor_is_one_draw_wherever_it_is_used() -> None:
    claim = Step(kind="claim", label="c", op="start", inputs=(), value=Range(1, 2, 4), unit="Wh")
    pue = Range(1.1, 1.2, 1.5)
    first = Step(kind="b", label="x", op="multiply", inputs=(0,), value=claim.value * pue,
                 unit="Wh", factor=pue, factor_id="pue")  # fmt: skip
    second = Step(kind="b", label="y", op="divide", inputs=(1,), value=first.value / pue,
                  unit="Wh", factor=pue, factor_id="pue")  # fmt: skip
    check_steps((claim, first, second))
    sampler = Sampler(10_000, seed=5)
    values = sample_steps((claim, first, second), "claim:x", sampler)
    # the same PUE draw multiplies and divides: the claim comes back sample by sample
    assert np.allclose(values[2], values[0], rtol=1e-12)


def test_energy_water_and_carbon_of_an_estimate_move_together(runner: CliRunner) -> None:
    result = runner.invoke(app, ["clip", "--method", "montecarlo", "--seed", "3",
                                 "--samples", "5000", "--carbon", "--format", "json",
                                 "--sources", str(MODEL_YAML)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    energy = next(r for r in rows if (r["estimate_id"], r["quantity"]) == ("model-b", "energy"))
    carbon = next(r for r in rows if (r["estimate_id"], r["quantity"]) == ("model-b", "carbon"))
    # model-b is a single figure × constant factors (oh-gpu 1.5, PUE 1.25, 0.4 g/Wh)
    assert energy["percentiles"] == {"p5": 3.75, "p50": 3.75, "p95": 3.75}
    assert carbon["percentiles"]["p50"] == pytest.approx(3.75 * 0.4)
    assert energy["samples"] == 5000


# --- the command line -----------------------------------------------------------------------


def run(runner: CliRunner, *arguments: str) -> str:
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_same_seed_gives_byte_identical_output(runner: CliRunner) -> None:
    arguments = ("clip", "--method", "montecarlo", "--samples", "100000", "--seed", "7",
                 "--format", "json")  # fmt: skip
    first, second = run(runner, *arguments), run(runner, *arguments)
    assert first == second
    document = json.loads(first)
    assert document["scenario"]["method"]["seed"] == 7
    assert all("percentiles" in row for row in document["rows"])
    other = run(runner, *arguments[:-3], "8", "--format", "json")
    assert other != first


def test_percentiles_sit_inside_the_bounds_for_products(runner: CliRunner) -> None:
    document = json.loads(run(runner, "clip", "--method", "montecarlo", "--seed", "1",
                              "--samples", "20000", "--format", "json"))  # fmt: skip
    for row in document["rows"]:
        bounds, sampled = row["per_clip"], row["percentiles"]
        assert sampled["p5"] <= sampled["p50"] <= sampled["p95"]
        # a product of ranges is narrower than its corners, never wider
        assert bounds["low"] * (1 - 1e-9) <= sampled["p50"] <= bounds["high"] * (1 + 1e-9)


def test_table_and_csv_show_percentiles(runner: CliRunner) -> None:
    arguments = ("--method", "montecarlo", "--seed", "2", "--samples", "2000")
    table = run(runner, "compare", *arguments)
    assert "P50" in table and "seed 2" in table and "--seed 2 repeats it" in " ".join(table.split())
    csv_text = run(runner, "compare", *arguments, "--format", "csv")
    assert csv_text.splitlines()[0].endswith("p5,p50,p95,batch_p5,batch_p50,batch_p95,samples,seed")
    clip = run(runner, "clip", *arguments)
    assert "P5–95" in clip


def test_without_a_seed_one_is_chosen_and_reported(runner: CliRunner) -> None:
    document = json.loads(run(runner, "clip", "--method", "montecarlo", "--samples", "500",
                              "--format", "json"))  # fmt: skip
    seed = document["scenario"]["method"]["seed"]
    again = json.loads(run(runner, "clip", "--method", "montecarlo", "--samples", "500",
                           "--seed", str(seed), "--format", "json"))  # fmt: skip
    assert again["rows"] == document["rows"]


def test_bounds_stay_the_default(runner: CliRunner) -> None:
    document = json.loads(run(runner, "clip", "--format", "json"))
    assert document["scenario"]["method"] == {"name": "bounds"}
    assert all("percentiles" not in row for row in document["rows"])


# --- pooling -----------------------------------------------------------------------------


def pooled(runner: CliRunner, *extra: str) -> dict[str, Any]:
    document = json.loads(run(runner, "compare", "--pooled", "--seed", "11", "--samples",
                              "20000", "--format", "json", *extra))  # fmt: skip
    result: dict[str, Any] = document["pooled"]
    return result


def test_pooling_weighs_every_estimate_the_same_by_default(runner: CliRunner) -> None:
    pool = pooled(runner)
    assert pool["description"] == "every estimate weighs the same"
    # The shipped data pools a news report with the lab figure it repeats: said so.
    assert any("cnet-90wh ← delavande2025" in caveat for caveat in pool["caveats"])
    weights = list(pool["weights"].values())
    assert max(weights) == pytest.approx(min(weights)) and sum(weights) == pytest.approx(1)


def test_weights_move_the_pool_toward_the_heavier_method(runner: CliRunner) -> None:
    # tests/data/model.yaml: model-d is the only 'modelled' energy figure, 10 Wh exactly
    def p50(*extra: str) -> float:
        document = json.loads(run(runner, "compare", "--pooled", "--seed", "11",
                                  "--samples", "20000", "--format", "json",
                                  "--sources", str(MODEL_YAML), *extra))  # fmt: skip
        value: float = document["pooled"]["percentiles"]["p50"]
        return value

    equal = p50()
    heavy = p50("--weights", "modelled=1000")
    assert abs(heavy - 10.0) < abs(equal - 10.0)
    assert heavy == pytest.approx(10.0)  # almost every draw is model-d's
    # measured figures (3.75 and 123.75 Wh) weighed up: the pool leaves model-e's 50 Wh
    assert p50("--weights", "measured=1000") != pytest.approx(50.0)
    assert equal == pytest.approx(50.0)
    assert "modelled=1000" in pooled(runner, "--weights", "modelled=1000")["description"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [("guessed=2", "unknown method 'guessed'"), ("measured=-1", "weight of 0 or more"),
     ("measured=x", "weight of 0 or more"), ("measured=nan", "weight of 0 or more")],
)  # fmt: skip
def test_bad_weights_are_usage_errors(runner: CliRunner, weights: str, message: str) -> None:
    result = runner.invoke(app, ["compare", "--pooled", "--weights", weights])
    assert result.exit_code == 2 and message in result.stderr


def test_weights_need_pooled(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--weights", "measured=2"])
    assert result.exit_code == 2 and "only with --pooled" in result.stderr


def test_pooled_refuses_an_explicit_bounds_method(runner: CliRunner) -> None:
    """--pooled implies Monte Carlo; typing --method bounds as well is a contradiction,
    not something to override silently."""
    result = runner.invoke(app, ["compare", "--pooled", "--method", "bounds"])
    assert result.exit_code == 2 and "cannot be used with --method bounds" in result.stderr
    implied = runner.invoke(app, ["compare", "--pooled", "--samples", "1000", "--seed", "1"])
    assert implied.exit_code == 0 and "Pooled" in implied.stdout


# --- charts ---------------------------------------------------------------------------------


@needs_matplotlib
@pytest.mark.parametrize(("name", "signature"), [("chart.png", b"\x89PNG\r\n\x1a\n"),
                                                 ("chart.svg", b"<?xml")])  # fmt: skip
def test_plot_writes_a_valid_image_that_is_not_blank(
    runner: CliRunner, tmp_path: Path, name: str, signature: bytes
) -> None:
    target = tmp_path / name
    result = runner.invoke(app, ["compare", "--pooled", "--seed", "4", "--samples", "2000",
                                 "--plot", str(target), "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(signature)
    if name.endswith(".png"):
        import matplotlib.image

        pixels = matplotlib.image.imread(str(target))
        assert pixels.std() > 0.05  # not one flat colour
        assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 20
    else:
        text = data.decode("utf-8")
        assert text.count("<path") > 20 and "pooled P50" in text
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_plot_without_matplotlib_says_how_to_install(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = runner.invoke(app, ["compare", "--plot", str(tmp_path / "c.png")])
    assert result.exit_code == 1
    assert "pip install 'soracost[plot]'" in result.stderr
    assert not any(tmp_path.iterdir())


def test_math_constant_is_the_95th_percentile() -> None:
    from soracost.core.uncertainty import Z_95

    assert 0.5 * (1 + math.erf(Z_95 / math.sqrt(2))) == pytest.approx(0.95, abs=1e-12)


def test_progress_shows_on_a_terminal_after_a_second_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from soracost.cli import delivery as cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = iter(range(0, 1000, 2))  # each reading two seconds later than the last
    monkeypatch.setattr("time.monotonic", lambda: float(next(clock)))
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli.progress_bar(cli.OutputFormat.table, None) as progress:
        progress(1, 2)
        progress(2, 2)
    assert "Monte Carlo" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with cli.progress_bar(cli.OutputFormat.table, None) as progress:
        progress(1, 2)
    with cli.progress_bar(cli.OutputFormat.json, None) as progress:
        progress(1, 2)
    assert piped.getvalue() == ""


def test_one_exponent_draw_is_one_exponent_scaling_up_or_down() -> None:
    from msgspec.structs import replace

    from soracost.core.footprint import exponent_factor

    exponent = Range(1.5, 1.75, 2.0)
    up, down = exponent_factor(4.0, exponent), exponent_factor(0.25, exponent)
    claim = Step(kind="claim", label="c", op="start", inputs=(), value=Range.single(1.0),
                 unit="Wh")  # fmt: skip
    scale_up = Step(kind="scale", label="u", op="multiply", inputs=(0,), value=up, unit="Wh",
                    factor=up, factor_id="res-exp")  # fmt: skip
    scale_down = replace(
        Step(kind="scale", label="d", op="multiply", inputs=(1,), value=up * down, unit="Wh",
             factor=down, factor_id="res-exp"),
        falls_with_factor=True,
    )  # fmt: skip
    values = sample_steps((claim, scale_up, scale_down), "claim:x", Sampler(5000, seed=9))
    # 4^e × (1/4)^e = 1 for every draw of e: the two uses saw the same exponent
    assert np.allclose(values[2], 1.0, rtol=1e-9)


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [("chart.jpg", 2, "must end in .png, .svg, .pdf"), ("missing/chart.png", 1, "does not exist")],
)
def test_a_bad_plot_path_fails_before_any_work(
    runner: CliRunner, tmp_path: Path, name: str, code: int, message: str
) -> None:
    result = runner.invoke(app, ["compare", "--pooled", "--plot", str(tmp_path / name)])
    assert result.exit_code == code and message in result.stderr
    assert not any(tmp_path.rglob("*.*"))


def test_a_failed_output_leaves_no_chart(runner: CliRunner, tmp_path: Path) -> None:
    existing = tmp_path / "o.csv"
    existing.write_text("x", encoding="utf-8")
    chart = tmp_path / "p.png"
    result = runner.invoke(app, ["compare", "--plot", str(chart), "-f", "csv", "-o", str(existing)])
    assert result.exit_code == 1 and not chart.exists()
    same = runner.invoke(app, ["compare", "--plot", str(chart), "-o", str(chart)])
    assert same.exit_code == 2 and "same file" in same.stderr


def test_huge_weights_do_not_overflow(runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", "--pooled", "--samples", "1000", "--seed", "1",
                                 "--weights", "measured=1e308,modelled=1e308"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    # Weights near the largest float: the pool's numbers stay finite (no overflow to inf,
    # no nan from inf/inf) and the answer is still printed.
    assert result.stdout.startswith("Energy for one clip: ")
    assert not {"nan", "inf"} & set(result.stdout.lower().replace(",", " ").split())


def test_draws_do_not_depend_on_what_else_is_asked(runner: CliRunner) -> None:
    def p50(*extra: str) -> float:
        document = json.loads(run(runner, "compare", "--method", "montecarlo", "--seed", "5",
                                  "--samples", "1000", "--format", "json", *extra))  # fmt: skip
        row = next(r for r in document["rows"] if r["estimate_id"] == "mlenergy-hunyuanvideo")
        value: float = row["percentiles"]["p50"]
        return value

    assert p50() == p50("--model", "hunyuan")


def test_the_pool_says_what_it_mixed() -> None:
    """Rows at another boundary, and a figure taken from a source another shown row comes
    from, are named in the pool's description (exact text)."""
    from types import SimpleNamespace

    from soracost.core.uncertainty import _pool_caveats

    def row(id: str, source: str, chain: tuple[str, ...], differs: bool = False) -> object:
        estimate = SimpleNamespace(id=id, source=source, chain=chain)
        return SimpleNamespace(estimate=estimate, boundary_differs=differs)

    rows = [
        row("report", "news", ("news", "lab")),  # the news repeats the lab's figure
        row("measured", "lab", ()),
        row("outlier", "other", (), differs=True),
    ]
    assert _pool_caveats(rows) == [
        "it mixes rows at another boundary (≠): outlier",
        "it may count a figure twice (rows taken from a source other rows come from): report ← lab",
    ]
    assert _pool_caveats(rows[1:2]) == []


# --- bounded memory: one row at a time, the pool streamed ------------------------------------


def stacked_pool(results: Any, weights: dict[str, float], seed: int, samples: int) -> Any:
    """The pool as it was made before it was streamed: every row's samples drawn again
    from scratch, stacked (rows × samples), and one row chosen per sample position."""
    from soracost.core.uncertainty import claim_key

    sampler = Sampler(samples, seed)
    rows = results.rows
    stacked = []
    for row in rows:
        steps, estimate = row.derivation.steps, row.estimate
        values = sample_steps(steps, claim_key(estimate.id), sampler, estimate.cases_percentiles)
        stacked.append(next(v for s, v in zip(steps, values, strict=True) if "per_clip" in s.roles))
    share = np.array([weights.get(row.estimate.method, 1.0) for row in rows], dtype=float)
    share = share / share.max()
    share = share / share.sum()
    chosen = np.random.default_rng([seed, 1]).choice(len(rows), size=samples, p=share)
    return percentiles(np.stack(stacked)[chosen, np.arange(samples)]), stacked


@pytest.mark.parametrize("weights", [{}, {"measured": 3.0, "modelled": 0.5}])
def test_the_streamed_pool_is_the_stacked_pool(weights: dict[str, float]) -> None:
    """Rows are sampled one at a time and each gives the pool only the samples drawn from
    it: the percentiles are exactly those of every row's samples stacked at once."""
    from soracost.core.results import Scenario, compare_results
    from soracost.data.catalog import default_sources_path, load_catalog

    catalog = load_catalog(default_sources_path())
    scenario = Scenario(method="montecarlo", samples=3000, seed=7, keep_samples=True)
    results = compare_results(catalog, scenario, "energy", weights=weights)
    assert results.pool is not None and len(results.rows) > 10
    expected, stacked = stacked_pool(results, weights, seed=7, samples=3000)
    assert results.pool.percentiles == expected  # exactly, not approximately
    for row, samples in zip(results.rows, stacked, strict=True):
        assert results.percentiles[(row.estimate.id, "energy")][0] == percentiles(samples)


def test_draws_dropped_from_the_cache_come_back_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """The draws kept for reuse are bounded; a factor's draws made again after they were
    dropped are the same, so a factor shared by every estimate stays one draw."""
    from soracost.core import uncertainty
    from soracost.core.results import Scenario, clip_results
    from soracost.data.catalog import default_sources_path, load_catalog

    catalog = load_catalog(default_sources_path())
    scenario = Scenario(method="montecarlo", samples=2000, seed=5,
                        quantities=("energy", "water", "carbon"))  # fmt: skip
    roomy = clip_results(catalog, scenario).percentiles
    monkeypatch.setattr(uncertainty, "CACHE_BYTES", 0)  # two keys' draws at most
    sampler = uncertainty.Sampler(2000, seed=5)
    first = sampler.draws("pue").copy()
    sampler.draws("a"), sampler.draws("b")  # "pue" is dropped
    assert "pue" not in sampler._draws
    assert np.array_equal(sampler.draws("pue"), first)
    assert clip_results(catalog, scenario).percentiles == roomy


def test_weights_of_zero_are_refused_before_any_sampling() -> None:
    from soracost.core.errors import UsageProblem
    from soracost.core.records import METHODS
    from soracost.core.reports import compare_report
    from soracost.core.results import Scenario
    from soracost.data.catalog import default_sources_path, load_catalog

    catalog = load_catalog(default_sources_path())
    scenario = Scenario(method="montecarlo", samples=1000, seed=1, keep_samples=True)
    sampled: list[int] = []
    with pytest.raises(UsageProblem, match="every shown estimate weighs 0"):
        compare_report(catalog, scenario, "energy", dict.fromkeys(METHODS, 0.0),
                       progress=lambda done, total: sampled.append(done))  # fmt: skip
    assert sampled == []


def test_the_method_of_a_run_with_and_without_pooled() -> None:
    from types import SimpleNamespace

    from soracost.cli.inputs import pooling_method
    from soracost.cli.scenario_options import MethodChoice
    from soracost.core.errors import UsageProblem

    typed, default = SimpleNamespace(name="COMMANDLINE"), SimpleNamespace(name="DEFAULT")
    # without --pooled, --method as given, typed or not
    assert pooling_method(MethodChoice.bounds, False, typed) is MethodChoice.bounds
    assert pooling_method(MethodChoice.montecarlo, False, default) is MethodChoice.montecarlo
    # --pooled implies Monte Carlo; a typed --method bounds beside it is refused
    assert pooling_method(MethodChoice.bounds, True, default) is MethodChoice.montecarlo
    assert pooling_method(MethodChoice.montecarlo, True, typed) is MethodChoice.montecarlo
    with pytest.raises(UsageProblem):
        pooling_method(MethodChoice.bounds, True, typed)
