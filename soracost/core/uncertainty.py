"""Monte Carlo propagation: each low/mid/high range as a distribution, sampled through the
same steps as ``explain`` shows.

The distribution of a range is a **split log-normal with its median at mid and its 5th
and 95th percentiles at low and high**: ``ln X = ln mid + σ·Z``, with ``σ = ln(mid/low) /
1.645`` below the median and ``ln(high/mid) / 1.645`` above it, ``Z`` standard normal.
Why: the figures are positive and multiply, their ranges span factors rather than fixed
amounts, and many are skewed (mid closer to low); a log scale treats "2× lower" and "2×
higher" alike, and the three published cases are reproduced exactly as P5, P50 and P95.
A range with a low of zero is split-normal in linear terms, clipped at zero; a single
figure is a constant. A claim whose source gives its low and high as other percentiles is
drawn with those (``Estimate.cases_percentiles``: EcoLogits' are P2.5 and P97.5).

Every use of one factor shares its draws (the same ``Z`` per factor id; the same per
estimate for its claim), so correlated uses stay correlated: an estimate's energy, water
and carbon move together, and one site's PUE is one draw for every estimate. NumPy is
imported only here, and only when Monte Carlo is asked for.

Memory does not grow with the catalogue: rows are sampled one at a time and only their
percentiles are kept; a pool takes each row's samples as they are made
(:class:`PoolBuilder`), and the draws kept for reuse are bounded (:class:`Sampler`). Time
grows with rows × samples.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from soracost.core.footprint import Step
from soracost.core.ranges import NonFiniteRange, Range
from soracost.i18n import N_, _, report_

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float64]

Z_95 = 1.6448536269514722
"""The standard normal's 95th percentile: low and high sit at ±Z_95."""

PERCENTILES = (5, 50, 95)

DISTRIBUTION = N_(
    "split log-normal per range: median = mid, P5 = low, P95 = high (split normal, clipped "
    "at 0, where low is 0; an EcoLogits figure's low and high are its P2.5 and P97.5); "
    "every use of one factor or claim shares its draws"
)


class Percentiles(Struct, frozen=True):
    """P5, P50 and P95 of a sampled figure, in its unit."""

    p5: float
    p50: float
    p95: float

    def as_dict(self) -> dict[str, float]:
        return {"p5": self.p5, "p50": self.p50, "p95": self.p95}


def quantile(values: Range, z: Samples, edges: tuple[float, float] = (Z_95, Z_95)) -> Samples:
    """The values of ``values``' distribution at standard-normal draws ``z``.

    ``edges`` are how many standard deviations below and above the median low and high
    sit: (Z_95, Z_95) puts them at P5 and P95 (see :func:`edges_of`)."""
    import numpy as np

    low, mid, high = values
    if low == mid == high:
        return np.full(z.shape, mid)
    below_edge, above_edge = edges
    if low > 0:
        below = math.log(mid / low) / below_edge
        above = math.log(high / mid) / above_edge
        result: Samples = mid * np.exp(np.where(z < 0, below, above) * z)
        return result
    below, above = (mid - low) / below_edge, (high - mid) / above_edge  # a low of zero
    clipped: Samples = np.maximum(0.0, mid + np.where(z < 0, below, above) * z)
    return clipped


def edges_of(cases_percentiles: tuple[float, float]) -> tuple[float, float]:
    """How many standard deviations below and above the median the percentiles that low
    and high stand for sit: ``(5, 95)`` gives ``(Z_95, Z_95)``, ``(2.5, 97.5)`` ~1.96 each."""
    if cases_percentiles == (5.0, 95.0):
        return Z_95, Z_95  # exact, and the common case
    from statistics import NormalDist

    low, high = cases_percentiles
    standard = NormalDist()
    return -standard.inv_cdf(low / 100), standard.inv_cdf(high / 100)


CACHE_BYTES = 64 * 1024 * 1024
"""At most this much of the draws is kept for reuse (at least two keys' worth): a draw
left out is made again, identically, when next asked for."""


