"""The registry and the shape of every definition: codes, versions, licences,
bands that tile the score range, thresholds with sources."""

import copy
import itertools
import pickle
from decimal import Decimal

import pytest

from onestory.measures import instruments

ALL_CODES = (
    "PHQ9",
    "GAD7",
    "EPDS",
    "CORE10",
    "ORS",
    "SRS",
    "MORS_SF",
    "SDQ_P2_4",
    "SDQ_P4_17",
    "SWEMWBS",
    "WEMWBS",
    "STAR",
    "GBO",
)
SHIPS_TEXT = {"PHQ9", "GAD7", "CORE10"}
# Every measure a parent fills in themselves: all but the Outcomes Star, which
# is completed together with a practitioner. Whether one can be sent also
# needs its wording (test_self_completion_needs_the_wording).
SELF_COMPLETION = set(ALL_CODES) - {"STAR"}


def test_all_instruments_lists_every_code_once_in_order():
    assert [i.code for i in instruments.all_instruments()] == list(ALL_CODES)
    assert instruments.CODES == ALL_CODES


@pytest.mark.parametrize("code", ALL_CODES)
def test_get_returns_the_latest_version_and_a_named_version(code):
    latest = instruments.get(code)
    assert latest.code == code
    assert instruments.get(code, latest.version) is latest
    assert instruments.REGISTRY[(code, latest.version)] is latest
    assert latest.version == max(v for c, v in instruments.REGISTRY if c == code)


@pytest.mark.parametrize(
    ("code", "version"), [("PHQ8", None), ("PHQ9", 99), ("phq9", None)]
)
def test_get_refuses_unknown_codes_and_versions(code, version):
    with pytest.raises(KeyError, match="Unknown instrument"):
        instruments.get(code, version)


def test_a_code_and_version_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="exists"):
        instruments.register(instruments.get("PHQ9"))


@pytest.mark.parametrize("code", ALL_CODES)
def test_self_completion_for_every_self_report_measure(code):
    assert instruments.get(code).self_completion is (code in SELF_COMPLETION)


@pytest.mark.parametrize("code", ALL_CODES)
def test_self_completion_needs_the_wording(code):
    instrument = instruments.get(code)
    reason = instrument.self_completion_refusal()
    if code == "STAR":
        assert "together with a practitioner" in reason
    elif code in SHIPS_TEXT or code == "GBO":  # GBO: the family's own goals
        assert reason is None
    else:
        assert "wording is licensed and has not been loaded" in reason
        assert _with_loaded_wording(instrument).self_completion_refusal() is None


def _with_loaded_wording(instrument):
    payload = {
        "format": "onestory-licensed-text",
        "format_version": 1,
        "instrument": instrument.code,
        "instrument_version": instrument.version,
        "language": "en-GB",
        "licence": "Test permission",
        "items": {
            item.key: {"text": f"Wording {item.key}"}
            | (
                {"options": [f"Option {o.position}" for o in item.options]}
                if item.options
                else {}
            )
            for item in instrument.items
        },
    }
    return instrument.with_licensed_text(instrument.validate_licensed_text(payload))


@pytest.mark.parametrize("code", ALL_CODES)
def test_item_text_ships_only_where_the_licence_allows(code):
    instrument = instruments.get(code)
    ships = code in SHIPS_TEXT
    assert instrument.ships_item_text is ships
    for item in instrument.items:
        assert (item.text is not None) is ships, item.key
        assert all((o.label is not None) is ships for o in item.options), item.key
    assert (instrument.stem is not None) is (code in {"PHQ9", "GAD7"})
    assert instrument.licence.strip()
    assert "\n" not in instrument.licence


@pytest.mark.parametrize("code", ALL_CODES)
def test_item_keys_are_unique_and_options_are_numbered_by_printed_position(code):
    instrument = instruments.get(code)
    keys = [item.key for item in instrument.items]
    assert len(keys) == len(set(keys))
    for item in instrument.items:
        assert [o.position for o in item.options] == list(range(len(item.options)))
        assert (item.kind == "choice") is bool(item.options)


