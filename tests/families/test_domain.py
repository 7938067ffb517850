"""NHS numbers, postcodes, phone numbers and text: pure rules, no database."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestory.families import domain

VALID = "9434765919"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("943 476 5919", VALID),
        ("943-476-5919", VALID),
        ("9434765919", VALID),
        (
            "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19",
            VALID,
        ),  # full-width
        ("9990000026", "9990000026"),
    ],
)
def test_valid_nhs_numbers_are_normalised_to_ten_digits(raw, expected):
    assert domain.normalise_nhs_number(raw) == expected


@pytest.mark.security_case(32)
@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9434765918", "check digit"),
        ("9876544321", "check digit"),  # the format example in NHS guidance fails
        ("1111111111", "repeated digits"),
        ("0000000000", "repeated digits"),
        ("94347659", "10 digits"),
        ("943476591X", "numbers 0 to 9"),
        ("", "numbers 0 to 9"),
    ],
)
def test_invalid_nhs_numbers_are_refused_with_a_reason(raw, message):
    with pytest.raises(domain.InvalidEntry, match=message):
        domain.normalise_nhs_number(raw)


@pytest.mark.security_case(32)
def test_a_number_whose_check_digit_would_be_ten_is_never_valid():
    # 999000000: weighted sum 243; 243 % 11 = 1, so the check digit would be 10.
    assert domain.nhs_check_digit("999000000") is None
    for last in "0123456789":
        with pytest.raises(domain.InvalidEntry):
            domain.normalise_nhs_number("999000000" + last)


valid_numbers = (
    st.from_regex(r"\A[0-9]{9}\Z")
    .filter(
        lambda nine: domain.nhs_check_digit(nine) is not None and len(set(nine)) > 1
    )
    .map(lambda nine: nine + str(domain.nhs_check_digit(nine)))
)


@pytest.mark.security_case(32)
@settings(max_examples=300, derandomize=True)
@given(valid_numbers, st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_substitution_is_caught(number, position, shift):
    changed = (
        number[:position]
        + str((int(number[position]) + shift) % 10)
        + number[position + 1 :]
    )
    with pytest.raises(domain.InvalidEntry):
        domain.normalise_nhs_number(changed)


@pytest.mark.security_case(32)
@settings(max_examples=300, derandomize=True)
@given(valid_numbers, st.integers(0, 8))
def test_every_adjacent_transposition_is_caught(number, position):
    a, b = number[position], number[position + 1]
    if a == b:
        return
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(domain.InvalidEntry):
        domain.normalise_nhs_number(swapped)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("pl1 2aa", "PL1 2AA"),
        ("PL12AA", "PL1 2AA"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("EC1A1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("W1A 0AX", "W1A 0AX"),
    ],
)
def test_real_format_postcodes_are_normalised(raw, expected):
    assert domain.normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    "raw", ["PL1", "PL1 2A", "QL1 2AA", "PL1 2CA", "12345", "PL1 2AA X", ""]
)
def test_impossible_postcodes_are_refused(raw):
    with pytest.raises(domain.InvalidEntry, match="real postcode"):
        domain.normalise_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700 900 982", "07700900982"),
        ("07700900982", "07700900982"),
        ("(01632) 960 001", "01632960001"),
        ("+44 7700 900982", "07700900982"),
        ("+447700900982", "07700900982"),
        ("+44 (0)1632 960001", "01632960001"),
        ("  01632 96000  ", "0163296000"),  # 10 digits: some areas have them
        ("\uff10\uff17\uff17\uff10\uff10 900982", "07700900982"),  # full-width
    ],
)
def test_uk_phone_numbers_are_kept_as_their_digits(raw, expected):
    assert domain.normalise_phone_number(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "7700 900982",  # no leading 0
        "0770 090 09",  # 10 digits is allowed, 9 is not
        "077009009821",  # 12 digits
        "07700-900-982",  # hyphens are not in the rule
        "+1 202 555 0100",
        "+44 07700 900982",  # +44 and the 0 both, without brackets
        "00447700900982",
        "0044 770 090 098",
        "07700 9OO 982",  # letter O
        "tel: 07700 900982",
        "07700 900982 ext 2",
        "+",
        "()",
        "٠٧٧٠٠٩٠٠٩٨٢",  # Arabic-Indic digits are not ours to fold
    ],
)
def test_anything_else_is_refused_with_an_example(raw):
    with pytest.raises(domain.InvalidEntry, match="like 07700 900 982"):
        domain.normalise_phone_number(raw)


@given(st.integers(10**8, 10**10 - 1))  # after the 0: 9 or 10 digits, not 0 first
@settings(max_examples=200, derandomize=True)
def test_every_number_reads_back_as_it_was_stored(number):
    digits = f"0{number}"
    shown = domain.format_phone_number(digits)
    assert shown.replace(" ", "") == digits
    assert domain.normalise_phone_number(shown) == digits


def test_a_number_is_shown_in_two_groups():
    assert domain.format_phone_number("07700900982") == "07700 900982"
    assert domain.format_phone_number("01632960001") == "01632 960001"


@pytest.mark.security_case(22)
def test_clean_text_normalises_and_strips_hidden_characters():
    decomposed = "Zoe\u0308"  # e + combining diaeresis
    assert domain.clean_text(f"  {decomposed}\u202e\u200b ") == "Zoë"


def test_clean_text_refuses_null_characters():
    with pytest.raises(domain.InvalidEntry):
        domain.clean_text("a\x00b")


@pytest.mark.security_case(34)
@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1994, 3, 27), date(2026, 3, 26), 31),
        (date(1994, 3, 27), date(2026, 3, 27), 32),
        (date(2024, 2, 29), date(2025, 2, 28), 0),
        (date(2024, 2, 29), date(2025, 3, 1), 1),
    ],
)
def test_age_in_years(born, on, age):
    assert domain.age_in_years(born, on) == age