class Sampler:
    """Standard-normal draws by key (a factor id, an estimate's claim), each key from its
    own stream seeded by (seed, key): the same seed gives the same draws for a factor or
    an estimate whatever else is asked for, in whatever order.

    The draws used most recently are kept, up to :data:`CACHE_BYTES`: memory does not
    grow with the number of keys (a catalogue with thousands of sites or factors), and a
    key asked for again after it was dropped gets the same draws, made anew."""

    def __init__(self, samples: int, seed: int) -> None:
        self.samples = samples
        self.seed = seed
        self._draws: OrderedDict[str, Samples] = OrderedDict()
        self._capacity = max(2, CACHE_BYTES // (8 * max(1, samples)))

    def draws(self, key: str) -> Samples:
        import zlib

        import numpy as np

        kept = self._draws.get(key)
        if kept is not None:
            self._draws.move_to_end(key)
            return kept
        stream = np.random.default_rng([self.seed, zlib.crc32(key.encode("utf-8"))])
        made: Samples = stream.standard_normal(self.samples)
        self._draws[key] = made
        while len(self._draws) > self._capacity:
            self._draws.popitem(last=False)  # the least recently used
        return made

    def forget(self, key: str) -> None:
        """Release a key's draws (an estimate's claim, once its rows are done)."""
        self._draws.pop(key, None)


def claim_key(estimate_id: str) -> str:
    """The draw key of an estimate's published claim: shared by its energy, water and
    carbon derivations, which all start from it (or, for a live source, come from one
    computation)."""
    return f"claim:{estimate_id}"


def sample_steps(
    steps: Sequence[Step],
    claim: str,
    sampler: Sampler,
    claim_percentiles: tuple[float, float] = (5.0, 95.0),
) -> list[Samples]:
    """Each step's samples: the claim and every sourced factor drawn from their ranges,
    then combined by each step's operation, sample by sample. The claim's low and high
    stand for ``claim_percentiles`` (its estimate's ``cases_percentiles``); a factor's
    for P5 and P95.

    A range spanning hundreds of orders of magnitude can give samples beyond what a float
    holds (inf, or NaN from inf × 0): NumPy is kept from warning about them on stderr, and
    :func:`percentiles` refuses them."""
    import numpy as np

    values: list[Samples] = []
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        for step in steps:
            if step.op == "start":
                edges = edges_of(claim_percentiles)
                values.append(quantile(step.value, sampler.draws(claim), edges))
                continue
            inputs = [values[index] for index in step.inputs]
            if step.op == "add":
                total = inputs[0]
                for extra in inputs[1:]:
                    total = total + extra
                values.append(total)
                continue
            assert step.factor is not None
            key = step.factor_id or ""
            draws = sampler.draws(key) if key else None
            if draws is not None and step.falls_with_factor:
                draws = -draws  # a higher exponent, a smaller factor: the same exponent draw
            factor: Samples | float = (
                quantile(step.factor, draws) if draws is not None else (step.factor.mid)
            )
            values.append(inputs[0] * factor if step.op == "multiply" else inputs[0] / factor)
    return values


def percentiles(samples: Samples) -> Percentiles:
    """P5, P50 and P95 of ``samples`` (NumPy's default linear interpolation).

    Raises :class:`NonFiniteRange` when one of them is not a finite number (samples that
    overflowed): a percentile is never NaN or infinity."""
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):
        found = np.percentile(samples, PERCENTILES)
    p5, p50, p95 = (float(value) for value in found)
    if not (math.isfinite(p5) and math.isfinite(p50) and math.isfinite(p95)):
        raise NonFiniteRange(f"percentiles must be finite, got {(p5, p50, p95)}")
    return Percentiles(p5, p50, p95)


class Pool(Struct, frozen=True):
    """What the shown sources say together: a mixture of their samples.

    ``weights`` are by estimate id (normalised to sum to 1); ``by_method`` the weights
    asked for; ``description`` says which were used; ``caveats`` what a reader should
    know about what was mixed.
    """

    percentiles: Percentiles
    weights: dict[str, float]
    by_method: dict[str, float]
    description: str
    caveats: tuple[str, ...] = ()


