"""The HTML report in a real browser: headless Chromium opens the page with the network
off, and the DOM it builds holds the tables, the chart and the citations; a screenshot
of the page is not blank.

Skipped where Chromium is absent, unless SORACOST_REQUIRE_BROWSER=1 (CI sets it, and
installs Chromium), where its absence fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from soracost.cli.app import app

from .conftest import DATA

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # The network is off: every host resolves nowhere, so nothing could be fetched.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)  # fmt: skip


def chromium() -> str:
    """The browser's path; the test is skipped without one (failed if one is required)."""
    found = next(
        (path for name in CHROMIUM_NAMES if (path := shutil.which(name) or "")),
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else "",
    )
    if not found:
        if os.environ.get("SORACOST_REQUIRE_BROWSER") == "1":
            pytest.fail("SORACOST_REQUIRE_BROWSER=1 but no Chromium was found")
        pytest.skip("no Chromium on this machine")
    return found


class _Dom(HTMLParser):
    """Counts of the elements the report must render, and the citations' links."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.links: list[str] = []
        self.fetches: list[str] = []
        self.ids: set[str] = set()
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag == "a" and (attributes.get("href") or "").startswith("#"):
            self.anchors.append((attributes.get("href") or "")[1:])
        if tag == "a" and attributes.get("class") == "citation":
            self.links.append(attributes.get("href") or "")
        for name in ("src", "srcset", "data"):
            if attributes.get(name):
                self.fetches.append(f"{tag} {name}={attributes[name]}")
        if tag == "link":
            self.fetches.append(f"link {attributes.get('href')}")


def run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = chromium()
    page = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["report", str(DATA / "usage" / "team.csv"), "-f", "html", "-o", str(page)]
    )
    assert result.exit_code == 0, result.output
    dumped = run_chromium(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = _Dom()
    dom.feed(dumped.stdout)
    # The totals, the lines, the chart (a bar and a P5–P95 whisker per line), citations.
    assert dom.tags.get("table", 0) >= 2
    assert dom.tags.get("td", 0) >= 7 * 5 + 8 * 2
    assert dom.tags.get("svg") == 1
    assert dom.tags.get("rect") == 2 and dom.tags.get("line") == 2
    assert dom.links and all(link.startswith("https://") for link in dom.links)
    assert dom.fetches == []
    # Every line's sources link to a citation on the page.
    assert dom.anchors and set(dom.anchors) <= dom.ids
    assert "sora-2-pro" in dumped.stdout and "location-based" in dumped.stdout

    shot = tmp_path / "shot.png"
    taken = run_chromium(
        browser, tmp_path / "profile", "--window-size=1000,1400", f"--screenshot={shot}",
        page.as_uri(),
    )  # fmt: skip
    assert taken.returncode == 0, taken.stderr[-2000:]
    pytest.importorskip("matplotlib")
    from matplotlib import image

    pixels = image.imread(str(shot))
    assert pixels.shape[:2] == (1400, 1000)
    # Not blank: text and bars draw dark pixels, a fair share of them.
    dark = (pixels[:, :, :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < dark < 0.5


@pytest.mark.parametrize(
    ("required", "outcome"), [("1", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_a_missing_browser_skips_unless_required(
    monkeypatch: pytest.MonkeyPatch, required: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    monkeypatch.setenv("SORACOST_REQUIRE_BROWSER", required)
    with pytest.raises(outcome):
        chromium()
