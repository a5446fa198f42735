"""Citation export: ``sources --format bibtex|csl-json|ris`` and ``clip/compare --cite``.

Every format is read back by a reader other than the library that wrote it: BibTeX by
pybtex (and its LaTeX decoder, latexcodec, not pylatexenc which encoded it), RIS by rispy
and by a line parser written here, CSL-JSON by ``json`` against the schema's shape; and,
where it is installed, Pandoc reads the BibTeX into the same CSL-JSON and formats every
CSL-JSON item with its citeproc. Every
source of the shipped catalogue must come back with exactly the fields its record has:
none invented for what the record does not know. The mini catalogue's outputs are pinned
exactly in tests/data/golden/cite-*.txt (regenerate with ``SORACOST_UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pytest
import rispy
from hypothesis import given
from hypothesis import strategies as st
from pybtex.database import Person as BibPerson
from pybtex.database import parse_string
from typer.testing import CliRunner

from soracost.cli.app import app
from soracost.core.citations import (
    CSL_TYPES,
    Citation,
    Organisation,
    Person,
    citations,
    csl_item,
    split_name,
)
from soracost.core.records import Catalog, Source
from soracost.data.catalog import default_sources_path, load_catalog
from soracost.views.citation_text import citations_text

from .conftest import DATA, MINI, REPO_ROOT
from .helpers import soracost_argv, subprocess_env
from .test_architecture import modules_after

GOLDEN = DATA / "golden"
FORMATS = ("bibtex", "csl-json", "ris")
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
# The item types of the CSL-JSON schema (csl-data.json's "type" enum, in
# citation-style-language/schema, schemas/input/csl-data.json); its required keys are
# "id" and "type", and it allows no key it does not name.
CSL_ITEM_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
}  # fmt: skip
CSL_KEYS = {
    "id",
    "type",
    "title",
    "author",
    "issued",
    "publisher",
    "container-title",
    "URL",
    "note",
}

# A catalogue of the hard cases: an organisation as author (the record names its
# publisher as author), a von part, LaTeX's special characters and accents in a title, a
# bare year, no title, a bidirectional override and a newline in a title (the loader
# refuses control characters such as escape sequences, but not these).
EDGE_YAML = r"""
schema_version: 1
sources:
  - id: carbon-trust.2024
    publisher: Carbon Trust
    title: "Énergie & eau: 50% de $5 {brut} #1 ~ a_b ^ c\\d"
    authors: [Carbon Trust, Ludwig van Beethoven, "de la Fontaine, Jean"]
    date: 2024
    url: https://example.org/a_b%20c?x=1&y=2#frag
    kind: report
    confidence: confirmed
  - id: untitled
    publisher: Somewhere
    title: null
    authors: [Smith and Sons]
    date: 2023-02
    url: null
    kind: dataset
    confidence: partial
    gaps:
      title: a data file has no title
      url: the copy read was sent by mail
  - id: escape
    publisher: Bad Press
    title: "Red \u202ealert\nnow"
    authors: null
    date: null
    url: https://example.org/escape
    kind: news
    confidence: unconfirmed
    gaps:
      authors: no byline
      date: undated
estimates:
  - id: e
    quantity: energy
    published: {mid: 1 Wh}
    fill: single-figure
    applies_to: {model: M, sora_proxy: false}
    boundary: gpu
    method: measured
    source: carbon-trust.2024
    see_also: [untitled, escape]
    claim: one
    confidence: confirmed
"""


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(default_sources_path())


@pytest.fixture
def edge(tmp_path: Path) -> Path:
    path = tmp_path / "edge.yaml"
    path.write_text(EDGE_YAML, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- reading back ----------------------------------------------------------------------

# Text macros latexcodec leaves as they are (it decodes accents and escaped specials).
_MACROS = {
    r"\textquotedblleft": "“", r"\textquotedblright": "”", r"\textquoteleft": "‘",
    r"\textquoteright": "’", r"\textemdash": "—", r"\textendash": "–", r"\texttimes": "×",
    r"\textasciitilde": "~", r"\textasciicircum": "^",
    r"\ensuremath": "", r"\approx": "≈",
}  # fmt: skip


# Escapes latexcodec leaves, or decodes to something that reads as another escape:
# set aside before it runs (as private-use characters), put back after.
_ASIDE = {
    r"\textbackslash": "\ue000", r"\$": "\ue001", r"\{": "\ue002", r"\}": "\ue003",
    r"\textbraceleft": "\ue002", r"\textbraceright": "\ue003",
}  # fmt: skip
_BACK = {"\ue000": "\\", "\ue001": "$", "\ue002": "{", "\ue003": "}"}


def from_latex(value: str) -> str:
    """A BibTeX field's text as a reader sees it: LaTeX decoded by latexcodec, braces gone."""
    for escape, placeholder in _ASIDE.items():
        value = value.replace(escape, placeholder)
    text = codecs.decode(value, "ulatex")  # type: ignore[arg-type]
    for macro, character in _MACROS.items():
        text = re.sub(re.escape(macro) + r"(?![A-Za-z]) ?", lambda _m, c=character: c, text)
    text = text.replace("{", "").replace("}", "")
    assert "\\" not in text, f"undecoded LaTeX left in {value!r}: {text!r}"
    return "".join(_BACK.get(character, character) for character in text)


