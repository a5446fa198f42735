"""The user's own factors for one run: --pue, --wue, --ewif, --grid-intensity and
--site-file. Parsed here (a bad value is a usage error, exit 2; a bad site file a data
error naming file:line, exit 1); the core puts them into the catalogue as user-supplied
factors of the chosen site. The options are declared here, beside what reads them.

No ``from __future__ import annotations``: Typer reads these annotations at run time."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from soracost.cli.options import path
from soracost.core.errors import UsageProblem
from soracost.i18n import _

if TYPE_CHECKING:
    from soracost.core.records import Catalog, FactorKind
    from soracost.data.site_file import UserSite

FACTORS = "Your own factors"
"""The help panel of these options."""


def _factor_option(name: str, help: str) -> Any:
    """An option giving one of the site's factors for this run, labelled user-supplied.
    ``help`` is written out whole (not built from a template) so that the catalogue holds
    it as shown and soracost.cli.app translates it when the command is built."""
    return typer.Option(
        name, help=help, metavar="VALUE", show_default=False, rich_help_panel=FACTORS
    )


PueOption = Annotated[
    str | None,
    _factor_option(
        "--pue",
        help="Your own PUE (a plain number) for this run, instead of the site's (e.g. 1.2); "
        "every output labels it user-supplied.",
    ),
]
WueOption = Annotated[
    str | None,
    _factor_option(
        "--wue",
        help="Your own on-site water per IT kWh for this run, instead of the site's (e.g. "
        "'0.5 L/kWh'); every output labels it user-supplied.",
    ),
]
EwifOption = Annotated[
    str | None,
    _factor_option(
        "--ewif",
        help="Your own off-site water per kWh generated for this run, instead of the "
        "site's (e.g. '3 L/kWh'); every output labels it user-supplied.",
    ),
]
GridIntensityOption = Annotated[
    str | None,
    _factor_option(
        "--grid-intensity",
        help="Your own grid carbon intensity for this run, instead of the site's (e.g. "
        "'50 g/kWh'); every output labels it user-supplied.",
    ),
]
SiteFileOption = Annotated[
    Path | None,
    typer.Option(
        "--site-file",
        help="A site of your own: a YAML file with its id, name, pue, wue_onsite, "
        "ewif_offsite and optional carbon (see docs/model.md); labelled user-supplied.",
        metavar="FILE",
        parser=path,  # an unreadable file is the loader's to report (exit 1)
        show_default=False,
        rich_help_panel=FACTORS,
    ),
]


def apply_site_options(
    catalog: "Catalog",
    site: str | None,
    site_file: Path | None,
    pue: str | None,
    wue: str | None,
    ewif: str | None,
    grid_intensity: str | None,
) -> "tuple[Catalog, str | None]":
    """The catalogue with the user's factors, and the --site to use; unchanged when none
    was given. Options override a site file's factors, which replace the site's."""
    typed: list[tuple[FactorKind, str, str | None]] = [
        ("pue", "--pue", pue),
        ("wue-onsite", "--wue", wue),
        ("ewif-offsite", "--ewif", ewif),
        ("carbon-intensity", "--grid-intensity", grid_intensity),
    ]
    if site_file is None and all(text is None for _, _, text in typed):
        return catalog, site
    from soracost.core.units import UnitProblem
    from soracost.core.user_factors import parse_user_factor, with_user_factors

    given = []
    for kind, option, text in typed:
        if text is None:
            continue
        try:
            given.append(parse_user_factor(kind, text, option))
        except UnitProblem as exc:
            raise UsageProblem(_("{option}: {reason}").format(option=option, reason=exc)) from None
    own = None
    if site_file is not None:
        if site is not None:
            raise UsageProblem(
                _("--site-file: a site of your own replaces --site; give one of them")
            )
        own = _read_site_file(catalog, site_file)
        given = [*own.factors, *given]
    from soracost.core.results import resolve_site

    base = None if own is not None else resolve_site(catalog, site)
    try:
        updated, chosen = with_user_factors(
            catalog, given, base=base, own=own.site if own is not None else None
        )
    except ValueError as exc:
        said = _("{option}: {reason}")
        raise UsageProblem(said.format(option="--pue/--wue/--ewif", reason=exc)) from None
    # The default site keeps being the default (no --site); any other is named.
    return updated, None if base is not None and site is None else chosen.id


def _read_site_file(catalog: "Catalog", path: Path) -> "UserSite":
    """The user's site, refused if it takes the id of a catalogue site (exit 1)."""
    from soracost.core.errors import DataError
    from soracost.data.site_file import read_site_file

    own = read_site_file(path)
    clash = own.site.id in catalog.sites or any(
        own.site.id in other.aliases for other in catalog.sites.values()
    )
    if clash:
        said = _("{site} is already a site of the data file; give your site its own id")
        raise DataError(
            said.format(site=repr(own.site.id)),
            file=str(path),
            line=own.site.line,
            entry="site",
            field="id",
        )
    return own
