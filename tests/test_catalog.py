"""Loading and validating catalogues: good data, and every kind of bad data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from soracost.core.errors import DataError
from soracost.core.ranges import Range
from soracost.core.records import Clip
from soracost.data.catalog import (
    default_sources_path,
    load_catalog,
    parse_catalog,
    resolve_sources_path,
)
from soracost.data.yamldoc import MAX_DEPTH

from .conftest import MINI, REPO_ROOT
from .helpers import subprocess_env

MINI_TEXT = MINI.read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    """The mini catalogue with one exact piece of text replaced (which must exist)."""
    assert old in MINI_TEXT, old
    return MINI_TEXT.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_mini_catalogue_loads_into_typed_records() -> None:
    catalog = load_catalog(MINI)
    assert list(catalog.sources) == ["paper", "news"]
    assert [e.id for e in catalog.estimates] == ["model-a", "model-b", "water-c"]
    paper = catalog.sources["paper"]
    assert paper.authors == ("Ada Lovelace", "Alan Turing")
    assert paper.date == "2025-09-23"
    assert catalog.sources["news"].date == "2025-10"
    assert catalog.sources["news"].gaps == {"authors": "no byline"}

    model_a, model_b, water_c = catalog.estimates
    assert model_a.values == Range(80.0, 90.0, 100.0) and model_a.unit == "Wh"
    assert model_a.applies_to.clip == Clip(width=1280, height=720, frames=81, fps=16.0, steps=50)
    assert model_a.applies_to.sora_proxy is True
    assert model_b.values == Range(7200.0, 7200.0, 7200.0) and model_b.unit == "J"
    assert model_b.published == {"mid": "7,200 J"}
    assert model_b.chain == ("news", "paper")
    assert water_c.values == Range(0.25, 0.5, 1.0) and water_c.unit == "L"
    assert water_c.fill == "geometric-mean"


def test_mixed_units_within_a_range_are_converted_to_the_first_case() -> None:
    catalog = parse_catalog(
        broken(
            "{low: 80 Wh, mid: 90 Wh, high: 100 Wh}", "{low: 0.08 kWh, mid: 324000 J, high: 100 Wh}"
        ),
        "x.yaml",
    )
    values = catalog.estimates[0].values
    assert catalog.estimates[0].unit == "kWh"
    assert values.low == 0.08
    assert values.mid == pytest.approx(0.09, rel=1e-12)
    assert values.high == pytest.approx(0.1, rel=1e-12)


def test_midpoint_fill() -> None:
    catalog = parse_catalog(broken("fill: geometric-mean", "fill: midpoint"), "x.yaml")
    assert catalog.estimates[2].values == Range(0.25, 0.625, 1.0)


# Each case: (replace this, with this, expected text in the message, line containing this).
BAD_DATA = {
    "yaml syntax": ("title: Test catalogue", "title: [unclosed", "starts on line 4", None),
    "tab indentation": ("  - id: paper\n", "  - id: paper\n\tpublisher: x\n", "invalid YAML", None),
    "duplicate key": (
        "    publisher: Example Press\n",
        "    publisher: Example Press\n    publisher: Again\n",
        "duplicate key 'publisher'",
        "publisher: Again",
    ),
    "unknown top-level key": (
        "title: Test catalogue",
        "titel: Test catalogue",
        "unknown key",
        "titel:",
    ),
    "unknown estimate key": (
        "    boundary: gpu\n",
        "    boundary: gpu\n    sources: paper\n",
        "unknown key",
        "sources: paper",
    ),
    "unknown source key": (
        "    kind: preprint",
        "    kind: preprint\n    doi: 10.1/x",
        "unknown key",
        "doi:",
    ),
    "missing title field": (
        "    title: Energy of video models\n",
        "",
        "title: missing",
        "- id: paper",
    ),
    "null citation field without a gap": (
        "url: https://example.org/paper",
        "url: null",
        "say why",
        "url: null",
    ),
    "gap for a field that has a value": (
        "      authors: no byline",
        "      authors: no byline\n      url: gone",
        "not a gap",
        "url: gone",
    ),
    "bad url": (
        "url: https://example.org/paper",
        "url: example.org/paper",
        "not an http(s) URL",
        "url: example.org",
    ),
    "bad date": ("date: 2025-10\n", "date: October 2025\n", "expected a date", "date: October"),
    "impossible date": (
        "date: 2025-09-23",
        "date: 2025-02-30",
        "invalid YAML value",
        "date: 2025-02-30",
    ),
    "wrong type": (
        "sora_proxy: true",
        "sora_proxy: yes please",
        "expected true or false",
        "sora_proxy: yes",
    ),
    "unknown quantity": (
        "quantity: water",
        "quantity: carbon",
        "'carbon' is not one of",
        "quantity: carbon",
    ),
    "unknown boundary": (
        "boundary: gpu\n",
        "boundary: rack\n",
        "'rack' is not one of",
        "boundary: rack",
    ),
    "unknown method": (
        "method: back-of-envelope",
        "method: guess",
        "'guess' is not one of",
        "method: guess",
    ),
    "unknown unit": ("mid: 90 Wh,", "mid: 90 Whh,", "unknown unit 'Whh'", "mid: 90 Whh"),
    "wrong dimension": (
        "{low: 0.25 L,",
        "{low: 0.25 kWh,",
        "'kWh' is not a unit of water",
        "0.25 kWh",
    ),
    "offset unit": ("{low: 0.25 L,", "{low: 20 degC,", "'degC' is not a unit of water", "20 degC"),
    "number without unit": ("mid: 90 Wh,", "mid: 90,", "has no unit", "mid: 90,"),
    "negative": ("low: 80 Wh", "low: -80 Wh", "negative", "low: -80 Wh"),
    "nan": ("low: 80 Wh", "low: nan Wh", "not a number followed by a unit", "low: nan"),
    "infinite": ("low: 80 Wh", "low: 1e400 Wh", "not a finite number", "1e400"),
    "low above mid": ("low: 80 Wh", "low: 95 Wh", "low <= mid <= high", "low: 95 Wh"),
    "missing fill": (
        "    fill: single-figure\n",
        "",
        "say how the other cases are set",
        "- id: model-b",
    ),
    "fill on a full range": (
        "    confidence: confirmed\n\n  - id: model-b",
        "    fill: midpoint\n    confidence: confirmed\n\n  - id: model-b",
        "needs exactly low and high",
        "fill: midpoint",
    ),
    "duplicate source id": (
        "  - id: news",
        "  - id: paper",
        "duplicate id 'paper' (first on line 7)",
        None,
    ),
    "duplicate estimate id": ("  - id: water-c", "  - id: model-a", "duplicate id 'model-a'", None),
    "dangling source": (
        "    source: paper\n",
        "    source: papr\n",
        "no source has id 'papr'",
        "source: papr",
    ),
    "dangling chain link": (
        "chain: [news, paper]",
        "chain: [news, book]",
        "no source has id 'book'",
        "chain: [news, book]",
    ),
    "chain without own source": (
        "chain: [news, paper]",
        "chain: [paper]",
        "must include",
        "chain: [paper]",
    ),
    "bad id": ("  - id: water-c", "  - id: Water C", "not a valid id", "id: Water C"),
    "negative clip width": (
        "width: 1280",
        "width: -1280",
        "positive number below 10^15",
        "width: -1280",
    ),
    "huge clip width": (
        "width: 1280",
        "width: 1" + "0" * 400,
        "positive number below 10^15",
        "width: 1000",
    ),
    "overflow on conversion": (
        "mid: 90 Wh,",
        "mid: 1e300 TWh,",
        "too large to express in Wh",
        "1e300 TWh",
    ),
    "publisher as a gap": (
        "      authors: no byline",
        "      authors: no byline\n      publisher: unknown",
        "cannot be a gap",
        "publisher: unknown",
    ),
    "geometric mean of zero": (
        "{low: 0.25 L,",
        "{low: 0 L,",
        "use 'midpoint'",
        "fill: geometric-mean",
    ),
    "alias": (
        "authors: [Ada Lovelace, Alan Turing]",
        "authors: &a [Ada Lovelace]\n    x: *a",
        "aliases",
        None,
    ),
    "impossible quoted date": (
        "date: 2025-09-23",
        'date: "2025-02-30"',
        "expected a date",
        "2025-02-30",
    ),
    "month 13": ("date: 2025-10\n", "date: 2025-13\n", "expected a date", "2025-13"),
    "non-ASCII digits in a date": (
        "date: 2025-10\n",
        'date: "２０２５"\n',
        "expected a date",
        "２０２５",
    ),
    "very long text": (
        "model: Model A",
        "model: " + "x" * 3000,
        "the limit is 2,000",
        "model: xxx",
    ),
    "python tag": (
        "title: Test catalogue",
        "title: !!python/object:os.system ls",
        "is not supported",
        "!!python",
    ),
    "standard tag with a bad value": (
        "model: Model A",
        "model: !!bool foo",
        "YAML tag",
        "!!bool foo",
    ),
    "octal number": ("frames: 81", "frames: 017", "plain decimal", "frames: 017"),
    "sexagesimal number": ("frames: 81", "frames: 1:30", "plain decimal", "frames: 1:30"),
    "escape codes in text": ("model: Model A", 'model: "a\\e[31mRED"', "control characters", "RED"),
    "dimensionless factor in a unit": (
        "mid: 90 Wh,",
        "mid: 90 cycle*Wh,",
        "dimensionless",
        "cycle*Wh",
    ),
    "unit expression that overflows": (
        "mid: 90 Wh,",
        "mid: 1 Wh*avogadro_number**20,",
        "dimensionless",
        "avogadro",
    ),
    "number that underflows": ("low: 80 Wh", "low: 1e-400 Wh", "too small", "1e-400"),
    "dangling see_also": (
        "    chain: [news, paper]\n",
        "    chain: [news, paper]\n    see_also: [nothing]\n",
        "no source has id 'nothing'",
        "see_also",
    ),
    "wrong schema version": (
        "schema_version: 1",
        "schema_version: 2",
        "unsupported version 2",
        "schema_version: 2",
    ),
    "estimates not a list": ("estimates:\n", "estimates: 3\nunused:\n", "unknown key", None),
}


@pytest.mark.parametrize(
    ("old", "new", "message", "line_needle"), BAD_DATA.values(), ids=BAD_DATA.keys()
)
def test_bad_data_names_file_line_and_problem(
    old: str, new: str, message: str, line_needle: str | None
) -> None:
    text = broken(old, new)
    with pytest.raises(DataError) as caught:
        parse_catalog(text, "bad.yaml")
    error = caught.value
    assert message in str(error)
    assert str(error).startswith("bad.yaml:")
    assert "\n" not in error.one_line()
    if line_needle is not None:
        assert error.line == line_of(text, line_needle), str(error)


def test_error_names_the_entry_and_the_field() -> None:
    with pytest.raises(DataError) as caught:
        parse_catalog(broken("mid: 90 Wh,", "mid: 90 Whh,"), "bad.yaml")
    error = caught.value
    assert error.entry == "estimate 'model-a'"
    assert error.field == "published.mid"
    assert str(error) == (
        f"bad.yaml:{line_of(broken('mid: 90 Wh,', 'mid: 90 Whh,'), 'Whh')}: estimate 'model-a': "
        "published.mid: unknown unit 'Whh' (expected a unit of energy: Wh, kWh, J, MJ)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"- a\n- b\n", "top level must be a mapping"),
        (b"just text", "top level must be a mapping"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
        (b"title: caf\xe9\n", "not UTF-8"),
        (b"a: 1\n---\nb: 2\n", "more than one YAML document"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "data.yaml"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_catalog(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        load_catalog(tmp_path / "absent.yaml")
    with pytest.raises(DataError, match="is a folder"):
        load_catalog(tmp_path)


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(DataError, match="aliases"):
        parse_catalog(bomb, "bomb.yaml")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_refused_in_our_words(depth: int) -> None:
    # Shallow excess is caught by soracost's builder; deep excess may be caught first by
    # the parser (libyaml's own limit since PyYAML 6.0.4). Either way the message is ours,
    # with the file, the line and the limit, never the parser's wording.
    text = "title: ok\nnested: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(DataError) as caught:
        parse_catalog(text, "deep.yaml")
    assert str(caught.value) == f"deep.yaml:2: data nested deeper than {MAX_DEPTH} levels"


def test_sources_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_sources_path(tmp_path / "x.yaml") == tmp_path / "x.yaml"
    monkeypatch.setenv("SORACOST_SOURCES", str(tmp_path / "env.yaml"))
    assert resolve_sources_path(None) == tmp_path / "env.yaml"
    monkeypatch.delenv("SORACOST_SOURCES")
    assert resolve_sources_path(None).name == "sources.yaml"


def test_the_embedded_catalogue_is_beside_the_module_else_at_the_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An installed package has its copy in soracost/data (the wheel's force-include);
    a checkout has none there, and reads the repository's. The folder looked in is the
    one importlib.resources names for the package, without importing it."""
    from importlib import resources

    from soracost.data import catalog

    assert Path(str(resources.files("soracost.data"))) == Path(catalog.__file__).parent
    package = tmp_path / "site" / "soracost" / "data"
    package.mkdir(parents=True)
    monkeypatch.setattr(catalog, "__file__", str(package / "catalog.py"))
    assert default_sources_path() == (tmp_path / "site").resolve() / "sources.yaml"
    (package / "sources.yaml").write_text("title: packaged\n", encoding="utf-8")
    assert default_sources_path() == package / "sources.yaml"