def parse_ris_lines(text: str) -> list[dict[str, list[str]]]:
    """RIS read without rispy: ``TAG  - value`` lines, a reference from TY to ER."""
    references: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.split("\n"):
        if not line:
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - (.*)", line)
        assert match, f"not an RIS line: {line!r}"
        tag, value = match.groups()
        if tag == "TY":
            assert current is None, "TY inside a reference"
            current = {}
        assert current is not None, f"{tag} outside a reference"
        if tag == "ER":
            assert value == ""
            references.append(current)
            current = None
            continue
        current.setdefault(tag, []).append(value)
    assert current is None, "a reference has no ER"
    return references


def expected_bibtex_fields(source: Source) -> set[str]:
    """The fields a source's entry has: those its record knows, and a note for the rest."""
    fields = {"institution" if source.kind == "report" else "howpublished"}
    if source.authors:
        fields.add("author")
    if source.title:
        fields.add("title")
    if source.date:
        fields |= {"year", "date"} | ({"month"} if len(source.date) > 4 else set())
    if source.url:
        fields.add("url")
    if source.gaps or source.unconfirmed:
        fields.add("note")
    return fields


def person_parts(person: BibPerson) -> tuple[str, str, str, str]:
    """pybtex's parts of a name: (family, given, particle, suffix), decoded."""
    return (
        from_latex(" ".join(person.last_names)),
        from_latex(" ".join(person.first_names + person.middle_names)),
        from_latex(" ".join(person.prelast_names)),
        from_latex(" ".join(person.lineage_names)),
    )


def our_parts(name: Person) -> tuple[str, str, str, str]:
    return (name.family, name.given or "", name.particle or "", name.suffix or "")


# --- BibTeX ----------------------------------------------------------------------------


def test_bibtex_of_every_shipped_source_reads_back_with_no_invented_field(
    runner: CliRunner, shipped: Catalog
) -> None:
    database = parse_string(run(runner, "sources", "--format", "bibtex"), "bibtex")
    assert list(database.entries) == list(shipped.sources)  # every source, in order, once
    for source in shipped.sources.values():
        entry = database.entries[source.id]
        fields = {name.lower() for name in entry.fields} | set(entry.persons)
        assert fields == expected_bibtex_fields(source), source.id
        assert entry.type == ("techreport" if source.kind == "report" else "misc")
        publisher = entry.fields.get("institution") or entry.fields["howpublished"]
        assert from_latex(publisher) == one_line(source.publisher)
        if source.title:
            title = entry.fields["title"]
            assert title.startswith("{") and title.endswith("}")  # its case kept as written
            assert from_latex(title) == one_line(source.title), source.id
        if source.date:
            assert entry.fields["year"] == source.date[:4]
            assert entry.fields["date"] == source.date
            if len(source.date) > 4:
                assert entry.fields["month"] == MONTHS[int(source.date[5:7]) - 1]
        if source.url:
            assert entry.fields["url"] == source.url  # never LaTeX-encoded
        if source.authors:
            read = entry.persons["author"]
            assert len(read) == len(source.authors)
            for person, name in zip(read, source.authors, strict=True):
                # The name as exported reads as BibTeX would read the record's own name.
                assert person_parts(person) == person_parts(BibPerson(name)), name
        note = from_latex(entry.fields.get("note", ""))
        for field, why in (*source.gaps.items(), *source.unconfirmed.items()):
            assert one_line(why) in note, (source.id, field)


_TRICKY = "aZ 09{}\\%&$#_~^\"'`-<>!?.,;:@=éÉüçßøŁ–—“”×≈µ⚡中"


