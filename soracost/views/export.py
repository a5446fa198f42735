"""CSV and JSON exports: CSV returned as text, JSON as pieces of text to be written as
they come (a big document's text is never held whole). Only the CLI writes them anywhere.

Numbers keep full precision: JSON floats and CSV cells use Python's shortest repr that
round-trips, so re-reading an export gives back the exact computed value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from soracost import __version__
from soracost.core.embodied import EmbodiedShares
from soracost.core.equivalents import Expressed
from soracost.core.footprint import Derivation, Step
from soracost.core.ranges import Range
from soracost.core.records import (
    CASES,
    FILLS,
    OPTIONAL_SITE_FACTORS,
    SITE_FACTORS,
    USER_SOURCE_ID,
    Catalog,
    Clip,
    Closure,
    EmbodiedFactor,
    Equivalent,
    Factor,
    Source,
)
from soracost.core.reports import (
    ClipReport,
    CompareReport,
    EquivalentsReport,
    ExplainReport,
    FootprintReport,
)
from soracost.core.results import CARBON_NOTE, ResultRow, Results, Scenario
from soracost.core.training import SORA_TRAINING_UNKNOWN, TrainingShare
from soracost.core.uncertainty import DISTRIBUTION

ROW_COLUMNS: tuple[str, ...] = (
    "estimate_id",
    "quantity",
    "unit",
    "count",
    "per_clip_low",
    "per_clip_mid",
    "per_clip_high",
    "batch_low",
    "batch_mid",
    "batch_high",
    "scaled",
    "scale_factor_low",
    "scale_factor_mid",
    "scale_factor_high",
    "derived",
    "on_site_low",
    "on_site_mid",
    "on_site_high",
    "off_site_low",
    "off_site_mid",
    "off_site_high",
    "published_low",
    "published_mid",
    "published_high",
    "published_unit",
    "fill",
    "model",
    "sora_proxy",
    "service_closed",
    "clip",
    "boundary",
    "boundary_shown",
    "boundary_differs",
    "site",
    "factor_ids",
    "user_factors",
    "not_scaled",
    "notes",
    "method",
    "confidence",
    "unconfirmed",
    "source_id",
    "publisher",
    "date",
    "title",
    "authors",
    "source_url",
    "chain",
)
"""Columns of ``clip`` and ``compare`` CSV exports, one line per estimate and quantity.

``scale_factor_*`` is the product of the scaling steps (empty when not scaled);
``on_site_*``/``off_site_*`` split derived water per clip (empty otherwise)."""

SOURCE_COLUMNS: tuple[str, ...] = (
    "source_id",
    "publisher",
    "title",
    "authors",
    "date",
    "url",
    "kind",
    "confidence",
    "gaps",
    "estimates",
)

# OWASP's advice on CSV injection: a text cell that a spreadsheet would read as a
# formula is prefixed with a single quote. Numbers are written as numbers, untouched.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if type(value) is float:  # the commonest cell, checked first: ~10⁵ cells in a big export
        return repr(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = value if type(value) is str else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record[column]) for column in columns])
    return buffer.getvalue()


def _json(document: dict[str, Any]) -> Iterator[str]:
    """``json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)`` and a
    newline, in pieces (about a row each) made by :mod:`soracost.views.jsontext` as they
    are asked for: the same text, faster and leaner."""
    from soracost.views.jsontext import pieces

    return pieces(document, end="\n")


def csv_for_terminal(text: str) -> str:
    """CSV ``text`` for a terminal: each cell as :func:`soracost.views.text.shown` shows
    it (controls, bidirectional and invisible characters written out), so that no cell
    can move the cursor, recolour the screen or reorder what is read. A file or a pipe
    gets the cells as they are."""
    from soracost.views.text import shown

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([shown(cell) for cell in record])
    return buffer.getvalue()


def _closed_json(closed: Closure | None) -> dict[str, str] | None:
    """``applies_to.closed``: the service's closing date, what closed and the source id."""
    if closed is None:
        return None
    return {"date": closed.date, "what": closed.what, "source_id": closed.source}


def _closed_text(closed: Closure | None) -> str | None:
    """The CSV's ``service_closed``: ``2026-09-24: what closed (source id)``; empty if
    the service still runs."""
    if closed is None:
        return None
    return f"{closed.date}: {closed.what} ({closed.source})"


def _clip_json(clip: Clip) -> dict[str, Any]:
    return {
        "duration_s": clip.duration_s,
        "width": clip.width,
        "height": clip.height,
        "frames": clip.frames,
        "fps": clip.fps,
        "steps": clip.steps,
    }


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "authors": list(source.authors) if source.authors else None,
        "date": source.date,
        "url": source.url,
    }


