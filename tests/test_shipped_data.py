"""The embedded sources.yaml validates and holds the figures the project promises."""

from __future__ import annotations

import math

import pytest

from soracost.core.ranges import Range
from soracost.core.records import Catalog
from soracost.core.units import conversion_factor
from soracost.data.catalog import default_sources_path, load_catalog

from .conftest import REPO_ROOT


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(default_sources_path())


def wh(catalog: Catalog, estimate_id: str) -> tuple[float, float, float]:
    estimate = next(e for e in catalog.estimates if e.id == estimate_id)
    factor = conversion_factor(estimate.unit, "Wh")
    return tuple(value * factor for value in estimate.values)  # type: ignore[return-value]


def test_default_is_the_repository_file_or_an_identical_packaged_copy() -> None:
    path = default_sources_path()
    assert path.read_bytes() == (REPO_ROOT / "sources.yaml").read_bytes()


def test_shipped_catalogue_validates(shipped: Catalog) -> None:
    assert len(shipped.sources) >= 10
    assert len(shipped.estimates) >= 20


UNCITED_ON_PURPOSE = {"carbontrust2026"}
"""Sources kept for a figure the catalogue cannot hold (a life-cycle carbon figure per
clip): each says so in its note, so that its boundary stays on record."""


def test_every_source_is_citable_or_says_what_is_missing(shipped: Catalog) -> None:
    for source in shipped.sources.values():
        assert source.url or "url" in source.gaps, source.id
        for field in ("title", "authors", "date"):
            assert getattr(source, field) or field in source.gaps, (source.id, field)
        if source.id in UNCITED_ON_PURPOSE:
            assert "NOT HELD AS AN ESTIMATE" in (source.note or ""), source.id
            continue
        # A source that is cited by nothing would be clutter.
        assert (
            shipped.estimates_citing(source.id)
            or shipped.factors_citing(source.id)
            or shipped.others_citing(source.id)
        ), source.id


def test_headline_figures_are_present_with_their_chains(shipped: Catalog) -> None:
    assert wh(shipped, "cnet-90wh") == (90.0, 90.0, 90.0)
    cnet = next(e for e in shipped.estimates if e.id == "cnet-90wh")
    assert cnet.chain == ("lebigdata2025", "cnet2025", "delavande2025")
    low, mid, high = wh(shipped, "wsj-20-110wh")
    assert (low, high) == (20.0, 110.0)
    assert mid == pytest.approx(math.sqrt(20 * 110))
    assert wh(shipped, "lebigdata-wsj-20-100wh")[2] == 100.0


def test_the_650_ml_figure_is_2000_times_altmans_query(shipped: Catalog) -> None:
    water = next(e for e in shipped.estimates if e.id == "sora-650ml-ratio")
    assert water.quantity == "water"
    assert water.method == "back-of-envelope"
    litres = water.values.mid * conversion_factor(water.unit, "L")
    assert litres == pytest.approx(2000 * 0.000085 * 3.785411784)
    assert "altman2025" in water.chain


def test_hugging_face_paper_figures(shipped: Catalog) -> None:
    expected_mid_wh = {  # the paper's published totals (LTX-Video's is a derived sum)
        "hf-animatediff": 0.14,
        "hf-ltx-video-0.9.7": 3.67,
        "hf-cogvideox-2b": 9.7,
        "hf-cogvideox-5b": 25.3,
        "hf-mochi1-preview": 52.1,
        "hf-wan21-1.3b-720p": 90.5,
        "hf-wan21-14b-720p": 415.2,
    }
    for estimate_id, mid in expected_mid_wh.items():
        estimate = next(e for e in shipped.estimates if e.id == estimate_id)
        assert wh(shipped, estimate_id)[1] == mid
        assert estimate.boundary == "gpu+cpu+ram" and estimate.source == "delavande2025"


