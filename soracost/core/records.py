"""Typed, immutable records of a catalogue: sources, estimates and the clips they apply to.

These are plain data; ``catalog.py`` builds them from a validated data file. Every
estimate names the source it came from, so no number in soracost is without one.
"""

from __future__ import annotations

from typing import Literal

from msgspec import Struct, field

from soracost.core.ranges import Range
from soracost.core.units import Quantity
from soracost.i18n import N_

Boundary = Literal["gpu", "gpu+cpu+ram", "server", "facility", "unknown"]
BOUNDARIES: tuple[Boundary, ...] = ("gpu", "gpu+cpu+ram", "server", "facility", "unknown")
BOUNDARY_LABELS: dict[Boundary, str] = {
    "gpu": "GPU only",
    "gpu+cpu+ram": "GPU+CPU+RAM",
    "server": "whole server",
    "facility": "facility (incl. PUE)",
    "unknown": "unknown",
}

Method = Literal["measured", "modelled", "disclosed", "back-of-envelope"]
METHODS: tuple[Method, ...] = ("measured", "modelled", "disclosed", "back-of-envelope")

Confidence = Literal["confirmed", "partial", "unconfirmed"]
CONFIDENCES: tuple[Confidence, ...] = ("confirmed", "partial", "unconfirmed")

Fill = Literal["single-figure", "geometric-mean", "midpoint"]
FILLS: dict[Fill, str] = {
    "single-figure": N_("the source gives one figure; low, mid and high are all set to it"),
    "geometric-mean": N_(
        "the source gives a range; mid is set to the geometric mean of low and high"
    ),
    "midpoint": N_(
        "the source gives a range; mid is set to the arithmetic midpoint of low and high"
    ),
}
"""How the cases a source did not publish were set; every value says which rule it used."""

CASES = ("low", "mid", "high")
CITATION_FIELDS = ("publisher", "title", "authors", "date", "url")


class Source(Struct, frozen=True):
    """A publication: a paper, article, blog post, data set or leaderboard.

    ``gaps`` maps each citation field left empty to the reason it is empty;
    ``unconfirmed`` maps each field given but not confirmed in the original to why.
    """

    id: str
    publisher: str
    title: str | None
    authors: tuple[str, ...] | None
    date: str | None
    url: str | None
    kind: str
    confidence: Confidence
    line: int
    gaps: dict[str, str] = field(default_factory=dict)
    unconfirmed: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    @property
    def short_citation(self) -> str:
        """Publisher, first author (et al.), date and title: a citation for one line."""
        parts = [self.publisher]
        if self.authors:
            parts.append(self.authors[0] + (" et al" if len(self.authors) > 1 else ""))
        parts.append(self.date or "undated")
        if self.title:
            parts.append(f"“{self.title}”")
        return ". ".join(parts)

    @property
    def citation(self) -> str:
        """A one-line human citation: publisher, authors, date, title."""
        parts = [self.publisher]
        if self.authors:
            parts.append(", ".join(self.authors))
        parts.append(self.date or "undated")
        if self.title:
            parts.append(f"“{self.title}”")
        return ". ".join(parts)


class Clip(Struct, frozen=True):
    """The clip a figure was measured or modelled for; ``None`` where unknown.

    Units: ``duration_s`` in seconds, ``width``/``height`` in pixels, ``fps`` in frames
    per second, ``steps`` in denoising steps.
    """

    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    frames: int | None = None
    fps: float | None = None
    steps: int | None = None

    def describe(self) -> str:
        """A compact description such as ``1280×720, 81 frames, 5.4 s``; '' if unknown."""
        parts = []
        if self.width and self.height:
            parts.append(f"{self.width}×{self.height}")
        if self.frames:
            parts.append(f"{self.frames} frame{'s' if self.frames != 1 else ''}")
        if self.duration_s:
            parts.append(f"{self.duration_s:g} s")
        if self.fps and not (self.frames and self.duration_s):  # else fps adds nothing
            parts.append(f"{self.fps:g} fps")
        if self.steps:
            parts.append(f"{self.steps} steps")
        return ", ".join(parts)


