"""The answer: which rows feed it, and the mixture's percentiles, checked exactly."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from soracost.core.answer import (
    Z_95,
    _SplitDistribution,
    answer_for,
    mixture_cdf_of,
    mixture_quantile,
)
from soracost.core.footprint import ClipRequest
from soracost.core.results import Scenario, clip_results
from soracost.data.catalog import default_sources_path, load_catalog


def _part_cdf(part: _SplitDistribution, x: float) -> float:
    """P(X ≤ x) of one part, read straight from the definition (mixture_cdf_of's docstring):
    the readable oracle of the fast function, which was the package's own code before."""
    low, mid, high = part.low, part.mid, part.high
    if x < mid:
        if low == mid:  # no spread below: a point at the median
            return 0.0
        if low > 0:  # log-normal half: σ = ln(mid/low)/z95
            z = math.log(x / mid) / (math.log(mid / low) / Z_95) if x > 0 else -math.inf
        else:  # a low of 0: normal half, clipped at 0
            z = (x - mid) / ((mid - low) / Z_95)
        return 0.5 * (2 * _phi(z))
    if x == mid or high == mid:
        return 1.0 if x >= high else 0.5
    if mid > 0:
        z = math.log(x / mid) / (math.log(high / mid) / Z_95)
    else:
        z = (x - mid) / ((high - mid) / Z_95)
    return 0.5 + 0.5 * (2 * _phi(z) - 1)


def _phi(z: float) -> float:
    """The standard normal's distribution function."""
    return 0.0 if z == -math.inf else 0.5 * math.erfc(-z / math.sqrt(2))


def test_one_range_gives_back_its_own_cases() -> None:
    one = [_SplitDistribution(60.0, 90.0, 120.0)]
    assert mixture_quantile(one, 0.05) == pytest.approx(60.0, rel=1e-9)
    assert mixture_quantile(one, 0.50) == pytest.approx(90.0, rel=1e-9)
    assert mixture_quantile(one, 0.95) == pytest.approx(120.0, rel=1e-9)


def test_a_single_figure_is_a_point() -> None:
    assert mixture_quantile([_SplitDistribution(3.0, 3.0, 3.0)], 0.5) == 3.0
    points = [_SplitDistribution(1.0, 1.0, 1.0), _SplitDistribution(9.0, 9.0, 9.0)]
    assert mixture_quantile(points, 0.25) == pytest.approx(1.0)
    assert mixture_quantile(points, 0.75) == pytest.approx(9.0)


def test_two_equal_ranges_far_apart_put_the_median_between_them() -> None:
    mixed = [_SplitDistribution(1.0, 2.0, 4.0), _SplitDistribution(100.0, 200.0, 400.0)]
    median = mixture_quantile(mixed, 0.5)
    assert 4.0 < median < 100.0


ranges = st.tuples(st.floats(1e-3, 1e6), st.floats(1.0, 50.0), st.floats(1.0, 50.0)).map(
    lambda t: _SplitDistribution(t[0], t[0] * t[1], t[0] * t[1] * t[2])
)


@given(st.lists(ranges, min_size=1, max_size=8))
def test_the_mixture_percentiles_are_ordered_and_bounded(mixed: list[_SplitDistribution]) -> None:
    p5, p50, p95 = (mixture_quantile(mixed, p) for p in (0.05, 0.5, 0.95))
    assert p5 <= p50 <= p95
    # Each part has 5 % below its low and 5 % above its high: so has the mixture.
    assert min(d.low for d in mixed) * (1 - 1e-9) <= p5
    assert p95 <= max(d.high for d in mixed) * (1 + 1e-9)
    assert all(math.isfinite(value) for value in (p5, p50, p95))


parts = st.one_of(
    ranges,
    # A low of 0, or a point. No subnormal values: x / mid would underflow to 0, whose log
    # both functions refuse alike (the bisection stops long before such values).
    st.tuples(st.floats(0.0, 1e3, allow_subnormal=False), st.floats(1.0, 50.0)).map(
        lambda t: _SplitDistribution(0.0, t[0], t[0] * t[1])
    ),
    st.floats(0.0, 1e6, allow_subnormal=False).map(lambda v: _SplitDistribution(v, v, v)),
)


@given(
    st.lists(parts, min_size=1, max_size=8),
    st.lists(st.floats(0.0, 1e9, allow_subnormal=False) | st.sampled_from([0.0, 1.0]), min_size=1),
)
def test_the_fast_mixture_cdf_is_the_mean_of_the_parts_to_the_last_bit(
    mixed: list[_SplitDistribution], points: list[float]
) -> None:
    """The bisection's distribution function (scales worked out once, one loop) gives
    exactly the readable one's numbers, so the answer's percentiles do not move."""
    fast = mixture_cdf_of(mixed)
    for x in [*points, *(v for d in mixed for v in (d.low, d.mid, d.high))]:
        assert fast(x) == sum(_part_cdf(d, x) for d in mixed) / len(mixed), x


def shipped_rows(**request: float | int) -> list:  # type: ignore[type-arg]
    catalog = load_catalog(default_sources_path())
    scenario = Scenario(count=1000, request=ClipRequest(**request))  # type: ignore[arg-type]
    return clip_results(catalog, scenario).rows


def test_the_shipped_answer_counts_each_measurement_once() -> None:
    answer = answer_for(shipped_rows(), "energy", 1000)
    reasons = {item.estimate_id: item.reason for item in answer.left_out}
    # CNET repeats the Hugging Face paper's WAN 1.3B figure: the paper's row is kept.
    assert reasons["cnet-90wh"] == "same-measurement"
    assert "hf-wan21-1.3b-720p" in answer.fed
    # The WSJ's figures have no known boundary: not convertible to facility energy.
    assert reasons["wsj-20-110wh"] == reasons["lebigdata-wsj-20-100wh"] == "other-boundary"
    assert set(answer.fed).isdisjoint(reasons)
    assert answer.p5 is not None and answer.p50 is not None and answer.p95 is not None
    assert answer.lowest is not None and answer.highest is not None
    assert answer.lowest <= answer.p5 <= answer.p50 <= answer.p95 <= answer.highest
    assert answer.batch(answer.p50) == pytest.approx(answer.p50 * 1000)


def test_far_scaled_rows_are_left_out_and_the_limit_is_a_choice() -> None:
    rows = shipped_rows(duration_s=10.0, width=1920, height=1080)
    strict = answer_for(rows, "energy", 1)
    far = {item.estimate_id for item in strict.left_out if item.reason == "far-scaled"}
    assert "hf-animatediff" in far  # a 1.6 s 512² clip scaled ~×780
    loose = answer_for(rows, "energy", 1, max_scale=1000.0)
    assert "hf-animatediff" in loose.fed
    with pytest.raises(ValueError):
        answer_for(rows, "energy", 1, max_scale=0.5)


def test_no_row_gives_no_figures() -> None:
    answer = answer_for([], "water", 5)
    assert (answer.fed, answer.p50, answer.lowest) == ((), None, None)


def test_the_table_opens_with_the_answer_and_json_agrees() -> None:
    import json

    from typer.testing import CliRunner

    from soracost.cli.app import app
    from soracost.views.display import format_number

    args = ["clip", "--count", "1000", "--site", "arizona", "--model", "sora"]
    runner = CliRunner()
    table = runner.invoke(app, args, env={"COLUMNS": "200"})
    document = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert table.exit_code == 0
    first = table.stdout.splitlines()[0]
    energy = document["answer"]["energy"]
    batch, per_clip = energy["batch"], energy["per_clip"]
    expected = (
        f"Energy for 1,000 clips: {format_number(batch['p50'])} Wh "
        f"(P5–P95 {format_number(batch['p5'])} – {format_number(batch['p95'])}); "
        f"per clip {format_number(per_clip['p50'])} Wh "
        f"({format_number(per_clip['p5'])} – {format_number(per_clip['p95'])}). "
        f"Pooled from {len(energy['fed'])} estimates"
    )
    assert first.startswith(expected)
    assert f"{len(energy['left_out'])} left out" in first


@pytest.mark.parametrize("value", ["nan", "inf", "0.5", "-3"])
def test_a_max_scale_outside_its_range_is_a_usage_error(value: str) -> None:
    from typer.testing import CliRunner

    from soracost.cli.app import app

    for command in ("clip", "compare"):
        result = CliRunner().invoke(app, [command, "--max-scale", value])
        assert result.exit_code == 2, (command, value, result.output)
        assert result.stderr.count("\n") == 1 and "--max-scale" in result.stderr


def _row(estimate_id: str, method: str, duration_s: float, chain: tuple[str, ...] = ()) -> object:
    """A row as answer_for reads it: one figure (100 Wh) of model M by source S."""
    from types import SimpleNamespace

    from soracost.core.records import Clip

    clip = Clip(duration_s=duration_s, width=1280, height=720, frames=None, fps=None, steps=None)
    estimate = SimpleNamespace(
        id=estimate_id,
        method=method,
        chain=chain,
        source="chain-start" if chain else "origin",
        applies_to=SimpleNamespace(model="Model M", clip=clip),
    )
    derivation = SimpleNamespace(scale_factor=None, boundary="facility")
    cases = SimpleNamespace(low=80.0, mid=100.0, high=120.0)
    return SimpleNamespace(
        estimate=estimate,
        derivation=derivation,
        boundary_differs=False,
        quantity="energy",
        per_clip=cases,
    )


@pytest.mark.parametrize(
    ("second", "left_out"),
    [
        # One model of one service at two clips: one piece of work.
        (("model-12s", "modelled", 12.0), "the same model as model-8s, at another clip"),
        # A model fitted to the origin's data, reached through a chain: the same work.
        (("fit-10s", "modelled", 10.0, ("chain-start", "origin")), "the same model as model-8s, at another clip"),
        # The same clip reported second-hand: the same measurement.
        (("repeat-8s", "measured", 8.0, ("chain-start", "origin")), "the same measurement as model-8s, second-hand"),
        # A measurement of another clip is another measurement: both feed the answer.
        (("measured-12s", "measured", 12.0), None),
    ],
)  # fmt: skip
def test_one_piece_of_work_feeds_the_answer_once(
    second: tuple[object, ...], left_out: str | None
) -> None:
    from soracost.core.answer import _first_hand_first, _measurement, _reason_to_leave_out

    rows = [_row("model-8s", "modelled", 8.0), _row(*second)]  # type: ignore[arg-type]
    counted: dict[tuple[str, str], list[object]] = {}
    fed, details = [], []
    for row in _first_hand_first(rows):  # type: ignore[arg-type]
        reason = _reason_to_leave_out(row, 3.0, counted)  # type: ignore[arg-type]
        if reason is None:
            counted.setdefault(_measurement(row), []).append(row)
            fed.append(row.estimate.id)
        else:
            details.append(reason.detail)
    if left_out is None:
        assert sorted(fed) == sorted(["model-8s", str(second[0])]) and details == []
    else:
        assert fed == ["model-8s"] and details == [left_out]


def test_the_pool_of_every_row_is_not_mistaken_for_the_answer() -> None:
    # compare --pooled prints two pooled figures: the answer (first line, duplicates and
    # figures at another boundary left out) and a Monte Carlo pool of every row shown.
    from typer.testing import CliRunner

    from soracost.cli.app import app

    result = CliRunner().invoke(app, ["compare", "--pooled", "--seed", "7"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Energy for one clip: ")
    pool = next(line for line in lines if "Monte Carlo pool of all" in line)
    assert "none left out" in pool
    assert pool.rstrip().endswith("For a figure to quote, take the answer on the first line.")