def _pool_caveats(rows: Any) -> list[str]:
    """What a reader should know about what was mixed: rows shown at another boundary than
    the rest, and figures taken from a source another shown row comes from (the pool may
    count one measurement twice)."""
    caveats: list[str] = []
    elsewhere = [row.estimate.id for row in rows if row.boundary_differs]
    if elsewhere:
        said = report_("it mixes rows at another boundary (≠): {ids}")
        caveats.append(said.format(ids=", ".join(elsewhere)))
    shown_sources = {row.estimate.source for row in rows}
    repeats = []
    for row in rows:
        chain, own = row.estimate.chain, row.estimate.source
        origins = chain[chain.index(own) + 1 :] if own in chain else ()
        repeats += [
            f"{row.estimate.id} ← {origin}" for origin in origins if origin in shown_sources
        ]
    if repeats:
        said = report_(
            "it may count a figure twice (rows taken from a source other rows come from): {rows}"
        )
        caveats.append(said.format(rows=", ".join(repeats)))
    return caveats


class PoolBuilder:
    """Mixes the rows' per-clip samples as they are made, one row at a time: each sample
    position is drawn from one row, with probability ∝ the row's weight (its method's
    weight from ``by_method``, 1 if not named), and only the chosen row's sample at that
    position is kept. Memory holds one sample per position, whatever the number of rows;
    the rows' other samples can be dropped as soon as they are added.

    ``rows`` are in the order in which they are shown; which row each position takes is
    drawn from its own stream (seeded by ``(seed, 1)``), so the rows' draws are untouched
    and the pool is the same whatever the order in which rows are added.

    Raises :class:`UsageProblem` when every row weighs 0 (before any sampling).
    """

    def __init__(self, rows: Sequence[Any], by_method: dict[str, float], seed: int, samples: int):
        import numpy as np

        from soracost.core.errors import UsageProblem

        assert rows, "nothing to pool"
        weights = np.array([by_method.get(row.estimate.method, 1.0) for row in rows], dtype=float)
        if weights.max() <= 0:
            raise UsageProblem(_("--weights: every shown estimate weighs 0; nothing to pool"))
        weights = weights / weights.max()  # huge weights must not overflow their sum
        share = weights / weights.sum()
        rng = np.random.default_rng([seed, 1])  # its own stream: rows' draws untouched
        chosen = rng.choice(len(rows), size=samples, p=share)
        # The positions each row was chosen for, row by row: positions[starts[i]:starts[i+1]]
        self._positions = np.argsort(chosen, kind="stable")
        self._starts = np.searchsorted(chosen[self._positions], np.arange(len(rows) + 1))
        self._pooled: Samples = np.full(samples, np.nan)
        self._added = np.zeros(len(rows), dtype=bool)
        self._rows = list(rows)
        self._share = share
        self._by_method = dict(by_method)

    def add(self, index: int, samples: Samples) -> None:
        """Take row ``index``'s samples at the positions drawn for it."""
        at = self._positions[self._starts[index] : self._starts[index + 1]]
        self._pooled[at] = samples[at]
        self._added[index] = True

    def pool(self) -> Pool:
        """The mixture, once every row has been added."""
        assert self._added.all(), "a row was not added to the pool"
        rows, by_method = self._rows, self._by_method
        if by_method:
            named = ", ".join(f"{method}={weight:g}" for method, weight in by_method.items())
            description = report_("weights by method: {weights} (a method not named weighs 1)")
            description = description.format(weights=named)
            shown = {row.estimate.method for row in rows}
            unused = [method for method in by_method if method not in shown]
            if unused:
                description += report_("; no row shown is {methods}").format(
                    methods=report_(" or ").join(unused)
                )
        else:
            description = report_("every estimate weighs the same")
        return Pool(
            percentiles=percentiles(self._pooled),
            weights={row.estimate.id: float(w) for row, w in zip(rows, self._share, strict=True)},
            by_method=dict(by_method),
            description=description,
            caveats=tuple(_pool_caveats(rows)),
        )
