"""Load and validate a catalogue file (``sources.yaml``) into a :class:`Catalog`.

The schema is strict on purpose: unknown keys are errors (EcoLogits once read ``sources``
where its data said ``source`` and silently dropped every citation), required citation
fields must be present, units must have the right dimension, and ranges must be ordered.
Every error names the file, the line, the entry and the field.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from soracost.core.errors import DataError
from soracost.core.records import (
    BOUNDARIES,
    CITATION_FIELDS,
    CONFIDENCES,
    METHODS,
    AppliesTo,
    Catalog,
    Clip,
    Closure,
    Estimate,
    Source,
)
from soracost.core.units import PUBLISHED_QUANTITIES, parse_amount
from soracost.data.cases import read_cases, read_sourced, sourced_keys
from soracost.data.embodied_loader import read_embodied
from soracost.data.equivalent_loader import read_equivalents, read_training
from soracost.data.factor_loader import read_factors, read_sites
from soracost.data.fields import Fields, Keys
from soracost.data.yamldoc import LocatedDict, decode, parse, read_bytes
from soracost.i18n import _, localise_number

SCHEMA_VERSION = 1
SOURCES_ENV = "SORACOST_SOURCES"

_URL = re.compile(r"^https?://\S+$")
_SOURCE_KINDS = (
    "paper", "preprint", "news", "blog", "dataset", "leaderboard", "library", "report",
    "web-page", "standard", "definition",
)  # fmt: skip


def default_sources_path() -> Path:
    """The embedded catalogue: inside the installed package, else the repository root."""
    # The wheel puts a copy beside this module (pyproject.toml's force-include). A package
    # in a folder (any ordinary or editable install) is looked up in this module's folder,
    # the one importlib.resources.files names for it: importing importlib.resources, and
    # the readers and zipfile it loads on first use, cost every run 10.3 M instructions
    # of `clip --count 10` and 13.8 M of `sources check` (callgrind, whole process).
    package = Path(__file__).parent
    if package.is_dir():
        packaged = package / "sources.yaml"
        if packaged.is_file():
            return packaged
    else:  # a package inside an archive: only importlib.resources sees into it
        from importlib import resources

        archived = resources.files("soracost.data") / "sources.yaml"
        if archived.is_file():
            return Path(str(archived))
    return Path(__file__).resolve().parents[2] / "sources.yaml"


def resolve_sources_path(option: str | Path | None) -> Path:
    """The data file to use: the option, else ``$SORACOST_SOURCES``, else the embedded one."""
    if option:
        return Path(option)
    from_env = os.environ.get(SOURCES_ENV)
    if from_env:
        return Path(from_env)
    return default_sources_path()


def load_catalog(path: Path, use_cache: bool = True) -> Catalog:
    """Read, parse and validate a data file. Raises :class:`DataError` on any problem.

    The parsed document of the same bytes, kept by the same soracost, is taken from the
    cache (:mod:`soracost.data.cache`) instead of being parsed again; it is validated
    like a parsed file, so a cache entry yields nothing the data file would not.
    """
    raw = read_bytes(path)
    label = str(path)
    sha256 = hashlib.sha256(raw).hexdigest()
    if use_cache:
        from soracost.data import cache

        cached = cache.load(sha256)
        if cached is not None:
            try:
                return build_catalog(cached, label, sha256)
            except Exception:  # a tampered entry: refused, and built from the data file
                pass
    document = parse(decode(raw, label), label)
    catalog = build_catalog(document, label, sha256)
    if use_cache:
        cache.store(sha256, document)
    return catalog


def parse_catalog(text: str, label: str, sha256: str | None = None) -> Catalog:
    """Validate catalogue text; ``label`` names the file in error messages.

    ``sha256`` is the digest of the file's bytes; by default, of the UTF-8 text.
    """
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return build_catalog(parse(text, label), label, sha256)


_TOP_KEYS = frozenset(
    {
        "schema_version", "title", "sources", "estimates", "factors", "sites",
        "equivalents", "training", "embodied", "services",
    }
)  # fmt: skip
"""The keys of a data file's top mapping."""