@given(title=st.text(_TRICKY, min_size=1, max_size=30).map(one_line).filter(bool))
def test_any_title_reads_back_from_bibtex(title: str) -> None:
    from soracost.views.citation_bibtex import citations_bibtex

    item = Citation(
        key="k", kind="news", type="article-newspaper", publisher=title, title=title,
        authors=None, issued=None, url=None,
    )  # fmt: skip
    entry = parse_string(citations_bibtex([item]), "bibtex").entries["k"]
    assert from_latex(entry.fields["title"]) == title
    assert from_latex(entry.fields["howpublished"]) == title


def test_a_brace_in_a_url_is_percent_encoded_for_bibtex_only() -> None:
    from soracost.views.citation_bibtex import citations_bibtex

    item = Citation(
        key="k", kind="web-page", type="webpage", publisher="P", title=None, authors=None,
        issued=None, url="https://example.org/{a}?b={",
    )  # fmt: skip
    entry = parse_string(citations_bibtex([item]), "bibtex").entries["k"]
    assert entry.fields["url"] == "https://example.org/%7Ba%7D?b=%7B"  # the same address
    assert json.loads(citations_text([item], "csl-json"))[0]["URL"] == item.url
    assert parse_ris_lines(citations_text([item], "ris"))[0]["UR"] == [item.url]


def test_bibtex_hard_cases_read_back(runner: CliRunner, edge: Path) -> None:
    text = run(runner, "sources", "--sources", str(edge), "--format", "bibtex")
    assert "author = {{Carbon Trust} and van Beethoven, Ludwig and de la Fontaine, Jean}" in text
    assert "author = {{Smith and Sons}}" in text  # 'and' inside one name: braced whole
    assert "url = {https://example.org/a_b%20c?x=1&y=2#frag}" in text  # as it is
    assert "year = {2024}" in text and "month" not in text.split("@", 2)[1]
    database = parse_string(text, "bibtex")
    entry = database.entries["carbon-trust.2024"]
    assert from_latex(entry.fields["title"]) == "Énergie & eau: 50% de $5 {brut} #1 ~ a_b ^ c\\d"
    people = entry.persons["author"]
    assert [person_parts(person) for person in people] == [
        ("Carbon Trust", "", "", ""),
        ("Beethoven", "Ludwig", "van", ""),
        ("Fontaine", "Jean", "de la", ""),
    ]
    assert [person_parts(p) for p in database.entries["untitled"].persons["author"]] == [
        ("Smith and Sons", "", "", "")
    ]
    assert "title" not in database.entries["untitled"].fields
    assert set(database.entries["escape"].fields) == {"title", "howpublished", "url", "note"}


# --- names -----------------------------------------------------------------------------

_WORD = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉ", min_size=1, max_size=6)


@given(words=st.lists(_WORD, min_size=1, max_size=5))
def test_names_split_as_bibtex_splits_them(words: list[str]) -> None:
    name = " ".join(words)
    assert our_parts(split_name(name)) == person_parts(BibPerson(name))
    # And the family-first form we write reads back to the same parts.
    assert our_parts(split_name(name)) == person_parts(BibPerson(split_name(name).family_first))


@given(
    family=st.lists(_WORD, min_size=1, max_size=3),
    given_names=st.lists(_WORD, min_size=1, max_size=3),
)
def test_family_first_names_split_as_bibtex_splits_them(
    family: list[str], given_names: list[str]
) -> None:
    name = f"{' '.join(family)}, {' '.join(given_names)}"
    assert our_parts(split_name(name)) == person_parts(BibPerson(name))


def test_names_family_first() -> None:
    assert split_name("Julien Delavande") == Person("Delavande", "Julien")
    assert split_name("Ludwig van Beethoven").family_first == "van Beethoven, Ludwig"
    assert split_name("King, Jr., Martin Luther") == Person("King", "Martin Luther", None, "Jr.")
    assert split_name("Madonna") == Person("Madonna")


# --- RIS -------------------------------------------------------------------------------


