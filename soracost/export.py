"""CSV and JSON exports, returned as text. Only the CLI writes them anywhere.

Numbers keep full precision: JSON floats and CSV cells use Python's shortest repr that
round-trips, so re-reading an export gives back the exact computed value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from soracost import __version__
from soracost.model import ResultRow, Spread, Units
from soracost.records import CASES, FILLS, Catalog, Clip, Source

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
    "published_low",
    "published_mid",
    "published_high",
    "fill",
    "model",
    "sora_proxy",
    "clip",
    "boundary",
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
"""Columns of ``clip`` and ``compare`` CSV exports, one line per estimate and quantity."""

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
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv(columns: Sequence[str], records: Iterable[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record[column]) for column in columns])
    return buffer.getvalue()


def _json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


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


def row_record(row: ResultRow) -> dict[str, Any]:
    """A result row as one flat CSV record (see :data:`ROW_COLUMNS`)."""
    estimate, source = row.estimate, row.source
    return {
        "estimate_id": estimate.id,
        "quantity": row.quantity,
        "unit": row.unit,
        "count": row.count,
        **{f"per_clip_{case}": value for case, value in row.per_clip.as_dict().items()},
        **{f"batch_{case}": value for case, value in row.batch.as_dict().items()},
        **{f"published_{case}": estimate.published.get(case) for case in CASES},
        "fill": estimate.fill,
        "model": estimate.applies_to.model,
        "sora_proxy": estimate.applies_to.sora_proxy,
        "clip": estimate.applies_to.clip.describe() or None,
        "boundary": estimate.boundary,
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


def row_json(row: ResultRow) -> dict[str, Any]:
    """A result row as a JSON object, with its full provenance."""
    estimate = row.estimate
    return {
        "estimate_id": estimate.id,
        "quantity": row.quantity,
        "unit": row.unit,
        "per_clip": row.per_clip.as_dict(),
        "batch": row.batch.as_dict(),
        "published": dict(estimate.published),
        "fill": estimate.fill,
        "fill_rule": FILLS[estimate.fill] if estimate.fill else None,
        "applies_to": {
            "model": estimate.applies_to.model,
            "sora_proxy": estimate.applies_to.sora_proxy,
            "hardware": estimate.applies_to.hardware,
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


def rows_csv(rows: Sequence[ResultRow]) -> str:
    """``clip`` or ``compare`` rows as CSV text (``compare`` rows have a count of 1)."""
    return _csv(ROW_COLUMNS, (row_record(row) for row in rows))


def clip_json(catalog: Catalog, rows: Sequence[ResultRow], count: int, units: Units) -> str:
    """``clip`` as a JSON document: count, sources file, units and rows."""
    document = _header(catalog, "clip")
    document.update(
        count=count,
        units={"energy": units.energy, "water": units.water},
        rows=[row_json(row) for row in rows],
    )
    return _json(document)


def compare_json(
    catalog: Catalog, rows: Sequence[ResultRow], quantity: str, unit: str, spread: Spread | None
) -> str:
    """``compare`` as a JSON document, sorted rows plus the spread between sources."""
    document = _header(catalog, "compare")
    document.update(
        quantity=quantity,
        unit=unit,
        count=1,
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
        rows=[row_json(row) for row in rows],
    )
    return _json(document)


def _covers(catalog: Catalog, source: Source) -> list[str]:
    return [estimate.id for estimate in catalog.estimates_citing(source.id)]


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


def sources_json(catalog: Catalog) -> str:
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