def build_catalog(data: object, label: str, sha256: str) -> Catalog:
    """Validate a parsed data file (:func:`soracost.data.yamldoc.parse`'s document):
    every check of the catalogue, whether the document comes from the file or the cache."""
    if not isinstance(data, LocatedDict):
        raise DataError(
            _("the top level must be a mapping with 'sources' and 'estimates'"),
            file=label,
            line=getattr(data, "line", 1),
        )
    top = Fields(data, label, entry=None)
    top.reject_unknown(_TOP_KEYS)
    version = top.integer("schema_version")
    if version != SCHEMA_VERSION:
        said = _("unsupported version {version}; this soracost reads {supported}")
        top.fail("schema_version", said.format(version=version, supported=SCHEMA_VERSION))
    title = top.text("title", required=False)

    sources = top.unique("sources", _source)
    estimates = tuple(top.unique("estimates", lambda item: _estimate(item, sources)).values())
    if not estimates:
        top.fail("estimates", _("the catalogue has no estimates"))
    factors = read_factors(top, sources) if top.has_key("factors") else {}
    sites = read_sites(top, factors) if top.has_key("sites") else {}
    equivalents = read_equivalents(top, sources) if top.has_key("equivalents") else {}
    training = read_training(top, sources) if top.has_key("training") else {}
    embodied = read_embodied(top, sources) if top.has_key("embodied") else {}
    if top.has_key("services"):  # checked here; soracost report reads them (service_loader)
        from soracost.data.service_loader import read_services

        read_services(top, sources, estimates)
    return Catalog(
        path=label,
        sha256=sha256,
        sources=sources,
        estimates=estimates,
        title=title,
        factors=factors,
        sites=sites,
        equivalents=equivalents,
        training=training,
        embodied=embodied,
    )


_SOURCE_KEYS = Keys(
    {
        "id": False, **dict.fromkeys(CITATION_FIELDS, True), "kind": False,
        "confidence": False, "gaps": False, "unconfirmed": False, "note": False,
    }
)  # fmt: skip
"""A source's keys; ``unconfirmed`` may name its citation fields."""


def _source(item: Fields) -> Source:
    item.reject_unknown(_SOURCE_KEYS.allowed)
    gaps = item.reasons("gaps", allowed=_CITATION_KEYS)
    if "publisher" in gaps:
        item.fail("gaps.publisher", _("the publisher is required; it cannot be a gap"))
    data = item.data
    for name in _GAPPABLE_FIELDS:
        present = data.get(name) is not None
        if name not in data:
            item.fail(name, _("missing; give it, or set it to null and say why under 'gaps'"))
        if not present and name not in gaps:
            item.fail(name, _("empty; say why it is unknown under 'gaps'"))
        if present and name in gaps:
            item.fail(f"gaps.{name}", _("has a value, so it is not a gap"))
    url = item.text("url", required=False)
    if url is not None and not _URL.match(url):
        item.fail("url", _("{url} is not an http(s) URL").format(url=repr(url)))
    return Source(
        id=item.identifier(),
        publisher=item.text("publisher"),
        title=item.text("title", required=False),
        authors=item.text_list("authors"),
        date=item.date("date"),
        url=url,
        kind=item.choice("kind", _SOURCE_KINDS),
        confidence=item.choice("confidence", CONFIDENCES),
        line=item.line,
        gaps=gaps,
        unconfirmed=item.reasons("unconfirmed", allowed=_SOURCE_KEYS.unconfirmable),
        note=item.text("note", required=False),
    )


_GAPPABLE_FIELDS = tuple(name for name in CITATION_FIELDS if name != "publisher")
"""The citation fields that may be a gap, in order (the publisher is required)."""
_CITATION_KEYS = frozenset(CITATION_FIELDS)
"""The fields ``gaps`` may name."""