class Closure(Struct, frozen=True):
    """A service that no longer runs: ``what`` closed, on ``date`` (ISO, ``YYYY-MM-DD``
    or shorter), as the source with id ``source`` says. Shown with every row that models
    that service, so that a figure for a closed service is never read as a current one."""

    date: str
    what: str
    source: str


class AppliesTo(Struct, frozen=True):
    """What an estimate is about: the model, whether it stands in for Sora, and the clip."""

    model: str
    sora_proxy: bool
    clip: Clip
    hardware: str | None = None
    models_sora: bool = False
    """The figure is a model of Sora itself (EcoLogits' model of OpenAI's API, or a paper's,
    ``models_sora: true`` in a data file), not a measurement and not another model standing
    in for it."""
    closed: Closure | None = None
    """The service the figure is of has closed (``closed:`` in a data file); ``None`` if
    it still runs or nothing says otherwise."""


class SideFigure(Struct, frozen=True):
    """Another quantity the same source computed for the same clip (EcoLogits gives
    energy, water and carbon at once): shown as published, not derived by soracost.

    ``values`` is in ``unit``; ``published`` keeps the cases as the source gave them.
    """

    values: Range
    unit: str
    published: dict[str, str]
    note: str | None = None


class Sourced(Struct, frozen=True, kw_only=True):
    """What every figure that cites a source shares (an estimate, a factor, an equivalent,
    a training energy), declared once: the figure as published, where it comes from and
    how sure we are of it.

    ``published`` keeps each case exactly as the source wrote it, and ``fill`` says how
    the cases the source did not publish were set. ``chain`` lists the sources from the
    outermost report to the origin of the figure; ``see_also`` lists supporting sources,
    such as the data set the cases came from. ``unconfirmed`` maps each field given but
    not confirmed in the original to why; ``line`` is where the entry starts in its data
    file (0 for a figure computed at run time).

    Keyword-only, so that a record's own fields, with or without defaults, may follow.
    """

    published: dict[str, str]
    fill: Fill | None
    cases_note: str | None
    source: str
    chain: tuple[str, ...]
    see_also: tuple[str, ...]
    claim: str
    confidence: Confidence
    line: int
    unconfirmed: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def cites(self, source_id: str) -> bool:
        """Whether the figure names ``source_id`` as its source, in its chain or to see."""
        return source_id == self.source or source_id in self.chain or source_id in self.see_also


class Estimate(Sourced, frozen=True):
    """One published figure of energy or water per clip, with its origin and limits.

    ``values`` is in ``unit``; where it comes from is :class:`Sourced`'s.
    """

    id: str
    quantity: Quantity
    values: Range
    unit: str
    applies_to: AppliesTo
    boundary: Boundary
    method: Method
    side: dict[Quantity, SideFigure] = field(default_factory=dict)
    """Water or carbon the source computed alongside its energy (live sources only)."""
    notes: tuple[str, ...] = ()
    """Remarks to show on every row of the estimate (a live source's warnings)."""
    own_pue: Range | None = None
    """The PUE inside a facility figure, when its source says (a live source): used to
    get back to server energy instead of the site's PUE."""
    cases_percentiles: tuple[float, float] = (5.0, 95.0)
    """The percentiles that low and high stand for when Monte Carlo samples the figure:
    P5 and P95 unless the source says otherwise (EcoLogits' min and max are P2.5 and
    P97.5)."""


FactorKind = Literal[
    "resolution-exponent", "frames-exponent", "server-overhead", "pue", "wue-onsite",
    "ewif-offsite", "carbon-intensity",
]  # fmt: skip
FACTOR_KINDS: dict[FactorKind, str] = {
    "resolution-exponent": "energy grows as (pixels per frame ratio) to this power",
    "frames-exponent": "energy grows as (frame count ratio) to this power",
    "server-overhead": "whole-server energy over the energy a narrower boundary measured",
    "pue": "power usage effectiveness: facility energy over IT (server) energy",
    "wue-onsite": "on-site water consumed per unit of IT energy (cooling), L/kWh",
    "ewif-offsite": "off-site water consumed per unit of electricity generated, L/kWh",
    "carbon-intensity": "location-based grid emissions per unit of electricity, gCO2e/kWh",
}
"""What each kind of factor means; a factor's ``unit`` is '' (a pure number), L/kWh or
gCO2e/kWh."""