def _cases(prefix: str, values: Range | None) -> dict[str, float | None]:
    """``{prefix}_low``, ``_mid`` and ``_high``: the three cases, or None each."""
    return dict(zip(_case_keys(prefix), values or _NO_CASES, strict=True))


_NO_CASES = (None,) * len(CASES)


@lru_cache(maxsize=256)
def _case_keys(prefix: str) -> tuple[str, ...]:
    """The column names of ``prefix``'s cases (made once per prefix, not once per row)."""
    return tuple(f"{prefix}_{case}" for case in CASES)


def row_record(row: ResultRow) -> dict[str, Any]:
    """A result row as one flat CSV record (see :data:`ROW_COLUMNS`)."""
    estimate, source, derivation = row.estimate, row.source, row.derivation
    on_site, off_site = derivation.water_split or (None, None)
    return {
        "estimate_id": estimate.id,
        "quantity": row.quantity,
        "unit": row.unit,
        "count": row.count,
        **_cases("per_clip", row.per_clip),
        **_cases("batch", row.batch),
        "scaled": derivation.scaled,
        **_cases("scale_factor", derivation.scale_factor),
        "derived": row.derived,
        **_cases("on_site", on_site),
        **_cases("off_site", off_site),
        # The cases the source gave, as numbers in one unit (the text as printed is in
        # JSON's "published"); a case soracost filled in (``fill``) is left empty.
        **{
            f"published_{case}": getattr(estimate.values, case)
            if case in estimate.published
            else None
            for case in CASES
        },
        "published_unit": estimate.unit,
        "fill": estimate.fill,
        "model": estimate.applies_to.model,
        "sora_proxy": estimate.applies_to.sora_proxy,
        "service_closed": _closed_text(estimate.applies_to.closed),
        "clip": estimate.applies_to.clip.describe() or None,
        "boundary": estimate.boundary,
        "boundary_shown": derivation.boundary,
        "boundary_differs": row.boundary_differs,
        "site": row.site,
        "factor_ids": "; ".join(dict.fromkeys(s.factor_id for s in derivation.steps if s.factor_id))
        or None,
        "user_factors": "; ".join(_user_factors(derivation.steps)) or None,
        "not_scaled": "; ".join(derivation.not_scaled) or None,
        "notes": "; ".join(derivation.notes) or None,
        "method": estimate.method,
        "confidence": estimate.confidence,
        "unconfirmed": "; ".join(f"{name}: {why}" for name, why in estimate.unconfirmed.items())
        or None,
        "source_id": source.id,
        "publisher": source.publisher,
        "date": source.date,
        "title": source.title,
        "authors": "; ".join(source.authors) if source.authors else None,
        "source_url": source.url,
        "chain": " > ".join(link.id for link in row.chain),
    }


def _user_factors(steps: Sequence[Step]) -> list[str]:
    """The factors the user supplied that a row's steps used, as shown (``1.1 (user-pue)``)."""
    return list(
        dict.fromkeys(
            step.factor_text or ""
            for step in steps
            if step.source_id == USER_SOURCE_ID and step.factor_id
        )
    )


def step_json(position: int, step: Step) -> dict[str, Any]:
    """One derivation step: its value, the inputs (earlier step indices) and factor."""
    return {
        "index": position,
        "kind": step.kind,
        "label": step.label,
        "op": step.op,
        "inputs": list(step.inputs),
        "factor": step.factor.as_dict() if step.factor else None,
        "factor_unit": step.factor_unit if step.factor else None,
        "factor_text": step.factor_text,
        "factor_id": step.factor_id,
        "source_id": step.source_id,
        "value": step.value.as_dict(),
        "unit": step.unit,
        "roles": list(step.roles),
    }


def row_json(row: ResultRow) -> dict[str, Any]:
    """A result row as a JSON object, with its full provenance and derivation steps."""
    estimate, derivation = row.estimate, row.derivation
    split = derivation.water_split
    return {
        "estimate_id": estimate.id,
        "quantity": row.quantity,
        "unit": row.unit,
        "per_clip": row.per_clip.as_dict(),
        "batch": row.batch.as_dict(),
        "derived": row.derived,
        "water_split": None
        if split is None
        else {"on_site": split[0].as_dict(), "off_site": split[1].as_dict()},
        "scaled": derivation.scaled,
        "scale_factor": derivation.scale_factor.as_dict() if derivation.scale_factor else None,
        "not_scaled": list(derivation.not_scaled),
        "boundary_shown": derivation.boundary,
        "boundary_differs": row.boundary_differs,
        "notes": list(derivation.notes),
        "user_factors": _user_factors(derivation.steps),
        "steps": [step_json(position, step) for position, step in enumerate(derivation.steps)],
        "published": dict(estimate.published),
        "fill": estimate.fill,
        "fill_rule": FILLS[estimate.fill] if estimate.fill else None,
        "applies_to": {
            "model": estimate.applies_to.model,
            "sora_proxy": estimate.applies_to.sora_proxy,
            "models_sora": estimate.applies_to.models_sora,
            "hardware": estimate.applies_to.hardware,
            "closed": _closed_json(estimate.applies_to.closed),
            "clip": _clip_json(estimate.applies_to.clip),
        },
        "boundary": estimate.boundary,
        "method": estimate.method,
        "confidence": estimate.confidence,
        "claim": estimate.claim,
        "note": estimate.note,
        "unconfirmed": dict(estimate.unconfirmed),
        "source": _source_json(row.source),
        "chain": [_source_json(link) for link in row.chain],
        "see_also": [_source_json(link) for link in row.see_also],
    }