def test_ris_of_every_shipped_source_reads_back(runner: CliRunner, shipped: Catalog) -> None:
    text = run(runner, "sources", "--format", "ris")
    by_rispy = rispy.loads(text)
    by_lines = parse_ris_lines(text)
    assert [ref["id"] for ref in by_rispy] == list(shipped.sources)
    assert [ref["ID"] for ref in by_lines] == [[key] for key in shipped.sources]
    for source, ref, lines in zip(shipped.sources.values(), by_rispy, by_lines, strict=True):
        tags = set(lines)
        where = "T2" if source.kind in ("news", "blog") else "PB"
        expected = {"TY", "ID", where}
        expected |= {"AU"} if source.authors else set()
        expected |= {"TI"} if source.title else set()
        expected |= {"PY", "DA"} if source.date else set()
        expected |= {"UR"} if source.url else set()
        expected |= {"N1"} if source.gaps or source.unconfirmed else set()
        assert tags == expected, source.id
        key = "secondary_title" if where == "T2" else "publisher"
        assert ref[key] == lines[where][0] == one_line(source.publisher)
        if source.title:
            assert ref["title"] == lines["TI"][0] == one_line(source.title)
        if source.authors:
            assert ref["authors"] == lines["AU"]
            assert lines["AU"] == [split_name(name).family_first for name in source.authors]
        if source.date:
            parts = [*source.date.split("-"), "", ""][:3]
            assert lines["DA"] == ["/".join(parts) + "/"]
            assert ref["year"] == lines["PY"][0] == source.date[:4]
        if source.url:
            assert ref["urls"] == lines["UR"] == [source.url]


def test_ris_hard_cases(runner: CliRunner, edge: Path) -> None:
    references = parse_ris_lines(run(runner, "sources", "--sources", str(edge), "-f", "ris"))
    first = references[0]
    assert first["TY"] == ["RPRT"]
    assert first["AU"] == ["Carbon Trust", "van Beethoven, Ludwig", "de la Fontaine, Jean"]
    assert first["DA"] == ["2024///"] and first["PY"] == ["2024"]
    assert references[1]["N1"] == [
        "Unknown: title (a data file has no title); URL (the copy read was sent by mail)."
    ]


# --- CSL-JSON --------------------------------------------------------------------------


def check_csl_shape(item: dict[str, object]) -> None:
    """An item as the CSL-JSON schema wants it: id and type required, known keys only."""
    assert isinstance(item["id"], str) and item["id"]
    assert item["type"] in CSL_ITEM_TYPES
    assert set(item) <= CSL_KEYS
    for key in ("title", "publisher", "container-title", "URL", "note"):
        assert isinstance(item.get(key, ""), str)
    for name in item.get("author", []):  # type: ignore[attr-defined]
        assert set(name) <= {"family", "given", "dropping-particle", "suffix", "literal"}
        assert ("literal" in name) != ("family" in name)
        assert all(isinstance(part, str) and part for part in name.values())
    if "issued" in item:
        (parts,) = item["issued"]["date-parts"]  # type: ignore[index]
        assert 1 <= len(parts) <= 3 and all(isinstance(part, int) for part in parts)


def test_csl_json_of_every_shipped_source(runner: CliRunner, shipped: Catalog) -> None:
    text = run(runner, "sources", "--format", "csl-json")
    items = json.loads(text)
    assert [item["id"] for item in items] == list(shipped.sources)
    for item, source in zip(items, shipped.sources.values(), strict=True):
        check_csl_shape(item)
        assert item["type"] == CSL_TYPES[source.kind]
        assert ("title" in item) == bool(source.title)
        assert ("author" in item) == bool(source.authors)
        assert ("issued" in item) == bool(source.date)
        assert ("URL" in item) == bool(source.url)
        where = "container-title" if source.kind in ("news", "blog") else "publisher"
        assert item[where] == one_line(source.publisher)
        assert len({"publisher", "container-title"} & set(item)) == 1
        if source.date:
            assert item["issued"]["date-parts"] == [[int(p) for p in source.date.split("-")]]
    # Round trip: the same items, written the same way.
    assert items == [csl_item(item) for item in citations(shipped)]
    assert json.dumps(items, ensure_ascii=False, indent=2) + "\n" == text


def test_csl_json_organisation_is_a_literal(runner: CliRunner, edge: Path) -> None:
    items = json.loads(run(runner, "sources", "--sources", str(edge), "-f", "csl-json"))
    for item in items:
        check_csl_shape(item)
    assert items[0]["author"] == [
        {"literal": "Carbon Trust"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"family": "Fontaine", "given": "Jean", "dropping-particle": "de la"},
    ]
    assert items[0]["issued"] == {"date-parts": [[2024]]}
    assert "title" not in items[1] and "URL" not in items[1]
    assert items[2]["note"] == "Unknown: author (no byline); date (undated)."


# --- Pandoc, where installed: a third reader, and the citation processor people use -----

PANDOC = shutil.which("pandoc")
needs_pandoc = pytest.mark.skipif(PANDOC is None, reason="pandoc is not installed")