_CLIP_FIELDS = ("duration_s", "width", "height", "frames", "fps", "steps")
_APPLIES_TO_FIELDS = ("model", "sora_proxy", "clip", "hardware", "models_sora", "closed")
_CLOSED_FIELDS = ("date", "what", "source")
# The same as sets, made once: each estimate's keys are checked against them.
_CLIP_KEYS, _APPLIES_TO_KEYS, _CLOSED_KEYS = (
    frozenset(_CLIP_FIELDS),
    frozenset(_APPLIES_TO_FIELDS),
    frozenset(_CLOSED_FIELDS),
)
_ESTIMATE_KEYS = sourced_keys(
    quantity=True,
    applies_to=(*_APPLIES_TO_FIELDS, *(f"clip.{name}" for name in _CLIP_FIELDS)),
    boundary=True,
    method=True,
)
"""An estimate's keys: each may be marked unconfirmed, down to ``applies_to.clip.fps``."""


def _estimate(item: Fields, sources: dict[str, Source]) -> Estimate:
    item.reject_unknown(_ESTIMATE_KEYS.allowed)
    estimate_id = item.identifier()
    quantity = item.choice("quantity", PUBLISHED_QUANTITIES)
    filled, unit, published, fill = read_cases(
        item,
        lambda text: parse_amount(text, quantity),
        "'90 Wh'",
    )
    sourced = read_sourced(item, sources, _ESTIMATE_KEYS, published, fill)
    return Estimate(
        id=estimate_id,
        quantity=quantity,
        values=filled,
        unit=unit,
        applies_to=_applies_to(item.mapping("applies_to"), sources),
        boundary=item.choice("boundary", BOUNDARIES),
        method=item.choice("method", METHODS),
        **sourced,
    )


def _applies_to(block: Fields, sources: dict[str, Source]) -> AppliesTo:
    block.reject_unknown(_APPLIES_TO_KEYS)
    clip = Clip()
    if block.has_key("clip"):
        fields = block.mapping("clip")
        fields.reject_unknown(_CLIP_KEYS)
        clip = Clip(
            duration_s=fields.positive("duration_s", float),
            width=fields.positive("width", int),
            height=fields.positive("height", int),
            frames=fields.positive("frames", int),
            fps=fields.positive("fps", float),
            steps=fields.positive("steps", int),
        )
        if clip.frames and clip.fps and clip.duration_s:
            implied = clip.frames / clip.fps
            if abs(implied - clip.duration_s) > 0.001 * implied + 0.0005:
                said = _("{duration} s disagrees with {frames} frames at {fps} fps ({implied} s)")
                fields.fail(
                    "duration_s",
                    said.format(
                        duration=localise_number(f"{clip.duration_s:g}"),
                        frames=localise_number(str(clip.frames)),
                        fps=localise_number(f"{clip.fps:g}"),
                        implied=localise_number(f"{implied:.3f}"),
                    ),
                )
    # Optional: a figure of Sora itself (a model of OpenAI's service), not a stand-in for it.
    models_sora = block.boolean("models_sora") if block.has_key("models_sora") else False
    sora_proxy = block.boolean("sora_proxy")
    if models_sora and sora_proxy:
        block.fail("models_sora", _("a figure of Sora itself cannot also stand in for Sora"))
    return AppliesTo(
        model=block.text("model"),
        sora_proxy=sora_proxy,
        clip=clip,
        hardware=block.text("hardware", required=False),
        models_sora=models_sora,
        closed=_closure(block.mapping("closed"), sources) if block.has_key("closed") else None,
    )


def _closure(block: Fields, sources: dict[str, Source]) -> Closure:
    """``applies_to.closed``: the date the service closed, what closed, and the id of the
    source that says so (a known source)."""
    block.reject_unknown(_CLOSED_KEYS)
    date = block.date("date")
    if date is None:
        block.fail("date", _("say when the service closed, as YYYY-MM-DD"))
    source = block.text("source")
    if source not in sources:
        block.fail("source", _("no source has id {id}").format(id=repr(source)))
    return Closure(date=date, what=block.text("what"), source=source)