def _header(catalog: Catalog, command: str) -> dict[str, Any]:
    return {
        "soracost_version": __version__,
        "command": command,
        "sources_file": {"path": catalog.path, "sha256": catalog.sha256},
    }


TRAINING_COLUMNS: tuple[str, ...] = (
    "training_share_low", "training_share_mid", "training_share_high",
    "training_share_batch_low", "training_share_batch_mid", "training_share_batch_high",
    "training_id", "training_lifetime_clips",
)  # fmt: skip
"""Added to ``clip`` CSV with --training-energy: the per-clip (and batch) share of training
energy, in the row's energy unit, on energy rows only; never added to ``per_clip_*``."""


EMBODIED_COLUMNS: tuple[str, ...] = (
    "embodied_low", "embodied_mid", "embodied_high",
    "embodied_batch_low", "embodied_batch_mid", "embodied_batch_high",
    "embodied_unit", "embodied_hardware", "embodied_reason",
)  # fmt: skip
"""Added to ``clip`` and ``compare`` CSV with --embodied: the estimate's share of the
hardware's manufacture per clip and per batch, in ``embodied_unit``, on the estimate's
first row only (a spreadsheet summing the column counts each estimate once); never added
to ``per_clip_*``. ``embodied_reason`` says why an estimate has none."""


_NO_EMBODIED = dict.fromkeys(EMBODIED_COLUMNS)
"""The embodied cells of an estimate's later rows: empty, so that each counts once."""


def _embodied_cells(shares: EmbodiedShares, estimate_id: str) -> dict[str, Any]:
    """The :data:`EMBODIED_COLUMNS` of one estimate, at full precision."""
    derivation = shares.of(estimate_id)
    return {
        **_cases("embodied", derivation.per_clip if derivation else None),
        **_cases("embodied_batch", derivation.batch if derivation else None),
        "embodied_unit": shares.unit,
        "embodied_hardware": shares.hardware.name,
        "embodied_reason": shares.missing.get(estimate_id),
    }


def _embodied_record_json(catalog: Catalog, record: EmbodiedFactor) -> dict[str, Any]:
    """One embodied record as the data gives it, with its source."""
    return {
        "id": record.id,
        "kind": record.kind,
        "hardware": record.hardware,
        "count": record.count,
        "values": record.values.as_dict(),
        "unit": record.unit,
        "published": dict(record.published),
        "fill": record.fill,
        "cases_note": record.cases_note,
        "method": record.method,
        "claim": record.claim,
        "confidence": record.confidence,
        "unconfirmed": dict(record.unconfirmed),
        "note": record.note,
        "source": _source_json(catalog.sources[record.source]),
        "chain": [_source_json(catalog.sources[link]) for link in record.chain],
    }


def embodied_json(catalog: Catalog, shares: EmbodiedShares) -> dict[str, Any]:
    """The embodied shares, apart from every row: the hardware's sourced records, how a
    share is computed, and each estimate's share (per clip, batch and every step) or why
    it has none. Full precision."""
    from soracost.core.embodied import EMBODIED_NOTE

    hardware = shares.hardware
    return {
        "unit": shares.unit,
        "count": shares.count,
        "hardware": hardware.name,
        "embodied_total": {**hardware.total(shares.unit).as_dict(), "unit": shares.unit},
        "lifetime_hours": hardware.lifetime_hours().as_dict(),
        "method": EMBODIED_NOTE,
        "records": [_embodied_record_json(catalog, record) for record in hardware.records],
        "shares": [
            {
                "estimate_id": estimate_id,
                "per_clip": derivation.per_clip.as_dict(),
                "batch": derivation.batch.as_dict(),
                "notes": list(derivation.notes),
                "steps": [step_json(index, step) for index, step in enumerate(derivation.steps)],
            }
            for estimate_id, derivation in shares.derivations.items()
        ],
        "not_given": [
            {"estimate_id": estimate_id, "reason": reason}
            for estimate_id, reason in shares.missing.items()
        ],
    }