SITE_FACTORS: tuple[FactorKind, ...] = ("pue", "wue-onsite", "ewif-offsite")
"""The three factors every site names, in the order the water formula uses them."""

OPTIONAL_SITE_FACTORS: tuple[FactorKind, ...] = ("carbon-intensity",)
"""Factors a site may name: without a grid carbon intensity it gives no carbon figure."""

FACTOR_CEILINGS: dict[FactorKind, float] = {
    "resolution-exponent": 4,
    "frames-exponent": 4,
    "server-overhead": 10,
    "pue": 5,
    "wue-onsite": 100,
    "ewif-offsite": 100,
    "carbon-intensity": 2000,
}
"""Upper bounds far above any published value (PUE ≈ 1.1–2, water < 10 L/kWh, a coal
grid ≈ 1,000 gCO2e/kWh), in the model's units (see :data:`FACTOR_KINDS`): a figure
beyond them is a typo, and would otherwise overflow later, far from where it was given.
The catalogue (soracost.data.factor_loader) and the user's factors
(soracost.core.user_factors, which still exports it) share them. Here beside the kinds
rather than in user_factors, which the catalogue's loader, imported on every run, would
otherwise import (with its record class) for this table alone: 4.0 M instructions of
`clip --count 10`, 4.1 M of `sources check`, 4.4 M of `clip -f json` (callgrind, whole
process, PYTHONHASHSEED=0)."""


class Factor(Sourced, frozen=True):
    """A sourced number the model multiplies by: a scaling exponent, an overhead, a PUE,
    a water intensity. ``values`` is in ``unit`` ('' for pure numbers, else L/kWh).

    ``converts_from`` is set for ``server-overhead`` factors: the boundary they lift to
    whole-server energy (``gpu`` or ``gpu+cpu+ram``).
    """

    id: str
    kind: FactorKind
    values: Range
    unit: str
    method: Method
    converts_from: Boundary | None = None
    accounting: Accounting | None = None
    """Set for carbon intensities only."""


Accounting = Literal["location-based", "market-based"]
ACCOUNTINGS: tuple[Accounting, ...] = ("location-based", "market-based")
"""How a carbon intensity counts emissions: the grid's average where the electricity is
used (location-based), or net of the clean energy an operator buys (market-based)."""


USER_SOURCE_ID = "user-supplied"
"""The source of every factor the user supplies for a run (--pue, --site-file…)."""

SiteKind = Literal["location", "provider"]
SITE_KINDS: tuple[SiteKind, ...] = ("location", "provider")


class Site(Struct, frozen=True):
    """Where clips are generated: a location or a provider profile, with its PUE, on-site
    WUE and off-site EWIF factors, and optionally its grid carbon intensity (by id)."""

    id: str
    name: str
    kind: SiteKind
    factors: dict[FactorKind, str]
    line: int
    default: bool = False
    note: str | None = None
    aliases: tuple[str, ...] = ()
    """Former ids that still name the site (a renamed site keeps its old id working)."""
    user_supplied: tuple[FactorKind, ...] = ()
    """The factors the user supplied for this run (--pue…, --site-file), not a source."""


