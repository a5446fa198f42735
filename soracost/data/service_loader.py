"""Load the ``services`` section of a catalogue: which estimates stand for a service or
model as usage logs name it (``sora-2``, ``veo-3``, an open model), with the source and
the note behind each choice.

Called by :func:`soracost.data.catalog.build_catalog` to validate the section, and by
:func:`load_services` for ``soracost report``; errors name file, line, entry and field.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from soracost.core.errors import DataError, UsageProblem
from soracost.core.records import Estimate, Source
from soracost.core.services import Service, normalised
from soracost.data.fields import Fields
from soracost.data.yamldoc import LocatedDict, decode, parse, read_bytes
from soracost.i18n import _

_KEYS = ("id", "name", "names", "estimates", "source", "note")


def read_services(
    top: Fields, sources: dict[str, Source], estimates: tuple[Estimate, ...]
) -> dict[str, Service]:
    """Every entry under ``services``, by id; each name (normalised) used once."""
    services: dict[str, Service] = {}
    taken: dict[str, str] = {}
    for item, service in top.unique_entries("services", lambda e: _service(e, sources, estimates)):
        for name in (service.id, *service.names):
            key = normalised(name)
            if key in taken and taken[key] != service.id:
                said = _("{name} already names service {service}")
                item.fail("names", said.format(name=repr(name), service=repr(taken[key])))
            taken[key] = service.id
        services[service.id] = service
    return services


def _service(item: Fields, sources: dict[str, Source], estimates: tuple[Estimate, ...]) -> Service:
    from soracost.core.records import Catalog
    from soracost.core.results import select_estimates

    item.reject_unknown(_KEYS)
    selection = item.mapping("estimates")
    selection.reject_unknown(("model", "ids"))
    model = selection.text("model", required=False)
    ids = selection.text_list("ids") or ()
    if model is not None and ids:
        selection.fail("ids", _("give the estimates by 'model' or by 'ids', not both"))
    known = {estimate.id for estimate in estimates}
    for estimate_id in ids:
        if estimate_id not in known:
            selection.fail("ids", _("unknown estimate {id}").format(id=repr(estimate_id)))
    if len(set(ids)) != len(ids):
        selection.fail("ids", _("an estimate is named twice"))
    try:  # the selection must keep at least one estimate, as `clip --model` would
        select_estimates(Catalog("", "", sources, estimates), model)
    except UsageProblem:
        selection.fail("model", _("{model} selects no estimate").format(model=repr(model)))
    source = item.text("source")
    if source not in sources:
        item.fail("source", _("unknown source {id}").format(id=repr(source)))
    return Service(
        id=item.identifier(),
        name=item.text("name"),
        names=item.text_list("names") or (),
        model=model,
        source=source,
        note=item.text("note"),
        line=item.line,
        ids=tuple(ids),
    )


def load_services(
    path: Path, sources: dict[str, Source], estimates: tuple[Estimate, ...]
) -> dict[str, Service]:
    """The services of the data file at ``path`` (already loaded as a catalogue, whose
    sources and estimates they refer to); empty when it has none."""
    raw = read_bytes(path)
    label = str(path)
    from soracost.data import cache

    document = cache.load(hashlib.sha256(raw).hexdigest())
    if document is None:
        document = parse(decode(raw, label), label)
    if not isinstance(document, LocatedDict):  # load_catalog has refused such a file
        raise DataError(_("the top level must be a mapping"), file=label)
    top = Fields(document, label, entry=None)
    if not top.has_key("services"):
        return {}
    return read_services(top, sources, estimates)