MC_COLUMNS: tuple[str, ...] = (
    "p5", "p50", "p95", "batch_p5", "batch_p50", "batch_p95", "samples", "seed",
)  # fmt: skip
"""Added to CSV with --method montecarlo: percentiles per clip and for the batch, and the
sample count and seed that repeat them."""


ANSWER_FIGURES = ("lowest", "p5", "p50", "p95", "highest")
"""The figures of an answer, per clip and for the batch (see :func:`answers_json`)."""

ANSWER_COLUMNS: tuple[str, ...] = (
    "answer_fed",
    "answer_left_out",
    "answer_left_out_detail",
    "answer_count",
    *(f"answer_{figure}" for figure in ANSWER_FIGURES),
    *(f"answer_batch_{figure}" for figure in ANSWER_FIGURES),
    "answer_max_scale",
    "answer_fed_count",
    "answer_left_out_count",
)
"""The columns after :data:`ROW_COLUMNS` in every ``clip`` and ``compare`` CSV (before
those that options add): the answer (the table's first
line, JSON's ``answer``) for the row's quantity, in the row's ``unit``, repeated on each
row of that quantity, so that a spreadsheet or ``pandas.read_csv`` reads one header and
one line per estimate, with nothing to skip. ``answer_fed`` says whether this row fed it;
``answer_left_out`` is the reason it did not (``far-scaled``, ``other-boundary`` or
``same-measurement``; its words in ``answer_left_out_detail``). ``answer_lowest`` …
``answer_highest`` are per clip; ``answer_batch_*`` for ``answer_count`` clips (a
``compare`` row's own ``count`` is 1: its figures are per clip)."""


def rows_csv(report: FootprintReport) -> str:
    """``clip`` or ``compare`` rows as CSV text (``compare`` rows have a count of 1).

    With ``scenario.equivalents``, each row gains ``equivalent_<id>_per_clip_{low,mid,high}``
    columns (per clip, counts of that equivalent; empty for another basis); with a
    training share, the :data:`TRAINING_COLUMNS`.
    """
    catalog, scenario, results, rows = report.catalog, report.scenario, report.results, report.rows
    clip = report if isinstance(report, ClipReport) else None
    columns = [*ROW_COLUMNS, *ANSWER_COLUMNS]  # then the columns options add, as before
    equivalents = list(catalog.equivalents.values()) if clip and scenario.equivalents else []
    share = clip.training if clip else None
    for item in equivalents:
        columns += [f"equivalent_{item.id}_per_clip_{case}" for case in CASES]
    if share is not None:
        columns += TRAINING_COLUMNS
    shares = report.embodied
    if shares is not None:
        columns += EMBODIED_COLUMNS
    first_rows: set[str] = set()  # the estimates whose first row has been written
    sampled = results.percentiles
    if sampled:
        columns += MC_COLUMNS
    answers = _answer_records(report)

    def record(row: ResultRow) -> dict[str, Any]:
        flat = row_record(row)
        flat.update(answers.get((row.estimate.id, row.quantity)) or _NO_ANSWER)
        if sampled:
            per_clip, batch = sampled[(row.estimate.id, row.quantity)]
            flat.update(per_clip.as_dict())
            flat.update({f"batch_{key}": value for key, value in batch.as_dict().items()})
            flat.update(samples=scenario.samples, seed=scenario.seed)
        counted = {
            entry.equivalent.id: entry.per_clip
            for entry in (clip.equivalents.get((row.estimate.id, row.quantity), []) if clip else [])
        }
        for item in equivalents:
            flat.update(_cases(f"equivalent_{item.id}_per_clip", counted.get(item.id)))
        if share is not None:
            energy = row.quantity == "energy"
            flat.update(_cases("training_share", share.per_clip if energy else None))
            flat.update(_cases("training_share_batch", share.batch if energy else None))
            flat["training_id"] = (share.request.record.id if share.request.record else
                                   share.request.text) if energy else None  # fmt: skip
            flat["training_lifetime_clips"] = share.request.lifetime_clips if energy else None
        if shares is not None:
            first = row.estimate.id not in first_rows
            first_rows.add(row.estimate.id)
            flat.update(_embodied_cells(shares, row.estimate.id) if first else _NO_EMBODIED)
        return flat

    return _csv(columns, (record(row) for row in rows))


_NO_ANSWER = dict.fromkeys(ANSWER_COLUMNS)
"""The answer's cells of a row whose quantity was not asked for an answer (none today)."""


