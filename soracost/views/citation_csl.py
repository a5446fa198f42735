"""Citations as CSL-JSON: the array of items that Zotero, Pandoc (``--citeproc``) and
citeproc-js read. The items are built in the core (:func:`soracost.core.citations.csl_item`);
this only writes them, as UTF-8 text with no character escaped."""

from __future__ import annotations

import json
from collections.abc import Sequence

from soracost.core.citations import Citation, csl_item


def citations_csl_json(items: Sequence[Citation]) -> str:
    """Every citation as one CSL-JSON array, two-space indented; ``[]`` when there is none."""
    return json.dumps([csl_item(item) for item in items], ensure_ascii=False, indent=2) + "\n"
