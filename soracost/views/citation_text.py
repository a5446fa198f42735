"""Citations in the format asked for, ready to write: to a file or a pipe as the writer
made them, to a terminal with every control, bidirectional or invisible character shown
instead of sent (:func:`soracost.views.text.shown`, line by line; CSL-JSON as JSON's
``\\uXXXX``, so that it still reads back the same)."""

from __future__ import annotations

from collections.abc import Sequence

from soracost.core.citations import Citation

CITATION_FORMATS = ("bibtex", "csl-json", "ris")
"""The citation formats, as ``--format`` and ``--cite`` name them."""


def citations_text(items: Sequence[Citation], format: str, terminal: bool = False) -> str:
    """``items`` written as ``bibtex``, ``csl-json`` or ``ris``; escaped for a terminal
    when ``terminal`` is true."""
    if format == "bibtex":
        from soracost.views.citation_bibtex import citations_bibtex

        text = citations_bibtex(items)
    elif format == "ris":
        from soracost.views.citation_ris import citations_ris

        text = citations_ris(items)
    elif format == "csl-json":
        from soracost.views.citation_csl import citations_csl_json

        text = citations_csl_json(items)
        if terminal:
            from soracost.views.jsontext import for_terminal

            return "".join(for_terminal([text]))
        return text
    else:
        raise ValueError(f"no citation format {format!r}; formats: {', '.join(CITATION_FORMATS)}")
    if not terminal:
        return text
    from soracost.views.text import shown

    return "\n".join(shown(line) for line in text.split("\n"))  # the writer's own lines