def _answer_records(report: FootprintReport) -> dict[tuple[str, str], dict[str, Any]]:
    """The :data:`ANSWER_COLUMNS` cells of each row, by (estimate id, quantity): the same
    numbers as :func:`answers_json`, at full precision."""
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for quantity, answer in report.answers.items():
        per_clip = dict(zip(ANSWER_FIGURES, (answer.lowest, answer.p5, answer.p50, answer.p95,
                                             answer.highest), strict=True))  # fmt: skip
        shared: dict[str, Any] = {
            "answer_count": answer.count,
            **{f"answer_{figure}": value for figure, value in per_clip.items()},
            **{f"answer_batch_{figure}": answer.batch(value) for figure, value in per_clip.items()},
            "answer_max_scale": answer.max_scale,
            "answer_fed_count": len(answer.fed),
            "answer_left_out_count": len(answer.left_out),
        }
        for estimate_id in answer.fed:
            cells[(estimate_id, quantity)] = {
                "answer_fed": True, "answer_left_out": None, "answer_left_out_detail": None,
                **shared,
            }  # fmt: skip
        for item in answer.left_out:
            cells[(item.estimate_id, quantity)] = {
                "answer_fed": False, "answer_left_out": item.reason,
                "answer_left_out_detail": item.detail, **shared,
            }  # fmt: skip
    return cells


def _equivalent_json(catalog: Catalog, item: Equivalent) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "basis": item.basis,
        "counts": item.counts,
        "amount_per_unit": {**item.amount.as_dict(), "unit": item.amount_unit},
        "published": dict(item.published),
        "per": item.per,
        "fill": item.fill,
        "cases_note": item.cases_note,
        "claim": item.claim,
        "confidence": item.confidence,
        "unconfirmed": dict(item.unconfirmed),
        "note": item.note,
        "source": _source_json(catalog.sources[item.source]),
        "chain": [_source_json(catalog.sources[link]) for link in item.chain],
    }


def _expressed_json(entry: Expressed) -> dict[str, Any]:
    """One equivalent of a figure: ``low``/``mid``/``high`` per clip, ``batch`` likewise."""
    item = entry.equivalent
    return {
        "id": item.id,
        "name": item.name,
        "basis": item.basis,
        "counts": item.counts,
        **entry.per_clip.as_dict(),
        "batch": entry.batch.as_dict(),
        "source": item.source,
    }


def training_json(catalog: Catalog, share: TrainingShare | None) -> dict[str, Any] | None:
    """The training share, apart from every row: what was shared, over how many clips."""
    if share is None:
        return None
    record = share.request.record
    return {
        "label": share.request.label,
        "record_id": record.id if record else None,
        "model": record.model if record else None,
        "given": share.request.text,
        "unit": share.unit,
        "training": share.training.as_dict(),
        "lifetime_clips": share.request.lifetime_clips,
        "per_clip": share.per_clip.as_dict(),
        "batch": share.batch.as_dict(),
        "published": dict(record.published) if record else None,
        "claim": record.claim if record else None,
        "confidence": record.confidence if record else None,
        "unconfirmed": dict(record.unconfirmed) if record else {},
        "source": _source_json(catalog.sources[record.source]) if record else None,
        "chain": [_source_json(catalog.sources[link]) for link in record.chain] if record else [],
        "note": SORA_TRAINING_UNKNOWN,
    }


CARBON_BASIS = {"accounting": "location-based", "note": CARBON_NOTE}


def scenario_json(report: FootprintReport) -> dict[str, Any]:
    """What the figures are for: the requested clip, boundary, site and model."""
    scenario, site = report.scenario, report.site
    request = scenario.request
    return {
        "clip": {
            "duration_s": request.duration_s,
            "width": request.width,
            "height": request.height,
            "fps": request.fps,
        },
        "boundary": scenario.boundary,
        "site": None
        if site is None
        else {
            "id": site.id,
            "name": site.name,
            "kind": site.kind,
            "default": site.default,
            "user_supplied": {
                kind: report.catalog.factors[site.factors[kind]].published["mid"]
                for kind in site.user_supplied
            },
        },
        "model": scenario.model,
        "estimates": list(scenario.estimates),
        "quantities": list(scenario.quantities),
        "method": {"name": "bounds"}
        if scenario.method == "bounds"
        else {
            "name": "montecarlo",
            "samples": scenario.samples,
            "seed": scenario.seed,
            "distribution": DISTRIBUTION,
        },
        "carbon_basis": CARBON_BASIS if "carbon" in scenario.quantities else None,
    }


def _not_given_json(missing: dict[Any, str]) -> list[dict[str, str]]:
    """Each figure that could not be given: ``{estimate_id, quantity, reason}``."""
    return [
        {"estimate_id": estimate_id, "quantity": quantity, "reason": reason}
        for (estimate_id, quantity), reason in missing.items()
    ]


