"""The catalogue's listings: ``soracost sites`` and ``soracost sources``, one line per
record or (``--wide``) one block per record."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from soracost.core.records import (
    OPTIONAL_SITE_FACTORS,
    SITE_FACTORS,
    Catalog,
    EmbodiedFactor,
    Equivalent,
    Estimate,
    Source,
)
from soracost.i18n import N_, _, count_text, ngettext
from soracost.views import compact
from soracost.views.common import MISSING, Footnotes, citation, column_header, title_text
from soracost.views.display import format_number, format_range
from soracost.views.links import WholeUrls, url_text
from soracost.views.prose import Prose, prose
from soracost.views.text import shown


def sites_view(catalog: Catalog, *, wide: bool = False) -> RenderableType:
    """The ``sites`` listing: one line per site (see :func:`_sites_compact`), or, ``wide``,
    each factor's range and each site's full name and note."""
    return _sites_wide(catalog) if wide else _sites_compact(catalog)


_SITE_FACTOR_HEADERS: tuple[tuple[str, str], ...] = (
    ("PUE", ""),
    (N_("WUE\non-site"), "L/kWh"),
    (N_("EWIF\noff-site"), "L/kWh"),
    (N_("Grid\ncarbon"), "gCO2e/kWh"),
)
"""The header of each site factor's column (the kinds of SITE_FACTORS, then
OPTIONAL_SITE_FACTORS, in order), on three lines: narrow enough for the sites' names to
keep a few words at 80 columns."""


def _sites_compact(catalog: Catalog) -> RenderableType:
    """One line per site: its id (whole), name (cut after a whole word, with an ellipsis,
    on a narrow terminal) and the mid of each factor with the number of its source, then
    the sources. The default site is marked; --wide gives the ranges and notes."""
    footnotes = Footnotes()
    sites = list(catalog.sites.values())
    columns = [
        compact.Column(
            column_header(_("Site")),
            [Text(shown(site.id) + ("*" if site.default else ""), style="bold") for site in sites],
        ),
        compact.Column(
            column_header(_("Name")), [Text(_short_name(site.name)) for site in sites],
            role="applies", words=True,
        ),
    ]  # fmt: skip
    for expendable, (kind, (title, unit)) in enumerate(
        zip((*SITE_FACTORS, *OPTIONAL_SITE_FACTORS), _SITE_FACTOR_HEADERS, strict=True)
    ):
        cells = []
        for site in sites:
            factor = catalog.optional_site_factor(site, kind)
            if factor is None:
                cells.append(MISSING.copy())
                continue
            cell = Text(format_number(factor.values.mid))
            cell.append(f" {footnotes.mark(catalog.sources[factor.source])}", style="dim")
            cells.append(cell)
        header = column_header(*_(title).split("\n"), unit) if unit else column_header(title)
        # On a very narrow terminal the factors after the PUE (position 0: never) are left
        # out, the last first, rather than the ids cut: a cut id is no --site value.
        columns.append(compact.Column(header, cells, justify="right", expendable=expendable))
    default = next((site.id for site in sites if site.default), None)
    hint = _(
        "Mid values, rounded to 3 significant figures; carbon is location-based. --wide "
        "shows each factor's range and each site's note; --format json all of it."
    )
    parts: list[RenderableType] = [
        title_text(_("Sites for --site: PUE, water factors and grid carbon intensity")),
        compact.CompactTable(columns),
    ]
    if default is not None:
        parts.append(prose(Text(_("* the default site, when --site is not given."), style="dim")))
    parts += [prose(Text(hint, style="dim")), Text("\n" + _("Sources"), style="bold")]
    parts.append(footnotes.legend())
    return Group(*parts)


def _short_name(name: str) -> str:
    """A site's name without what follows its first bracket (the sources of its factors,
    which the listing numbers): 'Arizona, USA (Li et al., Table 1; …)' gives 'Arizona,
    USA'."""
    return shown(name.split(" (", 1)[0].strip() or name)


