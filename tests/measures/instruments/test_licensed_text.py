"""The licensed-text file: accepted only when it matches the instrument
exactly. Placeholder text only: no licensed wording lives in this repository."""

import copy
import json

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import InvalidLicensedText, licensed_text

EPDS = instruments.get("EPDS")
ORS = instruments.get("ORS")
SDQ = instruments.get("SDQ_P4_17")


def payload_for(instrument) -> dict:
    items = {}
    for item in instrument.items:
        entry = {"text": f"<licensed text for item {item.key}>"}
        if item.options:
            entry["options"] = [
                f"<licensed label for item {item.key} option {o.position}>"
                for o in item.options
            ]
        items[item.key] = entry
    return {
        "format": "onestory-licensed-text",
        "format_version": 1,
        "instrument": instrument.code,
        "instrument_version": instrument.version,
        "language": "en-GB",
        "licence": "<permission reference from the copyright holder>",
        "items": items,
    }


@pytest.mark.parametrize(
    "code",
    [
        "EPDS",
        "SDQ_P4_17",
        "SDQ_P2_4",
        "ORS",
        "SRS",
        "MORS_SF",
        "SWEMWBS",
        "WEMWBS",
        "STAR",
        "PHQ9",
        "CORE10",
    ],
)
def test_a_complete_file_is_accepted(code):
    instrument = instruments.get(code)
    text = instrument.validate_licensed_text(payload_for(instrument))
    assert text.instrument_code == code
    assert text.instrument_version == instrument.version
    assert list(text.items) == [item.key for item in instrument.items]
    assert licensed_text.validate(instrument, text.to_dict()) == text


def test_a_stem_is_optional_and_kept():
    payload = payload_for(EPDS) | {"stem": "<licensed instructions>"}
    assert EPDS.validate_licensed_text(payload).stem == "<licensed instructions>"


def test_loaded_text_is_applied_to_a_copy_of_the_definition():
    text = EPDS.validate_licensed_text(payload_for(EPDS))
    shown = EPDS.with_licensed_text(text)
    assert shown.item("3").text == "<licensed text for item 3>"
    assert shown.item("3").options[0].label == "<licensed label for item 3 option 0>"
    assert shown.item("3").options[0].value == 3  # the key is unchanged
    assert EPDS.item("3").text is None  # the shipped definition is untouched
    assert shown.score({"3": 0}).missing_items == EPDS.score({"3": 0}).missing_items


def test_text_for_another_instrument_cannot_be_applied():
    text = ORS.validate_licensed_text(payload_for(ORS))
    with pytest.raises(ValueError, match="not EPDS"):
        EPDS.with_licensed_text(text)


def test_parse_json_accepts_a_file_and_refuses_broken_json():
    raw = json.dumps(payload_for(ORS))
    assert (
        licensed_text.parse_json(ORS, raw).items["1"].text
        == "<licensed text for item 1>"
    )
    with pytest.raises(InvalidLicensedText, match="not valid JSON"):
        licensed_text.parse_json(ORS, raw[:-2])


def _broken(instrument, change):
    payload = copy.deepcopy(payload_for(instrument))
    change(payload)
    return payload


REFUSALS = [
    ("not an object", lambda p: p.clear() or p.update({"x": 1}), '"format" is missing'),
    ("wrong format", lambda p: p.update(format="other"), '"format" must be'),
    ("newer format", lambda p: p.update(format_version=2), '"format_version" must be 1'),
    ("boolean version", lambda p: p.update(instrument_version=True), '"instrument_version" must be 1'),
    ("other instrument", lambda p: p.update(instrument="PHQ9"), "\"instrument\" must be 'EPDS'"),
    ("other version", lambda p: p.update(instrument_version=2), '"instrument_version" must be 1'),
    ("no licence", lambda p: p.update(licence="  "), '"licence" must be non-empty text'),
    ("bad language", lambda p: p.update(language="English"), '"language" must be a language tag'),
    ("extra field", lambda p: p.update(notes="x"), 'unexpected field "notes"'),
    ("missing item", lambda p: p["items"].pop("10"), "text for item '10' is missing"),
    ("extra item", lambda p: p["items"].update({"11": {"text": "x"}}), "there is no item '11'"),
    ("items not object", lambda p: p.update(items=[]), '"items" must be an object'),
    ("empty text", lambda p: p["items"]["2"].update(text=""), "item '2' text must be non-empty"),
    ("text not string", lambda p: p["items"]["2"].update(text=5), "item '2' text must be non-empty"),
    ("too long", lambda p: p["items"]["2"].update(text="x" * 1001), "longer than 1000"),
    ("control chars", lambda p: p["items"]["2"].update(text="a\x00b"), "control characters"),
    ("three options", lambda p: p["items"]["4"]["options"].pop(), "exactly 4 option labels"),
    ("no options", lambda p: p["items"]["4"].pop("options"), "exactly 4 option labels"),
    ("empty option", lambda p: p["items"]["4"]["options"].__setitem__(1, ""), "option 1 must be non-empty"),
    ("dict option", lambda p: p["items"]["4"]["options"].__setitem__(1, {}), "option 1 must be non-empty"),
    ("repeated option", lambda p: p["items"]["4"]["options"].__setitem__(1, p["items"]["4"]["options"][0]), "same option label twice"),
    ("item field", lambda p: p["items"]["5"].update(score=3), 'item \'5\': unexpected field "score"'),
    ("item not object", lambda p: p["items"].update({"6": "text"}), "item '6' must be an object"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_mismatched_file_is_refused(change, message):
    with pytest.raises(
        InvalidLicensedText, match=message.replace("(", r"\(")
    ) as refused:
        EPDS.validate_licensed_text(_broken(EPDS, change))
    assert refused.value.problems
    assert isinstance(refused.value, ValueError)


def test_every_problem_is_reported_at_once():
    payload = _broken(EPDS, lambda p: p.update(language="?", licence=""))
    with pytest.raises(InvalidLicensedText) as refused:
        EPDS.validate_licensed_text(payload)
    assert len(refused.value.problems) == 2


def test_number_readings_take_no_options():
    payload = _broken(ORS, lambda p: p["items"]["1"].update(options=["a", "b"]))
    with pytest.raises(InvalidLicensedText, match="number reading and has no options"):
        ORS.validate_licensed_text(payload)


@pytest.mark.parametrize("payload", [None, [], "text", 3])
def test_a_file_must_hold_one_object(payload):
    with pytest.raises(InvalidLicensedText, match="one JSON object"):
        EPDS.validate_licensed_text(payload)


def test_goals_have_no_licensed_text():
    gbo = instruments.get("GBO")
    with pytest.raises(InvalidLicensedText, match="no licensed wording to load"):
        gbo.validate_licensed_text(payload_for(gbo))


def test_sdq_supplement_items_are_part_of_the_file():
    payload = _broken(SDQ, lambda p: p["items"].pop("impact_home"))
    with pytest.raises(InvalidLicensedText, match="'impact_home' is missing"):
        SDQ.validate_licensed_text(payload)