def _step_sources_json(report: FootprintReport) -> dict[str, Any]:
    """The citation of every source a step names (claims and factors), by source id, and
    of every equivalent shown (by the ``source`` id its entries give)."""
    catalog, rows = report.catalog, report.rows
    cited = {
        step.source_id: _source_json(catalog.sources[step.source_id])
        for row in rows
        for step in row.derivation.steps
        if step.source_id
    }
    if isinstance(report, ClipReport) and report.scenario.equivalents:
        for quantity in dict.fromkeys(row.quantity for row in rows):  # in row order
            for item in report.equivalents_by_basis.get(quantity, []):
                cited[item.source] = _source_json(catalog.sources[item.source])
    return cited


ANSWER_METHOD = (
    "equal-weight mixture of the fed estimates' split log-normals (median mid, P5 low, "
    "P95 high), percentiles in closed form"
)


def answers_json(report: FootprintReport) -> dict[str, Any]:
    """The answer per quantity, full precision: per clip and for the batch, the spread of
    the estimates that fed it (lowest, highest) and the pooled P5/P50/P95; which
    estimates fed it and which were left out, and why."""
    document: dict[str, Any] = {}
    for quantity, answer in report.answers.items():
        per_clip = {
            "lowest": answer.lowest,
            "p5": answer.p5,
            "p50": answer.p50,
            "p95": answer.p95,
            "highest": answer.highest,
        }
        document[quantity] = {
            "unit": answer.unit or None,
            "count": answer.count,
            "per_clip": per_clip,
            "batch": {key: answer.batch(value) for key, value in per_clip.items()},
            "method": ANSWER_METHOD,
            "max_scale": answer.max_scale,
            "fed": list(answer.fed),
            "left_out": [
                {"estimate_id": item.estimate_id, "reason": item.reason, "detail": item.detail}
                for item in answer.left_out
            ],
        }
    return document


def clip_json(report: ClipReport) -> Iterator[str]:
    """``clip`` as a JSON document: count, sources file, units, scenario and rows."""
    catalog, results, scenario = report.catalog, report.results, report.scenario
    document = _header(catalog, "clip")
    document["answer"] = answers_json(report)
    units = scenario.units
    rows = []
    for row in results.rows:
        record = _with_percentiles(row_json(row), row, results, scenario)
        if scenario.equivalents:
            expressed = report.equivalents[(row.estimate.id, row.quantity)]
            record["equivalents"] = [_expressed_json(entry) for entry in expressed]
        rows.append(record)
    document.update(
        count=scenario.count,
        units={quantity: units.of(quantity) for quantity in scenario.quantities},
        scenario=scenario_json(report),
        rows=rows,
        training_share=training_json(catalog, report.training),
        not_given=_not_given_json(results.missing),
        step_sources=_step_sources_json(report),
    )
    if report.embodied is not None:  # only when asked: other documents stay as they were
        document["embodied"] = embodied_json(catalog, report.embodied)
    return _json(document)


def compare_json(report: CompareReport) -> Iterator[str]:
    """``compare`` as a JSON document, sorted rows plus the spread between sources (and,
    with ``--pooled``, the pooled distribution)."""
    catalog, results, scenario = report.catalog, report.results, report.scenario
    quantity, spread, pool, rows = report.quantity, report.spread, report.pool, report.rows
    document = _header(catalog, "compare")
    document["answer"] = answers_json(report)
    document.update(
        quantity=quantity,
        unit=scenario.units.of(quantity),
        count=1,
        scenario=scenario_json(report),
        boundaries_differ=len({row.derivation.boundary for row in rows}) > 1,
        spread=None
        if spread is None
        else {
            "ratio": spread.ratio,
            "lowest": {"estimate_id": spread.lowest.estimate.id, "low": spread.lowest.per_clip.low},
            "highest": {
                "estimate_id": spread.highest.estimate.id,
                "high": spread.highest.per_clip.high,
            },
        },
        rows=[_with_percentiles(row_json(row), row, results, scenario) for row in rows],
        pooled=None
        if pool is None
        else {
            "percentiles": pool.percentiles.as_dict(),
            "weights": pool.weights,
            "weights_by_method": pool.by_method,
            "description": pool.description,
            "caveats": list(pool.caveats),
            "samples": scenario.samples,
        },
        not_given=_not_given_json(results.missing),
        step_sources=_step_sources_json(report),
    )
    if report.embodied is not None:  # only when asked: other documents stay as they were
        document["embodied"] = embodied_json(catalog, report.embodied)
    return _json(document)


def _with_percentiles(
    record: dict[str, Any], row: ResultRow, results: Results, scenario: Scenario
) -> dict[str, Any]:
    """A row's JSON with its Monte Carlo percentiles (per clip and batch) and sample count."""
    found = results.percentiles.get((row.estimate.id, row.quantity))
    if found is not None:
        record["percentiles"] = found[0].as_dict()
        record["batch_percentiles"] = found[1].as_dict()
        record["samples"] = scenario.samples
    return record