_SITE_FACTOR_LABELS: tuple[tuple[str, str], ...] = (
    ("PUE", ""),
    (N_("WUE on-site"), "L/kWh"),
    (N_("EWIF off-site"), "L/kWh"),
    (N_("grid carbon"), "gCO2e/kWh"),
)
"""Each site factor's name and unit in ``sites --wide`` (the kinds of SITE_FACTORS, then
OPTIONAL_SITE_FACTORS, in order)."""


def _indented(text: Text) -> RenderableType:
    """A paragraph of a ``--wide`` listing's block: indented by two, wrapped at plain
    spaces only (:class:`~soracost.views.prose.Prose`)."""
    return Padding(Prose(text), (0, 0, 0, 2))


def _sites_wide(catalog: Catalog) -> RenderableType:
    """The detailed ``sites`` listing, one block per site: its id, full name, each factor
    (mid, low – high, unit and the number of its source) and its note. Blocks rather than
    a table: the names and notes are paragraphs, which a narrow column cut into a word or
    two a line. A factor's words are joined by no-break spaces, so a line ends between two
    factors (:class:`~soracost.views.prose.Prose` wraps at plain spaces only)."""
    footnotes = Footnotes()
    parts: list[RenderableType] = [
        title_text(_("Sites for --site: PUE, water factors and grid carbon intensity"))
    ]

    for site in catalog.sites.values():
        head = Text(shown(site.id), style="bold")
        if site.default:
            head.append(_(" (default)"))
        factors = Text()
        for kind, (label, unit) in zip(
            (*SITE_FACTORS, *OPTIONAL_SITE_FACTORS), _SITE_FACTOR_LABELS, strict=True
        ):
            factor = catalog.optional_site_factor(site, kind)
            if factors.plain:
                factors.append(" · ")
            if factor is None:
                factors.append(f"{_(label)} ").append_text(MISSING.copy())
                continue
            low, mid, high = format_range(*factor.values)
            said = f"{_(label)} {mid}"
            if factor.values.low != factor.values.high:
                said += f" ({low} – {high})"
            if unit:
                said += f" {unit}"
            factors.append(said.replace(" ", "\u00a0"))
            mark = footnotes.mark(catalog.sources[factor.source])
            factors.append(f"\u00a0{mark}", style="dim")
        parts += [Text(""), head, _indented(Text(shown(site.name))), _indented(factors)]
        if site.note:
            parts.append(_indented(Text(shown(site.note), style="dim")))
    caption = _(
        "rounded to 3 significant figures; --format json keeps them as published; "
        "carbon is location-based"
    )
    parts += [Text(""), prose(Text(caption, style="dim"))]
    return Group(*parts, Text("\n" + _("Sources"), style="bold"), footnotes.legend())


def _role(estimate: Estimate, source: Source) -> str:
    """How an estimate uses a source: its own (''), reported in its chain, or data."""
    if estimate.source == source.id:
        return ""
    return _(" (in chain)") if source.id in estimate.chain else _(" (data)")


def sources_view(catalog: Catalog, *, wide: bool = False) -> RenderableType:
    """The ``sources`` listing: one line per source (see :func:`_sources_compact`), or,
    ``wide``, each source's full citation, URL, gaps and every record it covers."""
    return _sources_wide(catalog) if wide else _sources_compact(catalog)


_SOURCES_HINT = Text(
    _(
        "--wide shows each source's full citation, URL, what is not known and every record "
        "it covers; --format json all of it."
    ),
    style="dim",
)


def _covered(catalog: Catalog, source: Source) -> int:
    """How many records (estimates, factors, equivalents…) cite ``source``."""
    return (
        len(catalog.estimates_citing(source.id))
        + len(catalog.factors_citing(source.id))
        + len(catalog.others_citing(source.id))
    )