@pytest.mark.parametrize(
    ("code", "item_count", "options", "minimum", "maximum"),
    [
        ("PHQ9", 9, 4, "0", "27"),
        ("GAD7", 7, 4, "0", "21"),
        ("EPDS", 10, 4, "0", "30"),
        ("CORE10", 10, 5, "0", "40"),
        ("ORS", 4, 0, "0", "40"),
        ("SRS", 4, 0, "0", "40"),
        ("MORS_SF", 14, 6, None, None),
        ("SWEMWBS", 7, 5, "7", "35"),
        ("WEMWBS", 14, 5, "14", "70"),
        ("STAR", 10, 0, None, None),
        ("GBO", 3, 0, "0", "10"),
    ],
)
def test_item_counts_options_and_total_range(
    code, item_count, options, minimum, maximum
):
    instrument = instruments.get(code)
    assert len(instrument.items) == item_count
    assert {len(item.options) for item in instrument.items} == {options}
    assert instrument.minimum == (None if minimum is None else Decimal(minimum))
    assert instrument.maximum == (None if maximum is None else Decimal(maximum))


@pytest.mark.parametrize("code", ["SDQ_P2_4", "SDQ_P4_17"])
def test_sdq_has_25_numbered_items_and_an_unnumbered_supplement(code):
    instrument = instruments.get(code)
    numbered = [i for i in instrument.items if i.number is not None]
    supplement = [i for i in instrument.items if i.number is None]
    assert [i.key for i in numbered] == [str(n) for n in range(1, 26)]
    assert all(len(i.options) == 3 and i.required for i in numbered)
    assert [i.key for i in supplement] == [
        "overall",
        "chronicity",
        "impact_distress",
        "impact_home",
        "impact_friendships",
        "impact_learning",
        "impact_leisure",
        "burden",
    ]
    assert not any(i.required for i in supplement)


def _banded():
    for instrument in instruments.all_instruments():
        if instrument.bands:
            yield pytest.param(
                instrument.bands,
                instrument.minimum,
                instrument.maximum,
                id=instrument.code,
            )
        for scale in instrument.scales:
            if scale.bands:
                yield pytest.param(
                    scale.bands,
                    scale.minimum,
                    scale.maximum,
                    id=f"{instrument.code}-{scale.key}",
                )


@pytest.mark.parametrize(("bands", "minimum", "maximum"), list(_banded()))
def test_bands_tile_the_whole_range_without_gaps_or_overlaps(bands, minimum, maximum):
    ordered = sorted(bands, key=lambda band: band.lower)
    # SRS is read to 0.1, so its bands meet at 35.9 / 36; others at whole numbers.
    fractional = any(b.upper != b.upper.to_integral_value() for b in ordered)
    step = Decimal("0.1") if fractional else Decimal(1)
    assert ordered[0].lower == minimum
    assert ordered[-1].upper == maximum
    for lower, upper in itertools.pairwise(ordered):
        assert upper.lower == lower.upper + step
    assert sorted(b.severity for b in bands) == list(range(len(bands)))


@pytest.mark.parametrize(
    ("code", "key", "value", "provisional", "clinical_when"),
    [
        ("PHQ9", "caseness", "10", False, "at_or_above"),
        ("PHQ9", "reliable_change", "6", True, "at_or_above"),
        ("GAD7", "caseness", "8", False, "at_or_above"),
        ("GAD7", "reliable_change", "4", True, "at_or_above"),
        ("EPDS", "caseness", "10", True, "at_or_above"),
        ("EPDS", "assessment", "13", False, "at_or_above"),
        ("CORE10", "caseness", "11", True, "at_or_above"),
        ("CORE10", "reliable_change", "6", True, "at_or_above"),
        ("ORS", "caseness", "25", True, "at_or_below"),
        ("ORS", "reliable_change", "5", True, "at_or_above"),
        ("ORS", "reliable_change_children", "6.6", True, "at_or_above"),
        ("SRS", "concern", "36", True, "below"),
        ("WEMWBS", "reliable_change", "3", True, "at_or_above"),
    ],
)
def test_thresholds_carry_value_source_and_provisional_flag(
    code, key, value, provisional, clinical_when
):
    threshold = instruments.get(code).thresholds[key]
    assert threshold.value == Decimal(value)
    assert threshold.provisional is provisional
    assert threshold.clinical_when == clinical_when
    assert threshold.source.strip()
    assert bool(threshold.reason) is provisional


