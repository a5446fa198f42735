"""Typed, immutable records of a catalogue: sources, estimates and the clips they apply to.

These are plain data; ``catalog.py`` builds them from a validated data file. Every
estimate names the source it came from, so no number in soracost is without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from soracost.ranges import Range
from soracost.units import Quantity

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
    "single-figure": "the source gives one figure; low, mid and high are all set to it",
    "geometric-mean": "the source gives a range; mid is set to the geometric mean of low and high",
    "midpoint": "the source gives a range; mid is set to the arithmetic midpoint of low and high",
}
"""How the cases a source did not publish were set; every value says which rule it used."""

CASES = ("low", "mid", "high")
CITATION_FIELDS = ("publisher", "title", "authors", "date", "url")


@dataclass(frozen=True)
class Source:
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
    def citation(self) -> str:
        """A one-line human citation: publisher, authors, date, title."""
        parts = [self.publisher]
        if self.authors:
            parts.append(", ".join(self.authors))
        parts.append(self.date or "undated")
        if self.title:
            parts.append(f"“{self.title}”")
        return ". ".join(parts)


@dataclass(frozen=True)
class Clip:
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


@dataclass(frozen=True)
class AppliesTo:
    """What an estimate is about: the model, whether it stands in for Sora, and the clip."""

    model: str
    sora_proxy: bool
    clip: Clip
    hardware: str | None = None


@dataclass(frozen=True)
class Estimate:
    """One published figure of energy or water per clip, with its origin and limits.

    ``values`` is in ``unit``; ``published`` keeps each case exactly as the source wrote
    it, and ``fill`` says how the cases the source did not publish were set.
    ``chain`` lists the sources from the outermost report to the origin of the figure;
    ``see_also`` lists supporting sources, such as the data set the cases came from.
    """

    id: str
    quantity: Quantity
    values: Range
    unit: str
    published: dict[str, str]
    fill: Fill | None
    cases_note: str | None
    applies_to: AppliesTo
    boundary: Boundary
    method: Method
    source: str
    chain: tuple[str, ...]
    see_also: tuple[str, ...]
    claim: str
    confidence: Confidence
    line: int
    unconfirmed: dict[str, str] = field(default_factory=dict)
    note: str | None = None


@dataclass(frozen=True)
class Catalog:
    """A validated data file: its sources and estimates, and where it came from."""

    path: str
    sha256: str
    sources: dict[str, Source]
    estimates: tuple[Estimate, ...]
    title: str | None = None

    def source_of(self, estimate: Estimate) -> Source:
        """The source an estimate cites (guaranteed to exist by validation)."""
        return self.sources[estimate.source]

    def estimates_citing(self, source_id: str) -> list[Estimate]:
        """Estimates that cite ``source_id`` directly or anywhere in their chain."""
        return [
            estimate
            for estimate in self.estimates
            if estimate.source == source_id
            or source_id in estimate.chain
            or source_id in estimate.see_also
        ]