def test_ml_energy_figures_are_gpu_only_and_in_joules(shipped: Catalog) -> None:
    lowest_joules = {
        "mlenergy-cogvideox-2b": 28054.524624973536,
        "mlenergy-cogvideox1.5-5b": 335358.64350000024,
        "mlenergy-wan21-1.3b": 63866.79018750042,
        "mlenergy-wan21-14b": 288109.5232500434,
        "mlenergy-hunyuanvideo": 1164111.7705000043,
    }
    for estimate_id, joules in lowest_joules.items():
        estimate = next(e for e in shipped.estimates if e.id == estimate_id)
        assert estimate.unit == "J" and estimate.values.low == joules
        assert estimate.boundary == "gpu"


def test_mit_technology_review_figures(shipped: Catalog) -> None:
    assert wh(shipped, "mittr-cogvideox-16fps")[1] == pytest.approx(3.4e6 / 3600)
    assert wh(shipped, "mittr-cogvideox-8fps")[1] == pytest.approx(109000 / 3600)


def test_published_span_matches_the_story(shipped: Catalog) -> None:
    energies = [wh(shipped, e.id) for e in shipped.estimates if e.quantity == "energy"]
    lowest = min(low for low, _, _ in energies)
    highest = max(high for _, _, high in energies)
    assert lowest == pytest.approx(0.1362)  # AnimateDiff's lowest prompt (Hugging Face)
    # Jegham et al.'s model of Sora 2 Pro, 12 s at 1080p; before the 2026 sources, MIT
    # Technology Review's 3.4 MJ (944.44 Wh) for a 5-second CogVideoX clip.
    assert highest == pytest.approx(1313.0)
    assert wh(shipped, "mittr-cogvideox-16fps")[2] == pytest.approx(944.44, rel=1e-4)


# --- the articles' three comparisons, from the data ------------------------------------


def test_a_90_wh_video_is_about_half_an_hour_of_a_big_tv(shipped: Catalog) -> None:
    from soracost.core.equivalents import count_of

    cnet = next(e for e in shipped.estimates if e.id == "cnet-90wh")
    minutes = count_of(cnet.values, cnet.unit, shipped.equivalents["large-tv"])
    # "un téléviseur géant allumé pendant une bonne demi-heure": 90 Wh ≈ 37 minutes
    assert minutes == Range.single(37.0)


def test_650_ml_is_about_a_small_bottle(shipped: Catalog) -> None:
    from soracost.core.equivalents import count_of

    water = next(e for e in shipped.estimates if e.id == "sora-650ml-ratio")
    bottles = count_of(water.values, water.unit, shipped.equivalents["bottle-500ml"])
    # 0.17 US gal = 643.5 mL: 1.29 bottles of 500 mL, "a small soda bottle"
    assert bottles.mid == pytest.approx(0.17 * 3785.411784 / 500)
    assert 1 < bottles.mid < 1.5


def test_gpt4_training_is_about_three_days_of_san_francisco(shipped: Catalog) -> None:
    from soracost.core.equivalents import count_of

    training = shipped.training["gpt4-training"]
    days = count_of(training.values, training.unit, shipped.equivalents["san-francisco"])
    # 50 GWh over 5,640.794886 GWh a year (365 days): 3.24 days, in the articles' 3–3.6
    assert days.mid == pytest.approx(50 * 365 / 5640.794886)
    assert 3 <= days.low <= days.high <= 3.6


def test_every_equivalent_states_its_basis_and_a_positive_amount(shipped: Catalog) -> None:
    assert {item.basis for item in shipped.equivalents.values()} >= {"energy", "water"}
    for item in shipped.equivalents.values():
        assert item.amount.low > 0 and item.amount_unit in ("Wh", "L", "gCO2e")
        assert item.source in shipped.sources


def test_every_site_has_a_location_based_grid_intensity(shipped: Catalog) -> None:
    for site in shipped.sites.values():
        factor = shipped.optional_site_factor(site, "carbon-intensity")
        assert factor is not None and factor.accounting == "location-based", site.id
        # gCO2e/kWh, every shipped grid: from France's nuclear-heavy grid to eGRID's MROW
        assert 15 <= factor.values.mid <= 500, site.id
    us = shipped.factors["egrid-us-carbon"]
    assert us.values.mid == pytest.approx(827.5 * 0.45359237)  # lb/MWh to g/kWh
