"""The quick paths of loading a catalogue from the cache give what the plain ones gave.

An entry's JSON is checked row by row inside each container (data/cache.py), texts are
checked for control characters in their UTF-8 bytes, and the fields' reads take the usual
case without a further call (data/fields.py): each must refuse exactly what it refused,
and every message a bad data file gets must stay word for word.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from soracost.core.errors import DataError
from soracost.data import cache
from soracost.data.fields import MAX_TEXT, Fields
from soracost.data.yamldoc import LocatedDict, LocatedList, has_control_characters


def located(line: int = 3, **values: Any) -> LocatedDict:
    """A mapping at ``line`` whose keys are on the lines after it, in order."""
    mapping = LocatedDict(values)
    mapping.line = line
    mapping.key_lines = {key: line + 1 + index for index, key in enumerate(values)}
    return mapping


def items(*values: Any, line: int = 9) -> LocatedList:
    listed = LocatedList(values)
    listed.line, listed.item_lines = line, [line + 1 + index for index in range(len(values))]
    return listed


def failure(read: Any) -> str:
    """The message of the DataError that ``read()`` raises, as a user reads it."""
    with pytest.raises(DataError) as caught:
        read()
    return str(caught.value)


# --- Texts: the same control characters as the parser's pattern, code point by code point


@pytest.mark.parametrize(
    "points",
    [range(0, 0x800), range(0x800, 0x10000, 7), range(0x10000, 0x110000, 997)],
    ids=["one and two bytes, every one", "three bytes, a sample", "four bytes, a sample"],
)
def test_a_text_is_refused_exactly_when_the_parser_refuses_it(points: range) -> None:
    for point in points:
        if 0xD800 <= point <= 0xDFFF:
            continue  # half a UTF-16 pair: below
        text = f"a{chr(point)}b"
        refused = has_control_characters(text)
        for texts in ([text], ["key", text, "\u00a7 \u00bf \u0100"]):
            if refused:
                with pytest.raises(ValueError, match="text a data file holds"):
                    cache._check_texts(texts)
            else:
                cache._check_texts(texts)


@pytest.mark.parametrize("point", [0xD800, 0xDBFF, 0xDC00, 0xDFFF])
def test_half_a_utf16_pair_is_refused(point: int) -> None:
    with pytest.raises(ValueError, match="text a data file holds"):
        cache._check_texts(["fine", f"x{chr(point)}"])


def test_a_c1_control_right_after_another_two_byte_character_is_found() -> None:
    # U+00A7 is 0xC2 0xA7 and U+0085 is 0xC2 0x85: each 0xC2 is looked at.
    cache._check_texts(["\u00a7\u00a7\u00a7"])
    with pytest.raises(ValueError, match="text a data file holds"):
        cache._check_texts(["\u00a7\u00a7\u0085\u00a7"])


# --- An entry's JSON: every row of a container checked, nested or not


def decoded(document: object) -> object:
    body = json.dumps(["0" * 64, document], ensure_ascii=False).encode()
    entry = b"%s %s\n%s" % (cache.FORMAT, hashlib.sha256(body).hexdigest().encode(), body)
    return cache.decode(entry)[1]


GOOD = ["m", 1, "title", 2, "t", "list", 3, ["l", 3, 4, "a", 5, ["m", 5, "k", 5, 1.5]]]


def test_a_nested_document_comes_back_with_its_lines() -> None:
    document = decoded(GOOD)
    assert document == {"title": "t", "list": ["a", {"k": 1.5}]}
    assert (document.line, document.key_lines) == (1, {"title": 2, "list": 3})
    listed = document["list"]
    assert (listed.line, listed.item_lines) == (3, [4, 5])
    assert (listed[1].line, listed[1].key_lines) == (5, {"k": 5})


def test_numbers_come_back_to_the_bit() -> None:
    """msgspec's JSON decoder reads back every number as ``json`` writes it."""
    floats = [0.1, -0.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e23]
    floats += [0.1 * n for n in range(1, 400)] + [1 / n for n in range(1, 400)]
    numbers = [*floats, 0, -1, 2**63, -(2**64) - 1, 10**40]
    document = decoded(["l", 1, *(item for number in numbers for item in (2, number))])
    assert [(type(n), repr(n)) for n in document] == [(type(n), repr(n)) for n in numbers]