def pandoc(*args: str, stdin: str = "") -> str:
    assert PANDOC is not None
    return subprocess.run(
        [PANDOC, *args], input=stdin, capture_output=True, text=True, check=True
    ).stdout


@needs_pandoc
@pytest.mark.parametrize("catalogue", ["shipped", "edge"])
def test_pandoc_reads_the_bibtex_as_the_csl_json_says(
    runner: CliRunner, edge: Path, tmp_path: Path, catalogue: str
) -> None:
    data = ["--sources", str(edge)] if catalogue == "edge" else []
    bib = tmp_path / "refs.bib"
    bib.write_text(run(runner, "sources", *data, "-f", "bibtex"), encoding="utf-8")
    # Pandoc makes straight apostrophes typographic ones; nothing else may differ.
    read = json.loads(pandoc("-f", "bibtex", "-t", "csljson", str(bib)).replace("’", "'"))
    ours = json.loads(run(runner, "sources", *data, "-f", "csl-json").replace("’", "'"))
    assert [item["id"] for item in read] == [item["id"] for item in ours]
    for theirs, mine in zip(read, ours, strict=True):
        for key in ("title", "author", "issued", "URL", "note"):
            assert theirs.get(key) == mine.get(key), (mine["id"], key)
        assert theirs["publisher"] == mine.get("publisher", mine.get("container-title"))


@needs_pandoc
def test_pandoc_citeproc_formats_every_csl_json_item(runner: CliRunner, tmp_path: Path) -> None:
    refs = tmp_path / "refs.json"
    refs.write_text(run(runner, "sources", "-f", "csl-json"), encoding="utf-8")
    text = pandoc(
        "--citeproc", "--bibliography", str(refs), "-t", "plain", "--wrap=none",
        stdin="---\nnocite: '@*'\n---\n",
    )  # fmt: skip
    text = text.replace("’", "'").casefold()  # the default style title-cases titles
    for item in json.loads(refs.read_text(encoding="utf-8")):
        shown = item.get("URL") or item.get("title") or item.get("publisher")
        assert shown and shown.casefold() in text, item["id"]


# --- exact output, keys, what a run cites ----------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_mini_citations_match_their_golden_file(runner: CliRunner, format: str) -> None:
    text = run(runner, "sources", "--sources", str(MINI), "--format", format)
    expected = GOLDEN / f"cite-{format}.txt"
    if os.environ.get("SORACOST_UPDATE_GOLDEN"):
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def test_keys_are_the_source_ids_and_stable_between_runs() -> None:
    outputs = []
    for seed in ("1", "2"):  # another hash seed: no order may come from a set
        env = {**subprocess_env(), "PYTHONHASHSEED": seed}
        runs = [
            subprocess.run(
                soracost_argv(*args),
                capture_output=True,
                text=True,
                env=env,
                cwd=REPO_ROOT,
                check=True,
            ).stdout
            for args in (
                ("sources", "--format", "bibtex"),
                ("clip", "--count", "10", "--site", "arizona", "--carbon", "--cite", "bibtex"),
            )
        ]
        outputs.append(runs)
    assert outputs[0] == outputs[1]
    keys = re.findall(r"^@\w+\{([^,]+),$", outputs[0][0], re.MULTILINE)
    assert keys == list(load_catalog(default_sources_path()).sources)


@pytest.mark.parametrize(
    ("model", "cited"), [("model a", ["paper"]), ("model c", ["paper", "news"])]
)
def test_cite_lists_only_the_sources_a_run_used(
    runner: CliRunner, model: str, cited: list[str]
) -> None:
    for command in ("clip", "compare"):
        extra = ["--quantity", "water"] if command == "compare" and model == "model c" else []
        text = run(
            runner, command, "--sources", str(MINI), "-m", model, *extra, "--cite", "csl-json"
        )
        assert [item["id"] for item in json.loads(text)] == cited, command


def test_cite_on_the_shipped_catalogue_covers_every_source_shown(
    runner: CliRunner, shipped: Catalog
) -> None:
    args = ["clip", "--model", "wan", "--site", "ireland", "--carbon"]
    document = json.loads(run(runner, *args, "--format", "json"))
    shown = set(document["step_sources"])
    for row in document["rows"]:
        shown |= {row["source"]["id"], *(s["id"] for s in row["chain"] + row["see_also"])}
    cited = [ref["id"] for ref in rispy.loads(run(runner, *args, "--cite", "ris"))]
    assert shown <= set(cited) < set(shipped.sources)
    assert cited == [key for key in shipped.sources if key in cited]  # catalogue order
    # Anything else cited is in the provenance of a factor the rows used.
    provenance = {
        key
        for factor in shipped.factors.values()
        if factor.source in shown
        for key in (factor.source, *factor.chain, *factor.see_also)
    }
    assert set(cited) - shown <= provenance