def _sources_compact(catalog: Catalog) -> RenderableType:
    """One line per source, at any width (the layout of :mod:`soracost.views.compact`):
    its id (whole), publisher and title (cut after a whole word, with an ellipsis, when
    the terminal is narrow), date (whole; n.d. when the source gives none), confidence
    (where there is room: about 90 columns) and how many records cite it. Then how many
    sources leave a citation field unknown."""
    sources = list(catalog.sources.values())
    dates = [Text(shown(source.date) if source.date else _("n.d.")) for source in sources]
    confidence = [Text(_(source.confidence)) for source in sources]
    columns = [
        compact.Column(column_header(_("ID")),
                       [Text(shown(source.id), style="bold") for source in sources]),
        compact.Column(
            column_header(_("Publisher")), [Text(shown(source.publisher)) for source in sources],
            role="source", words=True,
        ),
        compact.Column(
            column_header(_("Title")),
            [Text(shown(source.title)) if source.title else Text(_("untitled"), style="dim")
             for source in sources],
            role="applies", words=True,
        ),
        compact.Column(column_header(_("Date")), dates),
        compact.Column(column_header(_("Confidence")), confidence, role="optional"),
        compact.Column(
            column_header(_("Covers")),
            [Text(count_text(_covered(catalog, source))) for source in sources],
            justify="right",
        ),
    ]  # fmt: skip
    parts: list[RenderableType] = [
        title_text(
            _("Sources in {file}, one line per source").format(
                file=shown(PurePath(catalog.path).name)
            )
        ),
        compact.CompactTable(columns),
    ]
    gaps = Counter(name for source in sources for name in source.gaps)
    if gaps:
        with_gaps = sum(1 for source in sources if source.gaps)
        listed = ", ".join(f"{shown(name)}: {count}" for name, count in gaps.most_common())
        parts.append(
            Text(
                ngettext(
                    "{n} of {total} sources leaves a citation field unknown ({fields}); "
                    "--wide says which, and why.",
                    "{n} of {total} sources leave a citation field unknown ({fields}); "
                    "--wide says which, and why.",
                    with_gaps,
                ).format(n=count_text(with_gaps), total=count_text(len(sources)), fields=listed),
                style="dim",
            )
        )
    parts.append(prose(_SOURCES_HINT))
    return Group(*parts)


def _sources_wide(catalog: Catalog) -> RenderableType:
    """The detailed ``sources`` listing, one block per source: its id and confidence, its
    citation, its URL (whole, on its own line: see :mod:`soracost.views.links`), what it
    does not say and why, and every record that cites it. Blocks rather than a table: a
    citation's long words and URLs need the terminal's whole width. Paragraphs wrap at
    plain spaces only (:class:`~soracost.views.prose.Prose`): a record's id and its role
    (``cnet-90wh (in chain)``, joined by a no-break space) stay on one line."""
    title = _("Sources in {file}").format(file=shown(PurePath(catalog.path).name))
    parts: list[RenderableType] = [title_text(title)]

    for source in catalog.sources.values():
        head = Text(shown(source.id), style="bold")
        head.append(f" · {_(source.confidence)}")
        parts += [Text(""), head, _indented(Text(shown(citation(source))))]
        if source.url:
            parts.append(url_text(source.url, style="cyan", indent="  "))
        if source.gaps:
            gaps = "; ".join(f"{shown(k)}: {shown(v)}" for k, v in source.gaps.items())
            parts.append(_indented(Text(_("not known: {gaps}").format(gaps=gaps), style="dim")))
        covered = catalog.estimates_citing(source.id)
        records = [shown(estimate.id) + _role(estimate, source) for estimate in covered]
        records += [
            shown(factor.id) + _(" (factor)") for factor in catalog.factors_citing(source.id)
        ]
        records += [
            f"{shown(record.id)} ({_(_kind_of(record))})"
            for record in catalog.others_citing(source.id)
        ]
        if records:
            joined = ", ".join(record.replace(" (", "\u00a0(", 1) for record in records)
            parts.append(_indented(Text(_("covers: {records}").format(records=joined))))
    return WholeUrls(Group(*parts))


def _kind_of(record: object) -> str:
    """What a record that is neither an estimate nor a factor is, in a word."""
    if isinstance(record, Equivalent):
        return N_("equivalent")
    return N_("embodied") if isinstance(record, EmbodiedFactor) else N_("training")