@pytest.mark.parametrize(
    "document",
    [
        ["m", 1, "a", 2, "x", "a", 3, "y"],  # a key twice
        ["m", 1, "a", 2, ["m", 2, "b", 3, "x", "b", 4, "y"]],  # nested, a key twice
        ["m", 1, "a", 2, ["m", 2, 7, 3, "x"]],  # nested, a key that is no text
        ["m", 1, "a", 0, "x"],  # a key's line 0
        ["m", 1, "a", True, "x"],  # a flag for a key's line
        ["m", 1, "a", 2.0, "x"],  # a float for a key's line
        ["m", 1, "a", 8 * 1024 * 1024 + 2, "x"],  # beyond any data file's lines
        ["l", 1, 2, "a", 0, "b"],  # an item's line 0
        ["l", 1, False, "a"],  # a flag for an item's line
        ["l", 1, 2, ["l", 2, "3", "a"]],  # nested, a text for an item's line
        ["m", 1, "a\x85", 2, "x"],  # a C1 control in a key
        ["l", 1, 2, ["m", 2, "k", 3, "bell \x07"]],  # a C0 control in a nested text
        ["m", 1, "a", 2, ["l", 2, 3, float("inf")]],  # not a finite number
    ],
)
def test_a_row_that_the_parser_cannot_build_is_refused(document: object) -> None:
    with pytest.raises(ValueError):
        decoded(document)


# --- The fields' reads: the usual case quick, every failure word for word


def test_a_text_of_spaces_around_a_valid_one_still_has_a_length_limit() -> None:
    padded = "  measured" + " " * MAX_TEXT
    fields = Fields(located(method=padded, claim=padded), "f.yaml", "estimate 'e'")
    long = f"is {len(padded):,} characters long; the limit is {MAX_TEXT:,}"
    assert failure(lambda: fields.text("claim")) == f"f.yaml:5: estimate 'e': claim: {long}"
    # A choice reads its value as text first: the length is refused, not the option taken.
    said = f"f.yaml:4: estimate 'e': method: {long}"
    assert failure(lambda: fields.choice("method", ("measured", "modelled"))) == said


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "method: empty"),
        (7, "method: expected text, got 7 (int)"),
        (True, "method: expected text, got true (a boolean)"),
        ("   ", "method: is blank"),
        (" guessed ", "method: 'guessed' is not one of: measured, modelled"),
    ],
)
def test_a_choice_fails_as_it_did(value: object, expected: str) -> None:
    fields = Fields(located(method=value), "f.yaml", "estimate 'e'")
    assert failure(lambda: fields.choice("method", ["measured", "modelled"])) == (
        f"f.yaml:4: estimate 'e': {expected}"
    )


def test_a_choice_is_one_of_its_options_or_none_when_optional() -> None:
    fields = Fields(located(method=" modelled\n", fill=None), "f.yaml", None)
    options = ("measured", "modelled")
    chosen = fields.choice("method", options)
    assert chosen == "modelled" and chosen is options[1]
    assert fields.choice("fill", options, required=False) is None  # null
    assert fields.choice("absent", iter(options), required=False) is None
    assert failure(lambda: fields.choice("absent", options)) == "f.yaml:3: absent: missing"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (items(" a ", "b"), ("a", "b")),
        (items("a", "  "), "f.yaml:11: source 's': authors[1]: expected text, got text '  '"),
        (items(3, "b"), "f.yaml:10: source 's': authors[0]: expected text, got 3 (int)"),
        (items(), "f.yaml:4: source 's': authors: expected a non-empty list of text, got a list"),
        ("a", "f.yaml:4: source 's': authors: expected a non-empty list of text, got text 'a'"),
    ],
)
def test_a_list_of_texts_reads_as_it_did(value: object, expected: object) -> None:
    fields = Fields(located(authors=value), "f.yaml", "source 's'")
    if isinstance(expected, tuple):
        assert fields.text_list("authors") == expected
    else:
        assert failure(lambda: fields.text_list("authors")) == expected


def test_a_mapping_and_its_reasons_fail_as_they_did() -> None:
    fields = Fields(located(gaps=None, clip="big", unconfirmed=located(5, url="why")), "f", "x")
    assert failure(lambda: fields.mapping("gaps")) == "f:4: x: gaps: empty"
    assert failure(lambda: fields.mapping("absent")) == "f:3: x: absent: missing"
    assert (
        failure(lambda: fields.mapping("clip"))
        == "f:5: x: clip: expected a mapping, got text 'big'"
    )
    assert fields.reasons("gaps", allowed=frozenset({"url"})) == {}
    assert fields.reasons("absent", allowed=("url",)) == {}
    for allowed in (frozenset({"title", "url"}), ["url", "title"]):
        assert fields.reasons("unconfirmed", allowed=allowed) == {"url": "why"}
        assert failure(lambda allowed=allowed: fields.reasons("unconfirmed", {"title"})) == (
            "f:6: x: unconfirmed.url: names no field of this entry (expected one of: title)"
        )


@pytest.mark.parametrize("allowed", [frozenset({"b", "a"}), {"a", "b"}, ("a", "b"), ["b", "a"]])
def test_an_unknown_key_is_named_whatever_the_keys_are_given_as(allowed: Any) -> None:
    Fields(located(a=1, b=2), "f", None).reject_unknown(allowed)
    fields = Fields(located(a=1, c=2, d=3), "f", None)
    said = "f:5: c: unknown key (expected one of: a, b)"  # the first, in file order
    assert failure(lambda: fields.reject_unknown(allowed)) == said