class Catalog(Struct, frozen=True):
    """A validated data file: its sources and estimates, and where it came from."""

    path: str
    sha256: str
    sources: dict[str, Source]
    estimates: tuple[Estimate, ...]
    title: str | None = None
    factors: dict[str, Factor] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    equivalents: dict[str, Equivalent] = field(default_factory=dict)
    training: dict[str, TrainingRecord] = field(default_factory=dict)
    embodied: dict[str, EmbodiedFactor] = field(default_factory=dict)
    """The hardware life-cycle figures behind ``--embodied`` (see core.embodied)."""

    @property
    def default_site(self) -> Site | None:
        """The site used when none is chosen (exactly one is marked default, if any)."""
        return next((site for site in self.sites.values() if site.default), None)

    def factor_of_kind(self, kind: FactorKind, converts_from: str | None = None) -> Factor | None:
        """The catalogue's one factor of ``kind`` (for overheads: from that boundary)."""
        return next(
            (
                factor
                for factor in self.factors.values()
                if factor.kind == kind and factor.converts_from == converts_from
            ),
            None,
        )

    def site_factor(self, site: Site, kind: FactorKind) -> Factor:
        """One of a site's three factors (guaranteed to exist by validation)."""
        return self.factors[site.factors[kind]]

    def optional_site_factor(self, site: Site, kind: FactorKind) -> Factor | None:
        """A factor a site may name (its carbon intensity), or ``None``."""
        factor_id = site.factors.get(kind)
        return self.factors[factor_id] if factor_id is not None else None

    def source_of(self, estimate: Estimate) -> Source:
        """The source an estimate cites (guaranteed to exist by validation)."""
        return self.sources[estimate.source]

    def estimates_citing(self, source_id: str) -> list[Estimate]:
        """Estimates that cite ``source_id`` directly or anywhere in their chain."""
        return [estimate for estimate in self.estimates if estimate.cites(source_id)]

    def others_citing(self, source_id: str) -> list[Equivalent | TrainingRecord | EmbodiedFactor]:
        """Equivalents, training and embodied records that cite ``source_id`` anywhere."""
        records: list[Equivalent | TrainingRecord | EmbodiedFactor] = [
            *self.equivalents.values(),
            *self.training.values(),
            *self.embodied.values(),
        ]
        return [record for record in records if record.cites(source_id)]

    def factors_citing(self, source_id: str) -> list[Factor]:
        """Factors that cite ``source_id`` directly or anywhere in their chain."""
        return [factor for factor in self.factors.values() if factor.cites(source_id)]


class Equivalent(Sourced, frozen=True):
    """An everyday comparison: how much energy, water or carbon (``basis``) one of
    something takes, such as a minute of a large TV or a 500 mL bottle.

    ``amount`` is per one ``counts`` (a unit such as ``min`` or ``km``, or a noun such as
    ``charges``), in ``amount_unit`` (Wh, L or gCO2e). ``published`` keeps the source's
    figures as written; ``per`` says how much of ``counts`` they are for, when not one
    (CNET's "90 Wh" for "37 min" of TV).
    """

    id: str
    name: str
    counts: str
    basis: Quantity
    amount: Range
    amount_unit: str
    per: str | None


class TrainingRecord(Sourced, frozen=True):
    """A published figure of the energy used to train a model (never Sora's: unknown).

    ``values`` is in ``unit``; ``published`` keeps each case as the source wrote it.
    """

    id: str
    model: str
    values: Range
    unit: str
    method: Method


EmbodiedKind = Literal["server", "accelerator", "lifetime", "power"]
EMBODIED_KINDS: dict[EmbodiedKind, str] = {
    "server": "manufacturing emissions of the base server, without its accelerators (kgCO2e)",
    "accelerator": "manufacturing emissions of one accelerator (kgCO2e); 'count' per server",
    "lifetime": "how long the hardware is used before it is replaced (a duration)",
    "power": "the whole server's power while it generates (W), to turn energy into time",
}
"""The parts of an embodied-carbon estimate: what the hardware's manufacture emitted, and
what spreads it over the clips the hardware makes in its life."""


class EmbodiedFactor(Sourced, frozen=True):
    """One sourced figure of the hardware whose manufacture ``--embodied`` shares per clip.

    ``values`` is in ``unit`` (kgCO2e for ``server`` and ``accelerator``, a duration for
    ``lifetime``, a power for ``power``); ``count`` is how many of the part one server
    holds (its accelerators; 1 for the others); ``hardware`` names the configuration.
    """

    id: str
    kind: EmbodiedKind
    hardware: str
    values: Range
    unit: str
    method: Method
    count: int = 1