def test_cite_with_embodied_adds_the_hardware_sources(runner: CliRunner, shipped: Catalog) -> None:
    if not shipped.embodied:
        pytest.skip("the shipped catalogue has no embodied records")
    args = ["clip", "--model", "mochi", "--cite", "csl-json"]
    without = {item["id"] for item in json.loads(run(runner, *args))}
    with_embodied = {item["id"] for item in json.loads(run(runner, *args, "--embodied"))}
    hardware = {
        key
        for record in shipped.embodied.values()
        for key in (record.source, *record.chain, *record.see_also)
    }
    assert without and with_embodied == without | hardware


# --- errors, terminal, files -----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["sources", "--format", "bib"],
        ["clip", "--cite", "endnote"],
        ["clip", "--cite", "bibtex", "--format", "csv"],
        ["compare", "--cite", "ris", "--format", "json"],
        ["sources", "--format", "ris", "check"],
    ],
)
def test_a_bad_citation_request_is_one_usage_line(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--sources", str(MINI)] if args[-1] != "check" else args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("soracost: usage error: ")
    assert result.stderr.count("\n") == 1


def test_terminal_output_is_escaped_and_files_verbatim(
    runner: CliRunner, edge: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import soracost.cli.delivery

    for format, escaped in (("bibtex", "<U+202E>"), ("ris", "<U+202E>"), ("csl-json", "\\u202e")):
        path = tmp_path / f"refs.{format}"
        run(runner, "sources", "--sources", str(edge), "-f", format, "-o", str(path))
        assert "Red \u202ealert now" in path.read_text(encoding="utf-8")  # as it is
        monkeypatch.setattr(soracost.cli.delivery, "to_terminal", lambda output: True)
        shown = run(runner, "sources", "--sources", str(edge), "-f", format)
        monkeypatch.undo()
        assert "\u202e" not in shown and f"Red {escaped}alert now" in shown, format
        if format == "csl-json":
            assert json.loads(shown) == json.loads(path.read_text(encoding="utf-8"))


def test_writing_citations_to_a_file_says_so(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    result = runner.invoke(
        app, ["clip", "--sources", str(MINI), "-m", "model a", "--cite", "bibtex", "-o", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"soracost: wrote 1 citation to {path}\n"
    assert path.read_text(encoding="utf-8").startswith("@misc{paper,\n")


def test_no_citation_is_an_empty_document() -> None:
    assert citations_text([], "bibtex") == ""
    assert citations_text([], "ris") == ""
    assert citations_text([], "csl-json") == "[]\n"


def test_a_gap_is_never_filled() -> None:
    source = Source(
        id="s", publisher="P", title=None, authors=None, date=None, url=None, kind="web-page",
        confidence="partial", line=1, gaps={"title": "t", "authors": "a", "date": "d", "url": "u"},
    )  # fmt: skip
    item = citations(Catalog("x", "0", {"s": source}, ()))[0]
    assert item == Citation(
        key="s", kind="web-page", type="webpage", publisher="P", title=None,
        authors=None, issued=None, url=None,
        unknown=(("title", "t"), ("authors", "a"), ("date", "d"), ("url", "u")),
    )  # fmt: skip
    assert csl_item(item) == {
        "id": "s",
        "type": "webpage",
        "publisher": "P",
        "note": "Unknown: title (t); author (a); date (d); URL (u).",
    }
    assert Organisation("P") not in (item.authors or ())


def test_the_writers_load_only_for_their_format() -> None:
    statement = (
        "import contextlib, io\n"
        "from soracost.cli.app import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    app({args}, standalone_mode=False)"
    )
    plain = modules_after(statement.format(args="['sources', '-f', 'csv']"))
    assert not plain & {"bibtexparser", "rispy", "pylatexenc"}
    bibtex = modules_after(statement.format(args="['sources', '-f', 'bibtex']"))
    assert "bibtexparser" in bibtex and not bibtex & {"rich", "rispy"}
    ris = modules_after(statement.format(args="['clip', '--cite', 'ris']"))
    assert "rispy" in ris and not ris & {"rich", "bibtexparser"}