def explain_json(report: ExplainReport) -> Iterator[str]:
    """``explain`` as a JSON document: one derivation per quantity (a ``clip`` row, with its
    ``steps``), what could not be given, and the sources the steps cite."""
    catalog, scenario, estimate_id = report.catalog, report.scenario, report.estimate_id
    rows, missing = report.rows, report.missing
    estimate = next(e for e in catalog.estimates if e.id == estimate_id)
    document = _header(catalog, "explain")
    document.update(
        estimate_id=estimate_id,
        confidence=estimate.confidence,
        unconfirmed=dict(estimate.unconfirmed),
        count=scenario.count,
        scenario=scenario_json(report),
        derivations=[row_json(row) for row in rows],
        not_given=[
            {"estimate_id": estimate_id, "quantity": quantity, "reason": reason}
            for quantity, reason in missing.items()
        ],
        step_sources=_step_sources_json(report),
    )
    if report.embodied is not None:  # only when asked: other documents stay as they were
        document["embodied"] = embodied_json(catalog, report.embodied)
    return _json(document)


STEP_COLUMNS: tuple[str, ...] = (
    "estimate_id", "quantity", "index", "kind", "label", "op", "inputs", "factor_low",
    "factor_mid", "factor_high", "factor_unit", "factor_text", "factor_id", "source_id",
    "value_low", "value_mid", "value_high", "unit", "roles",
)  # fmt: skip


def steps_csv(report: ExplainReport) -> str:
    """``explain`` as CSV: one line per step of each quantity's derivation."""
    return _csv(
        STEP_COLUMNS,
        (
            {
                "estimate_id": report.estimate_id,
                "quantity": quantity,
                "index": position,
                "kind": step.kind,
                "label": step.label,
                "op": step.op,
                "inputs": " ".join(str(i) for i in step.inputs) or None,
                **_cases("factor", step.factor),
                "factor_unit": step.factor_unit if step.factor else None,
                "factor_text": step.factor_text,
                "factor_id": step.factor_id,
                "source_id": step.source_id,
                **_cases("value", step.value),
                "unit": step.unit,
                "roles": " ".join(step.roles) or None,
            }
            for row, quantity in _step_rows(report)
            for position, step in enumerate(row.steps)
        ),
    )


def _step_rows(report: ExplainReport) -> Iterator[tuple[Derivation, str]]:
    """Each derivation ``steps_csv`` writes and what it is of: the rows', then with
    --embodied the embodied share's (quantity ``embodied``)."""
    for row in report.rows:
        yield row.derivation, row.quantity
    shares = report.embodied
    found = shares.of(report.estimate_id) if shares is not None else None
    if found is not None:
        yield found, "embodied"


def _factor_json(catalog: Catalog, factor: Factor) -> dict[str, Any]:
    return {
        "id": factor.id,
        "kind": factor.kind,
        "values": factor.values.as_dict(),
        "unit": factor.unit,
        "published": dict(factor.published),
        "fill": factor.fill,
        "cases_note": factor.cases_note,
        "method": factor.method,
        "confidence": factor.confidence,
        "claim": factor.claim,
        "unconfirmed": dict(factor.unconfirmed),
        "source": _source_json(catalog.sources[factor.source]),
    }


_SITE_KINDS = ("pue", "wue_onsite", "ewif_offsite", "carbon_intensity")
SITE_COLUMNS: tuple[str, ...] = (
    "site_id", "name", "kind", "default",
    *(f"{kind}_{case}" for kind in _SITE_KINDS for case in CASES),
    *(f"{kind}_source" for kind in _SITE_KINDS),
    "aliases",
)  # fmt: skip
"""Columns of ``sites`` CSV: water factors in L/kWh, carbon intensity in gCO2e/kWh;
``aliases``, the site's former ids (``; ``-separated)."""


def sites_csv(catalog: Catalog) -> str:
    """``sites`` as CSV text, one line per site (water factors in L/kWh, carbon intensity
    in gCO2e/kWh; empty where a site has none)."""
    records = []
    for site in catalog.sites.values():
        record: dict[str, Any] = {
            "site_id": site.id,
            "name": site.name,
            "kind": site.kind,
            "default": site.default,
        }
        for kind in (*SITE_FACTORS, *OPTIONAL_SITE_FACTORS):
            factor = catalog.optional_site_factor(site, kind)
            key = kind.replace("-", "_")
            record.update(_cases(key, factor.values if factor else None))
            record[f"{key}_source"] = factor.source if factor else None
        record["aliases"] = "; ".join(site.aliases) or None
        records.append(record)
    return _csv(SITE_COLUMNS, records)


