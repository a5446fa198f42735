"""Usage reports: the footprint of a log of generations, per period, service and site.

A row of a log costs what one clip of its service, resolution, duration and site costs,
times its count. The data layer (:mod:`soracost.data.usage_log`) aggregates the log by
those keys (and the period) with a query engine; here each distinct key's per-clip
footprint is computed once, with the same model and the same answer as ``soracost clip``
(:func:`soracost.core.reports.clip_report` and its :class:`~soracost.core.answer.Answer`),
and the groups are summed.

Units: energy in kWh (facility boundary, PUE included), water in m³ (on-site cooling +
off-site electricity generation, and each apart), carbon in kgCO2e (location-based),
durations and seconds of video in s.

Every figure is given as low/mid/high and as P5–P50–P95. Per clip these are the answer's
lowest, P50 and highest, and its P5, P50 and P95 (so mid = P50). A sum over clips adds
them: the uncertainty is which published source is right, shared by every clip of a key
and by every key alike (one source, if right, is right for all of them), so the figures
of different clips are taken as comonotonic, for which quantiles add. Independent errors
would give a narrower interval; adding quantiles never understates it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from msgspec import Struct, field
from msgspec.structs import replace

from soracost.core.answer import (
    DEFAULT_MAX_SCALE,
    LEFT_OUT_REASONS,
    Answer,
    LeftOutReason,
    answer_for,
)
from soracost.core.errors import DataError, UsageProblem
from soracost.core.footprint import ClipRequest, Derivation, Step, parse_resolution
from soracost.core.records import BOUNDARY_LABELS, Catalog, Source
from soracost.core.results import CARBON_NOTE, ResultRow, Scenario, Units
from soracost.core.services import Service, normalised
from soracost.i18n import (
    N_,
    _,
    count_text,
    ngettext,
    report_,
    report_count,
    report_n,
    report_number,
)

if TYPE_CHECKING:  # training is loaded only when asked for
    from soracost.core.training import TrainingRequest, TrainingShare

Period = Literal["day", "week", "month", "quarter", "year", "none"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "quarter", "year", "none")
DEFAULT_PERIOD: Period = "month"

Measure = Literal["energy", "water", "water_onsite", "water_offsite", "carbon"]
MEASURES: tuple[Measure, ...] = ("energy", "water", "water_onsite", "water_offsite", "carbon")
MEASURE_UNITS: dict[Measure, str] = {
    "energy": "kWh",
    "water": "m³",
    "water_onsite": "m³",
    "water_offsite": "m³",
    "carbon": "kgCO2e",
}
MEASURE_LABELS: dict[Measure, str] = {
    "energy": N_("energy (facility)"),
    "water": N_("water (on-site + off-site)"),
    "water_onsite": N_("water on-site (cooling)"),
    "water_offsite": N_("water off-site (electricity generation)"),
    "carbon": N_("carbon (location-based)"),
}
"""Each measure's label, in English (JSON's ``measures``); views show ``_(label)``."""

_UNITS = Units(energy="kWh", water="L", carbon="kgCO2e")
"""The model runs in these; water is then given in m³ (L ÷ 1000)."""
_LITRES_PER_M3 = 1000.0

BOUNDARY_NOTE = N_(
    "energy: at the facility boundary ({boundary}): each estimate lifted to whole-server "
    "energy with sourced overheads, times the site's PUE"
)
WATER_NOTE = N_(
    "water: consumption, on-site (cooling, the site's WUE × server energy) plus off-site "
    "(electricity generation, the site's EWIF × facility energy)"
)
EXCLUSIONS: tuple[tuple[str, str], ...] = (
    (N_("training"), N_("the energy to train the models (not asked for; Sora's is unknown)")),
    (N_("embodied"), N_("making the hardware and building the data centres (embodied emissions)")),
    (N_("network"), N_("moving prompts and videos over networks")),
    (N_("end-user devices"), N_("the devices that ask for, download and play the videos")),
)
"""What the report leaves out, always stated with it (English: :func:`report_exclusions`
gives them in the report's language)."""
BAD_ROW_KINDS: dict[str, str] = {
    "malformed": N_("malformed line"),
    "timestamp": N_("unreadable time"),
    "service": N_("no service"),
    "duration": N_("bad duration"),
    "resolution": N_("unknown resolution"),
    "count": N_("bad count"),
    "site": N_("unknown site"),
}
"""The kinds of bad row a log may have, as ``--skip-bad-rows`` counts them (the values in
English; views show ``_(value)``)."""
UNCERTAINTY_NOTE = N_(
    "per clip: low and high are the lowest and highest of the estimates that fed the "
    "answer, mid = P50 of their equal-weight mixture; sums add each figure (comonotonic: "
    "the uncertainty is which source is right, shared by every clip), so P5–P95 of a total "
    "is the sum of the P5s and the sum of the P95s"
)


def report_notes() -> tuple[str, ...]:
    """What the figures count, in the report's language (English for CSV and JSON:
    :func:`soracost.i18n.machine_output`)."""
    boundary = report_(BOUNDARY_LABELS["facility"])
    return (
        report_(BOUNDARY_NOTE).format(boundary=boundary),
        report_(WATER_NOTE),
        report_(CARBON_NOTE),
        report_(UNCERTAINTY_NOTE),
    )


def report_exclusions(training: str | None = None) -> tuple[tuple[str, str], ...]:
    """:data:`EXCLUSIONS` in the report's language; ``training``, when given, replaces
    the training's detail (a training share shown apart)."""
    return tuple(
        (
            report_(what),
            training if training is not None and what == "training" else report_(detail),
        )
        for what, detail in EXCLUSIONS
    )


def service_index(services: Mapping[str, Service]) -> dict[str, Service]:
    """Every name a log may use (normalised) to its service."""
    index: dict[str, Service] = {}
    for service in services.values():
        for name in (service.id, *service.names):
            index[normalised(name)] = service
    return index


class UsageGroup(Struct, frozen=True):
    """One group of a log's rows: the same period and key. ``service``, ``resolution`` and
    ``site`` are the log's text, normalised (``site`` '' where the log gives none);
    ``duration_s`` in seconds; ``clips`` is the sum of the rows' counts."""

    period: str
    service: str
    resolution: str
    duration_s: float
    site: str
    rows: int
    clips: int


class LogFile(Struct, frozen=True):
    """A file read: its path as given, its format and the SHA-256 of its bytes."""

    path: str
    format: str
    sha256: str


class UsageLog(Struct, frozen=True):
    """A log, aggregated: the groups, how many rows were read, and the rows skipped
    (``--skip-bad-rows``) by kind of problem."""

    files: tuple[LogFile, ...]
    period: Period
    groups: tuple[UsageGroup, ...]
    rows_read: int
    skipped: dict[str, int] = field(default_factory=dict)


class Figure(Struct, frozen=True):
    """A footprint in its measure's unit: low/mid/high and P5/P50/P95 (mid = P50)."""

    low: float
    mid: float
    high: float
    p5: float
    p50: float
    p95: float

    def times(self, factor: float) -> Figure:
        return Figure(*(value * factor for value in self.values()))

    def plus(self, other: Figure) -> Figure:
        return Figure(*(a + b for a, b in zip(self.values(), other.values(), strict=True)))

    def values(self) -> tuple[float, float, float, float, float, float]:
        return (self.low, self.mid, self.high, self.p5, self.p50, self.p95)

    @classmethod
    def of(cls, answer: Answer, factor: float = 1.0) -> Figure | None:
        if answer.p50 is None or answer.p5 is None or answer.p95 is None:
            return None
        assert answer.lowest is not None and answer.highest is not None
        return cls(
            answer.lowest * factor,
            answer.p50 * factor,
            answer.highest * factor,
            answer.p5 * factor,
            answer.p50 * factor,
            answer.p95 * factor,
        )


FIGURE_FIELDS = ("low", "mid", "high", "p5", "p50", "p95")
Figures = dict[Measure, "Figure | None"]


class KeyFootprint(Struct, frozen=True):
    """One distinct key's footprint per clip, and what it rests on.

    ``resolution`` is the log's text; ``width``/``height`` in pixels, ``duration_s`` in s.
    ``fed`` lists by measure the estimates behind its answer; ``evidence`` every source
    cited by them and by the factors their derivations used, and ``service_source`` the
    source of the service's mapping; ``methods`` each method class's share of the energy
    answer (its estimates weigh equally)."""

    service: str
    resolution: str
    width: int
    height: int
    duration_s: float
    site: str
    per_clip: Figures
    fed: dict[Measure, tuple[str, ...]]
    service_source: str
    evidence: tuple[str, ...]
    methods: dict[str, float]
    unanswered: tuple[LeftOutReason, ...] = ()
    """Why its energy has no answer, when it has none: the reasons its estimates were
    left out (far-scaled, other-boundary, same-measurement), each once."""

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source behind the figures: the mapping's, then the evidence's."""
        return (self.service_source, *(s for s in self.evidence if s != self.service_source))


class ReportLine(Struct, frozen=True):
    """A period's figures for one service at one site (``service``/``site`` '' on a total
    line). ``seconds`` of video; ``totals`` and ``per_second`` by measure (``None`` where
    some clip has no figure); ``methods``: each method class's share of the clips'
    energy answers; ``sources``: ids of every source behind the figures."""

    period: str
    service: str
    site: str
    rows: int
    clips: int
    seconds: float
    totals: Figures
    per_second: Figures
    methods: dict[str, float]
    sources: tuple[str, ...]


class LeftOutService(Struct, frozen=True):
    """A service the data does not map, left out with ``--leave-out-unknown``."""

    name: str
    rows: int
    clips: int


class UsageReport(Struct, frozen=True):
    """What ``soracost report`` shows, in every format."""

    catalog: Catalog
    log: UsageLog
    version: str
    lines: tuple[ReportLine, ...]
    period_totals: tuple[ReportLine, ...]
    total: ReportLine
    keys: tuple[KeyFootprint, ...]
    services: tuple[Service, ...]
    sources: tuple[Source, ...]
    left_out: tuple[LeftOutService, ...]
    max_scale: float
    default_site: str
    """The site of rows that name none (``--site``, else the data file's default)."""
    notes: tuple[str, ...] = field(default_factory=report_notes)
    exclusions: tuple[tuple[str, str], ...] = field(default_factory=report_exclusions)
    training: TrainingShare | None = None
    """The training share of the report's clips, in kWh, when asked for: shown apart,
    never added to the totals."""


class UnknownServices(DataError):
    """The log names services the data does not map (exit 1 unless left out)."""

    def __init__(self, unknown: Sequence[LeftOutService], file: str) -> None:
        listed = ", ".join(
            _("{name} ({rows})").format(
                name=repr(item.name),
                rows=ngettext("{n} row", "{n} rows", item.rows).format(n=count_text(item.rows)),
            )
            for item in unknown[:10]
        )
        if len(unknown) > 10:
            said = _(
                "unknown service(s): {listed} and {more} more; map them under 'services' in "
                "the data file, or add --leave-out-unknown to leave their rows out (the "
                "report says so)"
            )
        else:
            said = _(
                "unknown service(s): {listed}; map them under 'services' in the data file, "
                "or add --leave-out-unknown to leave their rows out (the report says so)"
            )
        super().__init__(said.format(listed=listed, more=count_text(len(unknown) - 10)), file=file)
        self.unknown = tuple(unknown)


KeyCheck = Callable[[str, str], str | None]


def key_problem(catalog: Catalog, default_site: str) -> KeyCheck:
    """A check of a log's ``(resolution, site)`` text: ``None`` if both are known, else
    the kind of problem (``resolution`` or ``site``). Used by the data layer to refuse or
    skip rows, which it can locate in the file."""

    def check(resolution: str, site: str) -> str | None:
        try:
            parse_resolution(resolution)
        except ValueError:
            return "resolution"
        if (site or default_site) not in catalog.sites:
            return "site"
        return None

    return check


def usage_report(
    catalog: Catalog,
    services: Mapping[str, Service],
    log: UsageLog,
    version: str,
    default_site: str,
    leave_out_unknown: bool = False,
    max_scale: float = DEFAULT_MAX_SCALE,
    progress: Callable[[int, int], None] | None = None,
    training: TrainingRequest | None = None,
) -> UsageReport:
    """The report of an aggregated log: each distinct key computed once, then summed per
    period × service × site, per period and in all; with ``training``, the clips' share
    of a training energy, apart. Raises :class:`UnknownServices` for services the data
    does not map unless ``leave_out_unknown``, :class:`UsageProblem` for more clips than
    the training's lifetime clips."""
    index = service_index(services)
    unknown: dict[str, list[int]] = {}
    groups: list[tuple[UsageGroup, Service, str]] = []
    for group in log.groups:
        service = index.get(group.service)
        if service is None:
            counts = unknown.setdefault(group.service, [0, 0])
            counts[0] += group.rows
            counts[1] += group.clips
            continue
        groups.append((group, service, group.site or default_site))
    left_out = tuple(
        LeftOutService(name, rows, clips) for name, (rows, clips) in sorted(unknown.items())
    )
    if left_out and not leave_out_unknown:
        raise UnknownServices(left_out, ", ".join(file.path for file in log.files))
    footprints = _key_footprints(catalog, groups, max_scale, progress)
    lines, period_totals, total = _lines(groups, footprints)
    used = {service.id: service for _group, service, _site in groups}
    cited = _cited(catalog, [line.sources for line in lines], used.values())
    share, exclusions = _training(catalog, training, total.clips)
    notes = report_notes() + _unanswered_note(groups, footprints, max_scale)
    return UsageReport(
        catalog=catalog,
        log=log,
        version=version,
        lines=lines,
        period_totals=period_totals,
        total=total,
        keys=tuple(footprints.values()),
        services=tuple(sorted(used.values(), key=lambda service: service.id)),
        sources=cited,
        left_out=left_out,
        max_scale=max_scale,
        default_site=default_site,
        exclusions=exclusions,
        training=share,
        notes=notes,
    )


def _unanswered_note(
    groups: Sequence[tuple[UsageGroup, Service, str]],
    footprints: Mapping[_Key, KeyFootprint],
    max_scale: float,
) -> tuple[str, ...]:
    """Why figures are n/a, when some are: which clips got no answer, and why (their
    services' estimates all left out, most often scaled too far from their own clip)."""
    missing: dict[str, int] = {}
    reasons: set[LeftOutReason] = set()
    for group, service, site in groups:
        footprint = footprints[_key_of(group, service, site)[0]]
        if footprint.per_clip["energy"] is None:
            what = report_("{service} at {resolution}, {duration} s").format(
                service=service.id,
                resolution=group.resolution,
                duration=report_number(f"{group.duration_s:g}"),
            )
            missing[what] = missing.get(what, 0) + group.clips
            reasons.update(footprint.unanswered)
    if not missing:
        return ()
    clips = sum(missing.values())
    said = report_n(
        "No answer for {n} clip ({which}): every estimate of its service was left out "
        "({reasons}), so the totals that include it are n/a; --max-scale takes estimates "
        "scaled further than ×{scale} from their own clip",
        "No answer for {n} clips ({which}): every estimate of their services was left out "
        "({reasons}), so the totals that include them are n/a; --max-scale takes estimates "
        "scaled further than ×{scale} from their own clip",
        clips,
    )
    return (
        said.format(
            n=report_count(clips),
            which=report_("; ").join(sorted(missing)),
            reasons=", ".join(
                report_(LEFT_OUT_REASONS[reason]).format(max_scale=report_number(f"{max_scale:g}"))
                for reason in sorted(reasons)
            )
            or report_("none given"),
            scale=report_number(f"{max_scale:g}"),
        ),
    )


def _training(
    catalog: Catalog, request: TrainingRequest | None, clips: int
) -> tuple[TrainingShare | None, tuple[tuple[str, str], ...]]:
    """The clips' training share (kWh) and the exclusions that go with it."""
    if request is None:
        return None, report_exclusions()
    from soracost.core.training import training_share

    lifetime = request.lifetime_clips
    if clips > lifetime:
        said = ngettext(
            "the log has {n} clip, more than --lifetime-clips {lifetime}: they cannot share "
            "more than the whole training energy",
            "the log has {n} clips, more than --lifetime-clips {lifetime}: they cannot share "
            "more than the whole training energy",
            clips,
        )
        raise UsageProblem(said.format(n=count_text(clips), lifetime=count_text(lifetime)))
    share = training_share(request, _UNITS.energy, max(clips, 1))
    detail = report_n(
        "shown apart, never added to the totals: {what}, shared over {n} lifetime clip",
        "shown apart, never added to the totals: {what}, shared over {n} lifetime clips",
        lifetime,
    ).format(what=request.label, n=report_count(lifetime))
    return share, report_exclusions(detail)


_Key = tuple[str, int, int, float, str]
"""A footprint's key: service id, width, height, duration in s, site id."""


def _key_of(group: UsageGroup, service: Service, site: str) -> tuple[_Key, str]:
    width, height = parse_resolution(group.resolution)  # checked by the data layer
    return (service.id, width, height, group.duration_s, site), group.resolution


def _key_footprints(
    catalog: Catalog,
    groups: Sequence[tuple[UsageGroup, Service, str]],
    max_scale: float,
    progress: Callable[[int, int], None] | None,
) -> dict[_Key, KeyFootprint]:
    wanted: dict[_Key, tuple[Service, str]] = {}
    for group, service, site in groups:
        key, resolution = _key_of(group, service, site)
        wanted.setdefault(key, (service, resolution))
    found: dict[_Key, KeyFootprint] = {}
    # Services that name the same estimates (sora-2 and sora-2-pro) share the model's
    # work: a footprint depends on the selection, not on the service's name.
    by_selection: dict[tuple[str | None, tuple[str, ...], int, int, float, str], KeyFootprint] = {}
    for done, (key, (service, resolution)) in enumerate(wanted.items(), start=1):
        selection = (service.model, service.ids, *key[1:])
        shared = by_selection.get(selection)
        if shared is None:
            shared = key_footprint(catalog, service, resolution, key[3], key[4], max_scale)
            by_selection[selection] = shared
        found[key] = _for_service(shared, service, resolution)
        if progress is not None:
            progress(done, len(wanted))
    return found


def _for_service(footprint: KeyFootprint, service: Service, resolution: str) -> KeyFootprint:
    """A footprint computed for another service of the same selection, as this one's: its
    mapping's source first."""
    if footprint.service == service.id:
        return footprint
    return replace(
        footprint, service=service.id, resolution=resolution, service_source=service.source
    )


def key_footprint(
    catalog: Catalog,
    service: Service,
    resolution: str,
    duration_s: float,
    site: str,
    max_scale: float = DEFAULT_MAX_SCALE,
) -> KeyFootprint:
    """One clip's footprint for a key: the answer of ``soracost clip --model MODEL
    --duration D --resolution R --site S --carbon`` for one clip (``--estimate ID`` for
    each of the service's ids instead of ``--model``), in the report's units."""
    from soracost.core.reports import clip_report

    width, height = parse_resolution(resolution)
    scenario = Scenario(
        count=1,
        units=_UNITS,
        quantities=("energy", "water", "carbon"),
        request=ClipRequest(duration_s=duration_s, width=width, height=height),
        site=site,
        model=service.model,
        estimates=service.ids,
    )
    report = clip_report(catalog, scenario, max_scale=max_scale)
    answers = report.answers
    per_clip: Figures = {
        "energy": Figure.of(answers["energy"]),
        "water": Figure.of(answers["water"], 1 / _LITRES_PER_M3),
        "carbon": Figure.of(answers["carbon"]),
    }
    fed: dict[Measure, tuple[str, ...]] = {
        "energy": answers["energy"].fed,
        "water": answers["water"].fed,
        "carbon": answers["carbon"].fed,
    }
    on_site, off_site = _water_split(report.rows, answers["water"], max_scale)
    per_clip["water_onsite"] = on_site
    per_clip["water_offsite"] = off_site
    fed["water_onsite"] = fed["water_offsite"] = fed["water"] if on_site is not None else ()
    rows = [row for row in report.rows if row.estimate.id in fed.get(_measure(row.quantity), ())]
    return KeyFootprint(
        service=service.id,
        resolution=resolution,
        width=width,
        height=height,
        duration_s=duration_s,
        site=site,
        per_clip={measure: per_clip[measure] for measure in MEASURES},
        fed=fed,
        service_source=service.source,
        evidence=_sources_of(rows),
        methods=_methods(report.rows, fed["energy"]),
        unanswered=()
        if per_clip["energy"] is not None
        else tuple(sorted({left.reason for left in answers["energy"].left_out})),
    )


def _measure(quantity: str) -> Measure:
    return "energy" if quantity == "energy" else "water" if quantity == "water" else "carbon"


def _water_split(
    rows: Sequence[ResultRow], water: Answer, max_scale: float
) -> tuple[Figure | None, Figure | None]:
    """The water answer's on-site and off-site parts: the same fed rows, each taking its
    on-site (then off-site) water as its figure, pooled the same way. ``None`` when a fed
    row's water was published whole (no split)."""
    fed = [row for row in rows if row.quantity == "water" and row.estimate.id in water.fed]
    if not fed or any(row.derivation.water_split is None for row in fed):
        return None, None
    parts: list[Figure | None] = []
    for position in (0, 1):
        replaced = [_with_per_clip(row, position) for row in fed]
        parts.append(Figure.of(answer_for(replaced, "water", 1, max_scale), 1 / _LITRES_PER_M3))
    return parts[0], parts[1]


def _with_per_clip(row: ResultRow, position: int) -> ResultRow:
    split = row.derivation.water_split
    assert split is not None
    value = split[position]
    step = Step(
        kind="water",
        label="part",
        op="start",
        inputs=(),
        value=value,
        unit=row.unit,
        roles=("per_clip", "batch"),
    )
    derivation: Derivation = replace(row.derivation, steps=(step,))
    return replace(row, derivation=derivation)


def _sources_of(rows: Iterable[ResultRow]) -> tuple[str, ...]:
    """Each fed row's source, chain and the sources of the factors its steps used, in
    first-met order."""
    seen: dict[str, None] = {}
    for row in rows:
        seen[row.estimate.source] = None
        for link in row.estimate.chain:
            seen[link] = None
        for step in row.derivation.steps:
            if step.source_id:
                seen[step.source_id] = None
    return tuple(seen)


def _methods(rows: Sequence[ResultRow], fed: Sequence[str]) -> dict[str, float]:
    """Each method class's share of an answer whose estimates weigh equally."""
    if not fed:
        return {}
    methods = {row.estimate.id: row.estimate.method for row in rows}
    shares: dict[str, float] = {}
    for estimate_id in fed:
        method = methods[estimate_id]
        shares[method] = shares.get(method, 0.0) + 1 / len(fed)
    return shares


class _Sum(Struct):
    """A running sum of groups (rows, clips, seconds, figures, method weights)."""

    rows: int = 0
    clips: int = 0
    seconds: float = 0.0
    totals: dict[Measure, Figure | None] = field(default_factory=dict)
    methods: dict[str, float] = field(default_factory=dict)
    sources: dict[str, None] = field(default_factory=dict)

    def add(self, group: UsageGroup, footprint: KeyFootprint) -> None:
        first = not self.totals  # nothing added yet (a group may hold 0 rows: a split one)
        self.rows += group.rows
        self.clips += group.clips
        self.seconds += group.clips * group.duration_s
        for measure in MEASURES:
            per_clip = footprint.per_clip[measure]
            figure = None if per_clip is None else per_clip.times(group.clips)
            if first:
                self.totals[measure] = figure
            else:
                previous = self.totals[measure]
                self.totals[measure] = (
                    None if previous is None or figure is None else previous.plus(figure)
                )
        for method, share in footprint.methods.items():
            self.methods[method] = self.methods.get(method, 0.0) + share * group.clips
        for source in footprint.sources:
            self.sources[source] = None

    def merge(self, other: _Sum) -> None:
        first = not self.totals
        self.rows += other.rows
        self.clips += other.clips
        self.seconds += other.seconds
        for measure in MEASURES:
            theirs = other.totals.get(measure)
            if first:
                self.totals[measure] = theirs
            else:
                mine = self.totals.get(measure)
                self.totals[measure] = None if mine is None or theirs is None else mine.plus(theirs)
        for method, weight in other.methods.items():
            self.methods[method] = self.methods.get(method, 0.0) + weight
        self.sources.update(other.sources)

    def line(self, period: str, service: str, site: str) -> ReportLine:
        per_second: Figures = {
            measure: (
                None if figure is None or not self.seconds > 0 else figure.times(1 / self.seconds)
            )
            for measure, figure in self.totals.items()
        }
        clips = self.clips or 1
        return ReportLine(
            period=period,
            service=service,
            site=site,
            rows=self.rows,
            clips=self.clips,
            seconds=self.seconds,
            totals={measure: self.totals.get(measure) for measure in MEASURES},
            per_second={measure: per_second.get(measure) for measure in MEASURES},
            methods={method: weight / clips for method, weight in sorted(self.methods.items())},
            sources=tuple(self.sources),
        )


def _lines(
    groups: Sequence[tuple[UsageGroup, Service, str]], footprints: Mapping[_Key, KeyFootprint]
) -> tuple[tuple[ReportLine, ...], tuple[ReportLine, ...], ReportLine]:
    """The lines per period × service × site (sorted), per period, and the grand total."""
    by_line: dict[tuple[str, str, str], _Sum] = {}
    for group, service, site in groups:
        key, _resolution = _key_of(group, service, site)
        by_line.setdefault((group.period, service.id, site), _Sum()).add(group, footprints[key])
    lines: list[ReportLine] = []
    by_period: dict[str, _Sum] = {}
    total = _Sum()
    for (period, service_id, site), running in sorted(by_line.items()):
        lines.append(running.line(period, service_id, site))
        by_period.setdefault(period, _Sum()).merge(running)
        total.merge(running)
    period_totals = tuple(running.line(period, "", "") for period, running in by_period.items())
    return tuple(lines), period_totals, total.line("", "", "")


def _cited(
    catalog: Catalog, line_sources: Iterable[Sequence[str]], services: Iterable[Service]
) -> tuple[Source, ...]:
    seen: dict[str, None] = {}
    for service in services:
        seen[service.source] = None
    for sources in line_sources:
        for source in sources:
            seen[source] = None
    return tuple(catalog.sources[source] for source in seen if source in catalog.sources)


def per_second_unit(measure: Measure) -> str:
    """The unit of a per-second-of-video figure, e.g. ``kWh/s``."""
    return f"{MEASURE_UNITS[measure]}/s"


def group_footprints(report: UsageReport) -> list[tuple[UsageGroup, KeyFootprint]]:
    """Each group of the report's log with the footprint it got (groups of services left
    out are not listed)."""
    index = service_index({service.id: service for service in report.services})
    by_key = {
        (key.service, key.width, key.height, key.duration_s, key.site): key for key in report.keys
    }
    found: list[tuple[UsageGroup, KeyFootprint]] = []
    for group in report.log.groups:
        service = index.get(group.service)
        if service is not None:
            key, _resolution = _key_of(group, service, group.site or report.default_site)
            found.append((group, by_key[key]))
    return found