@pytest.mark.parametrize(
    ("code", "keys"),
    [
        ("PHQ9", {"caseness", "reliable_change"}),
        ("GAD7", {"caseness", "reliable_change"}),
        ("EPDS", {"caseness", "assessment"}),
        ("CORE10", {"caseness", "reliable_change"}),
        ("ORS", {"caseness", "reliable_change", "reliable_change_children"}),
        ("SRS", {"concern"}),
        ("MORS_SF", set()),
        ("SDQ_P2_4", set()),
        ("SDQ_P4_17", set()),
        ("SWEMWBS", {"reliable_change"}),  # Shah et al. 2018
        ("WEMWBS", {"reliable_change"}),
        ("STAR", set()),
        ("GBO", set()),  # reliable change is per goal (its scales)
    ],
)
def test_no_instrument_has_an_invented_threshold(code, keys):
    assert set(instruments.get(code).thresholds) == keys


@pytest.mark.parametrize(
    ("code", "provisional_bands"),
    [
        ("PHQ9", False),
        ("GAD7", False),
        ("EPDS", False),
        ("CORE10", True),
        ("SRS", True),
        ("SDQ_P2_4", False),
        ("SDQ_P4_17", False),
    ],
)
def test_band_provisional_flags(code, provisional_bands):
    assert {b.provisional for b in instruments.get(code).bands} == {provisional_bands}


def test_contested_sdq_bands_are_provisional_and_the_rest_are_not():
    p4_17 = {s.key: s for s in instruments.get("SDQ_P4_17").scales}
    p2_4 = {s.key: s for s in instruments.get("SDQ_P2_4").scales}
    assert all(b.provisional for b in p4_17["prosocial"].bands)
    assert all(b.provisional for b in p4_17["impact"].bands)
    for key in ("emotional", "conduct", "hyperactivity", "peer"):
        assert not any(b.provisional for b in p4_17[key].bands)
        assert not any(b.provisional for b in p2_4[key].bands)
    assert not any(b.provisional for b in p2_4["prosocial"].bands)
    assert p2_4["impact"].bands == ()


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_instrument_documents_its_provisional_rules_and_sources(code):
    instrument = instruments.get(code)
    assert instrument.provisional_rules
    if code != "GBO":
        assert instrument.sources


def test_definitions_are_immutable_and_hashable():
    phq9 = instruments.get("PHQ9")
    assert isinstance(phq9.thresholds, dict)
    for change in (
        lambda t: t.__setitem__("caseness", None),
        lambda t: t.pop("caseness"),
        lambda t: t.update(x=1),
        lambda t: t.clear(),
    ):
        with pytest.raises(TypeError, match="cannot be changed"):
            change(phq9.thresholds)
    with pytest.raises(AttributeError):
        phq9.code = "X"
    assert {phq9: 1}[instruments.get("PHQ9")] == 1
    assert phq9.thresholds["caseness"].value == 10


@pytest.mark.parametrize("code", ALL_CODES)
def test_definitions_pickle_and_deep_copy_for_caching(code):
    instrument = instruments.get(code)
    again = pickle.loads(pickle.dumps(instrument))  # noqa: S301 - our own object
    assert again == instrument
    assert copy.deepcopy(instrument) == instrument
    assert again.score({}).status == instrument.score({}).status


def test_risk_items_are_phq9_9_epds_10_and_core10_6_only():
    risk = {
        (i.code, item.key)
        for i in instruments.all_instruments()
        for item in i.items
        if item.is_risk_item
    }
    assert risk == {("PHQ9", "9"), ("EPDS", "10"), ("CORE10", "6")}
