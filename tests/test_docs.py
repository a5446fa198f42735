"""The manual in docs/ stays whole: the CLI reference matches today's --help, every page
of mkdocs.yml's navigation exists, and the README's links into docs/ lead somewhere."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from .conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs"
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cli_reference() -> ModuleType:
    """docs/cli_reference.py, imported by path (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("cli_reference", DOCS / "cli_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cli_reference", module)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_current(cli_reference: ModuleType) -> None:
    expected = cli_reference.generate()
    current = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert current == expected, "docs/cli.md is stale: run `python docs/cli_reference.py`"


def test_the_cli_reference_covers_every_command(cli_reference: ModuleType) -> None:
    page = cli_reference.generate()
    for command in ("clip", "compare", "explain", "sites", "sources", "sources check"):
        assert f"`soracost {command}`" in page
        assert f"Usage: soracost {command} [OPTIONS]" in page


def test_the_cli_reference_does_not_depend_on_the_terminal(
    cli_reference: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cli_reference.generate()
    monkeypatch.setenv("COLUMNS", "37")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    again = cli_reference.generate()
    assert again == first
    assert "\x1b" not in first
    assert max(len(line) for line in first.splitlines()) <= cli_reference.WIDTH


def test_the_check_mode_fails_on_a_stale_page(
    cli_reference: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = tmp_path / "cli.md"
    monkeypatch.setattr(cli_reference, "CLI_MD", page)
    assert cli_reference.main(["--check"]) == 1  # missing
    page.write_text("# stale\n", encoding="utf-8")
    assert cli_reference.main(["--check"]) == 1
    assert cli_reference.main([]) == 0
    assert cli_reference.main(["--check"]) == 0


def nav_pages(entry: object) -> list[str]:
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, list):
        return [page for item in entry for page in nav_pages(item)]
    if isinstance(entry, dict):
        return [page for value in entry.values() for page in nav_pages(value)]
    return []


def test_every_page_of_the_navigation_exists() -> None:
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    pages = nav_pages(config["nav"])
    assert "index.md" in pages and "cli.md" in pages
    for page in pages:
        if "://" not in page:
            assert (DOCS / page).is_file(), f"mkdocs.yml's nav names a missing page: {page}"
    # Every page in docs/ is reachable from the navigation.
    assert {path.name for path in DOCS.glob("*.md")} == set(pages)


def anchors(page: Path) -> set[str]:
    """The ids MkDocs gives the headings of a page (Python-Markdown's toc slugify)."""
    from markdown.extensions.toc import slugify

    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    headings = re.findall(r"^#{1,6} (.+)$", text, flags=re.MULTILINE)
    return {slugify(re.sub(r"[`*_]", "", heading), "-") for heading in headings}


def test_every_readme_link_into_docs_leads_to_a_page() -> None:
    links = re.findall(r"\]\((docs/[^)#\s]*)(#[^)\s]*)?\)", README)
    assert len(links) >= 5
    for target, anchor in links:
        path = REPO_ROOT / target
        assert path.exists(), f"README.md links to a missing file: {target}"
        if anchor:
            assert anchor[1:] in anchors(path), (
                f"README.md links to a missing anchor: {target}{anchor}"
            )
