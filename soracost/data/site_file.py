"""Read a site of the user's own (``--site-file FILE``): one YAML mapping with the
site's id, name and factors, each factor written as a published figure is in the
catalogue ("1.2", "0.5 L/kWh", "50 g/kWh").

Validated like the catalogue, with the same YAML reader, unit registry and plausibility
bounds; every error names the file, the line and the field (exit 1). Its factors are
user-supplied: labelled so wherever they are used, never taken for a source's.

Example::

    site:
      id: my-datacentre
      name: Our data centre, 2025 meters
      pue: "1.25"
      wue_onsite: "0.4 L/kWh"
      ewif_offsite: "2.1 L/kWh"
      carbon: "120 g/kWh"      # optional: without it, no carbon
      note: PUE from our 2025 energy meters
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from soracost.core.errors import DataError
from soracost.core.records import SITE_KINDS, FactorKind, Site
from soracost.core.units import UnitProblem
from soracost.core.user_factors import UserFactor, parse_user_factor
from soracost.data.fields import Fields
from soracost.data.yamldoc import LocatedDict, decode, parse, read_bytes
from soracost.i18n import _

SITE_FILE_KEYS: dict[str, FactorKind] = {
    "pue": "pue",
    "wue_onsite": "wue-onsite",
    "ewif_offsite": "ewif-offsite",
    "carbon": "carbon-intensity",
}
"""A site file's keys for its factors (as in the catalogue's sites) and their kinds."""

_REQUIRED = ("pue", "wue_onsite", "ewif_offsite")


class UserSite(Struct, frozen=True):
    """A site read from a site file: the site (its factors not yet chosen) and the
    factors the user gave for it."""

    site: Site
    factors: tuple[UserFactor, ...]


def read_site_file(path: Path) -> UserSite:
    """Read and validate ``path``. Raises :class:`DataError` naming file and line."""
    label = str(path)
    document = parse(decode(read_bytes(path), label), label)
    if not isinstance(document, LocatedDict):
        raise DataError(
            _("a site file is a mapping with one key, 'site'"),
            file=label,
            line=getattr(document, "line", 1),
        )
    top = Fields(document, label, entry=None)
    top.reject_unknown({"site"})
    item = top.mapping("site")
    item.entry = "site"
    item.prefix = ""
    item.reject_unknown({"id", "name", "kind", "note", *SITE_FILE_KEYS})
    factors: list[UserFactor] = []
    for key, kind in SITE_FILE_KEYS.items():
        if isinstance(item.data.get(key), int | float) and not isinstance(item.data[key], bool):
            said = _("{value} is a bare number; write it as text, e.g. '1.2'")
            item.fail(key, said.format(value=repr(item.data[key])))
        text = item.text(key, required=key in _REQUIRED)
        if text is None:
            continue
        try:
            factors.append(parse_user_factor(kind, text, f"{label}:{item.data.key_lines[key]}"))
        except UnitProblem as exc:
            item.fail(key, str(exc))
    site = Site(
        id=item.identifier(),
        name=item.text("name"),
        kind=item.choice("kind", SITE_KINDS) if item.has_key("kind") else "location",
        factors={},
        line=item.line,
        note=item.text("note", required=False),
    )
    return UserSite(site=site, factors=tuple(factors))
