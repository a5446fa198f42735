"""Shared fixtures: the small exact-output catalogue and a CLI runner with a fixed width."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.yaml"
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _modules_in_english() -> None:
    """A run of soracost speaks one language, chosen before anything is imported, so a few
    texts (help, table headers) are translated when their module is imported. Tests run
    many commands in one process, some in French: every module of soracost is imported
    first, in English, as every run but a French one imports them."""
    import importlib
    import pkgutil

    import soracost
    from soracost import i18n

    i18n.select("en")
    for module in pkgutil.walk_packages(soracost.__path__, "soracost."):
        if module.name != "soracost.__main__":
            importlib.import_module(module.name)


@pytest.fixture(scope="session")
def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("soracost-cache")


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch: pytest.MonkeyPatch, _cache_folder: Path) -> None:
    """Tables do not depend on the terminal running the tests, nor on the user's settings;
    the catalogue cache lives in a folder of the test session, never the user's."""
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SORACOST_LANG", "en")  # English whatever the machine's locale
    monkeypatch.delenv("SORACOST_SOURCES", raising=False)
    monkeypatch.delenv("SORACOST_NO_CACHE", raising=False)
    monkeypatch.setenv("SORACOST_CACHE_DIR", str(_cache_folder))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini() -> Path:
    return MINI