def sites_json(catalog: Catalog) -> Iterator[str]:
    """``sites`` as a JSON document, each factor with its source."""
    document = _header(catalog, "sites")
    document["sites"] = [
        {
            "id": site.id,
            "name": site.name,
            "kind": site.kind,
            "default": site.default,
            "note": site.note,
            "aliases": list(site.aliases),
            "factors": {
                kind: _factor_json(catalog, catalog.factors[factor_id])
                for kind, factor_id in site.factors.items()
            },
        }
        for site in catalog.sites.values()
    ]
    return _json(document)


def _covers(catalog: Catalog, source: Source) -> list[str]:
    """The estimates and factors that cite a source."""
    return (
        [estimate.id for estimate in catalog.estimates_citing(source.id)]
        + [factor.id for factor in catalog.factors_citing(source.id)]
        + [record.id for record in catalog.others_citing(source.id)]
    )


def sources_csv(catalog: Catalog) -> str:
    """``sources`` as CSV text, one line per source."""
    return _csv(
        SOURCE_COLUMNS,
        (
            {
                "source_id": source.id,
                "publisher": source.publisher,
                "title": source.title,
                "authors": "; ".join(source.authors) if source.authors else None,
                "date": source.date,
                "url": source.url,
                "kind": source.kind,
                "confidence": source.confidence,
                "gaps": "; ".join(f"{name}: {why}" for name, why in source.gaps.items()) or None,
                "estimates": "; ".join(_covers(catalog, source)) or None,
            }
            for source in catalog.sources.values()
        ),
    )


def sources_json(catalog: Catalog) -> Iterator[str]:
    """``sources`` as a JSON document, with what each source covers."""
    document = _header(catalog, "sources")
    document["sources"] = [
        {
            **_source_json(source),
            "kind": source.kind,
            "confidence": source.confidence,
            "gaps": dict(source.gaps),
            "unconfirmed": dict(source.unconfirmed),
            "note": source.note,
            "estimates": _covers(catalog, source),
        }
        for source in catalog.sources.values()
    ]
    return _json(document)


EQUIVALENT_COLUMNS: tuple[str, ...] = (
    "equivalent_id", "name", "basis", "counts", "amount_low", "amount_mid", "amount_high",
    "amount_unit", "published_low", "published_mid", "published_high", "per", "confidence",
    "source_id", "publisher", "date", "title", "source_url",
)  # fmt: skip
EXPRESSED_COLUMNS: tuple[str, ...] = (
    "amount", "amount_value", "amount_unit", "basis", "equivalent_id", "name", "counts",
    "low", "mid", "high", "source_id",
)  # fmt: skip


def equivalents_csv(report: EquivalentsReport) -> str:
    """``equivalents`` as CSV: the records (``amount_*`` per counted unit), or with
    ``--of``, one line per amount and equivalent of its basis."""
    catalog, amounts = report.catalog, report.amounts
    if amounts:
        return _csv(
            EXPRESSED_COLUMNS,
            (
                {
                    "amount": amount.text,
                    "amount_value": amount.value,
                    "amount_unit": amount.unit,
                    "basis": amount.basis,
                    "equivalent_id": entry.equivalent.id,
                    "name": entry.equivalent.name,
                    "counts": entry.equivalent.counts,
                    **entry.per_clip.as_dict(),
                    "source_id": entry.equivalent.source,
                }
                for amount, expressed in amounts
                for entry in expressed
            ),
        )
    records = []
    for item in catalog.equivalents.values():
        source = catalog.sources[item.source]
        records.append(
            {
                "equivalent_id": item.id,
                "name": item.name,
                "basis": item.basis,
                "counts": item.counts,
                **_cases("amount", item.amount),
                "amount_unit": item.amount_unit,
                **{f"published_{case}": item.published.get(case) for case in CASES},
                "per": item.per,
                "confidence": item.confidence,
                "source_id": source.id,
                "publisher": source.publisher,
                "date": source.date,
                "title": source.title,
                "source_url": source.url,
            }
        )
    return _csv(EQUIVALENT_COLUMNS, records)


def equivalents_json(report: EquivalentsReport) -> Iterator[str]:
    """``equivalents`` as a JSON document: every record with its source, and each
    ``--of`` amount expressed in the equivalents of its basis."""
    catalog = report.catalog
    document = _header(catalog, "equivalents")
    document["equivalents"] = [
        _equivalent_json(catalog, item) for item in catalog.equivalents.values()
    ]
    document["amounts"] = [
        {
            "amount": amount.text,
            "value": amount.value,
            "unit": amount.unit,
            "basis": amount.basis,
            "equivalents": [_expressed_json(entry) for entry in expressed],
        }
        for amount, expressed in report.amounts
    ]
    return _json(document)