def test_a_package_in_an_archive_finds_its_copy_through_importlib_resources(
    tmp_path: Path,
) -> None:
    archive = tmp_path / "soracost.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for module in (REPO_ROOT / "soracost").rglob("*"):
            if module.is_file() and "__pycache__" not in module.parts:
                bundle.write(module, module.relative_to(REPO_ROOT).as_posix())
        bundle.write(REPO_ROOT / "sources.yaml", "soracost/data/sources.yaml")
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from soracost.data.catalog import default_sources_path\n"
        "print(default_sources_path())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(archive)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=subprocess_env(),
        check=True,
    )
    assert done.stdout == f"{archive / 'soracost' / 'data' / 'sources.yaml'}\n"


MODEL_TEXT = (MINI.parent / "model.yaml").read_text(encoding="utf-8")


def error_in(text: str) -> str:
    """The one-line message for a catalogue text that must fail to load."""
    with pytest.raises(DataError) as caught:
        parse_catalog(text, "bad.yaml")
    return str(caught.value)


def edited(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# Each kind of entry's keys, as its error messages list them (sorted): the keys are
# declared once per kind, with whether 'unconfirmed' may name each, and must stay so.
# (text, entry line, entry, keys the entry may have, fields 'unconfirmed' may name)
ENTRY_KEYS = {
    "source": (
        MINI_TEXT,
        "  - id: news\n",
        "source 'news'",
        "authors, confidence, date, gaps, id, kind, note, publisher, title, unconfirmed, url",
        "authors, date, publisher, title, url",
    ),
    "estimate": (
        MINI_TEXT,
        "  - id: model-b\n",
        "estimate 'model-b'",
        "applies_to, boundary, cases_note, chain, claim, confidence, fill, id, method, note, "
        "published, quantity, see_also, source, unconfirmed",
        "applies_to, applies_to.clip, applies_to.clip.duration_s, applies_to.clip.fps, "
        "applies_to.clip.frames, applies_to.clip.height, applies_to.clip.steps, "
        "applies_to.clip.width, applies_to.closed, applies_to.hardware, applies_to.model, "
        "applies_to.models_sora, "
        "applies_to.sora_proxy, boundary, cases_note, chain, claim, fill, method, note, published, published.high, "
        "published.low, published.mid, quantity, see_also, source",
    ),
    "factor": (
        MODEL_TEXT,
        "  - id: res-exp\n",
        "factor 'res-exp'",
        "accounting, cases_note, chain, claim, confidence, converts_from, fill, id, kind, "
        "method, note, published, see_also, source, unconfirmed",
        "accounting, cases_note, chain, claim, fill, method, note, published, published.high, "
        "published.low, published.mid, see_also, source",
    ),
    "equivalent": (
        MODEL_TEXT,
        "  - id: tv\n",
        "equivalent 'tv'",
        "basis, cases_note, chain, claim, confidence, counts, fill, id, name, note, per, "
        "published, see_also, source, unconfirmed",
        "cases_note, chain, claim, counts, fill, name, note, per, published, published.high, "
        "published.low, published.mid, see_also, source",
    ),
    "training record": (
        MODEL_TEXT,
        "  - id: big-model\n",
        "training record 'big-model'",
        "cases_note, chain, claim, confidence, fill, id, method, model, note, published, "
        "see_also, source, unconfirmed",
        "cases_note, chain, claim, fill, method, model, note, published, published.high, "
        "published.low, published.mid, see_also, source",
    ),
}


@pytest.mark.parametrize(
    ("text", "entry_line", "entry", "keys", "unconfirmable"),
    ENTRY_KEYS.values(),
    ids=ENTRY_KEYS.keys(),
)
def test_each_kind_of_entry_lists_its_keys_in_errors(
    text: str, entry_line: str, entry: str, keys: str, unconfirmable: str
) -> None:
    unknown = edited(text, entry_line, entry_line + "    colour: red\n")
    assert error_in(unknown) == (
        f"bad.yaml:{line_of(unknown, 'colour')}: {entry}: colour: "
        f"unknown key (expected one of: {keys})"
    )
    naming = edited(text, entry_line, entry_line + "    unconfirmed: {colour: a guess}\n")
    assert error_in(naming) == (
        f"bad.yaml:{line_of(naming, 'colour')}: {entry}: unconfirmed.colour: "
        f"names no field of this entry (expected one of: {unconfirmable})"
    )


def test_unconfirmed_may_name_nested_fields() -> None:
    text = edited(
        MINI_TEXT,
        "    claim: Model B uses 7,200 J per video.\n",
        "    claim: Model B uses 7,200 J per video.\n"
        "    unconfirmed: {applies_to.model: renamed since, published.mid: rounded}\n",
    )
    model_b = parse_catalog(text, "x.yaml").estimates[1]
    assert model_b.unconfirmed == {"applies_to.model": "renamed since", "published.mid": "rounded"}
    assert model_b.confidence == "partial" and model_b.chain == ("news", "paper")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - id: frames-exp", "  - id: res-exp", "factor 'res-exp': id: duplicate id 'res-exp' "
         "(first on line 101)"),
        # The repeated id is reported before the repeated kind on the same entry.
        ("  - id: frames-exp\n    kind: frames-exponent", "  - id: res-exp\n    kind: "
         "resolution-exponent", "duplicate id 'res-exp' (first on line 101)"),
        ("  - id: drytown", "  - id: testland", "site 'testland': id: duplicate id 'testland' "
         "(first on line 211)"),
        ("  - id: oven", "  - id: tv", "equivalent 'tv': id: duplicate id 'tv' "
         "(first on line 228)"),
        ("training:\n", "training:\n  - id: big-model\n    model: Big Model\n    published: "
         "{mid: 1 MWh}\n    fill: single-figure\n    method: disclosed\n    source: paper\n"
         "    claim: x\n    confidence: confirmed\n", "training record 'big-model': id: "
         "duplicate id 'big-model' (first on line 281)"),
    ],
    ids=["factor", "factor and kind", "site", "equivalent", "training"],
)  # fmt: skip
def test_every_list_refuses_a_repeated_id(old: str, new: str, message: str) -> None:
    assert message in error_in(edited(MODEL_TEXT, old, new))


CLAIM = "    claim: Model A uses about 90 Wh per video.\n"


@pytest.mark.parametrize(
    ("old", "new", "needle", "expected"),
    [
        (CLAIM, "    claim: null\n", "claim: null", "estimate 'model-a': claim: empty"),
        (CLAIM, "", "- id: model-a", "estimate 'model-a': claim: missing"),
        (CLAIM, '    claim: "  "\n', 'claim: "  "', "estimate 'model-a': claim: is blank"),
        (
            "  - id: news\n",
            "  - id: 7\n",
            "- id: 7",
            "source #2: id: expected text, got 7 (int)",
        ),
        (
            "  - id: news\n",
            "  - just text\n  - id: news\n",
            "- just text",
            "source #2: expected a mapping, got text 'just text'",
        ),
    ],
    ids=["empty", "missing", "blank", "entry by position", "entry that is no mapping"],
)
def test_a_field_and_an_entry_are_named_exactly(
    old: str, new: str, needle: str, expected: str
) -> None:
    """The messages of the fields' shared reads (data/fields.py), word for word: a required
    field that is null or absent, blank text, and an entry without a text id, named by its
    position."""
    text = broken(old, new)
    assert error_in(text) == f"bad.yaml:{line_of(text, needle)}: {expected}"
