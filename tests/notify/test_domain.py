"""The rules of messages, without a database."""

from datetime import timedelta

import pytest

from onestory.notify import domain
from onestory.notify.domain import Answer, NotAllowed


@pytest.mark.parametrize(
    ("status_code", "answer"),
    [
        (201, Answer.ACCEPTED),
        (429, Answer.SLOW_DOWN),
        (500, Answer.UNKNOWN),
        (503, Answer.UNKNOWN),
        (None, Answer.UNKNOWN),
        (403, Answer.NOT_NOW),
        (401, Answer.NOT_NOW),
        (400, Answer.REJECTED),
        (404, Answer.REJECTED),
    ],
)
def test_what_each_of_notifys_answers_means(status_code, answer):
    assert domain.answer_to(status_code) == answer


def test_only_429_5xx_no_answer_and_our_key_are_tried_again():
    assert {a for a in Answer if domain.tried_again(a)} == {
        Answer.SLOW_DOWN,
        Answer.UNKNOWN,
        Answer.NOT_NOW,
    }


def test_waits_double_up_to_an_hour_within_their_upper_half():
    longest = [domain.wait_before(n, Answer.SLOW_DOWN, spread=0.999) for n in (1, 2, 3)]
    assert [round(w.total_seconds()) for w in longest] == [30, 60, 120]
    assert domain.wait_before(1, Answer.SLOW_DOWN, spread=0) == timedelta(seconds=15)
    assert domain.wait_before(20, Answer.SLOW_DOWN, spread=0.999) <= timedelta(hours=1)
    assert domain.wait_before(20, Answer.SLOW_DOWN, spread=0) == timedelta(minutes=30)


def test_after_an_unknown_answer_the_wait_outlasts_any_request_at_notify():
    assert domain.wait_before(1, Answer.UNKNOWN, spread=0) == domain.UNKNOWN_WAIT
    assert domain.UNKNOWN_WAIT > domain.CLAIM_LASTS / 5


def test_a_message_is_given_up_after_its_last_attempt():
    assert not domain.gives_up(domain.ATTEMPTS - 1)
    assert domain.gives_up(domain.ATTEMPTS)


def test_a_kind_carries_only_its_own_personalisation():
    kind = domain.check_message(
        "questionnaire_link", "sms", {"link": "https://x/q/abc/", "first_name": "Ada"}
    )
    assert kind.name == "questionnaire_link"
    with pytest.raises(NotAllowed, match="may not carry"):
        domain.check_message(
            "questionnaire_link", "sms", {"link": "https://x", "questionnaire": "PHQ-9"}
        )
    with pytest.raises(NotAllowed, match="needs"):
        domain.check_message("review_reminder", "email", {"link": "https://x"})


@pytest.mark.parametrize(
    "personalisation",
    [
        {"link": "https://x", "minutes": 15},
        {"link": "x" * 501, "minutes": "15"},
        {"link": "https://x\nYour score was 21", "minutes": "15"},
    ],
)
def test_values_are_one_short_line_of_text(personalisation):
    with pytest.raises(NotAllowed):
        domain.check_message("sign_in_link", "email", personalisation)


def test_unknown_kinds_and_channels_are_refused():
    with pytest.raises(NotAllowed):
        domain.check_message("test_results", "email", {})
    with pytest.raises(NotAllowed):
        domain.check_message("sign_in_link", "letter", {"link": "x", "minutes": "1"})


def test_no_kind_may_carry_clinical_words():
    clinical = {"score", "questionnaire", "measure", "level", "risk", "diagnosis"}
    for kind in domain.KINDS.values():
        assert not kind.keys & clinical
        assert kind.required <= kind.keys


def test_phone_numbers_and_emails_are_tidied_or_refused():
    assert domain.phone_number("07700 900 123") == "07700900123"
    assert domain.phone_number("+44 (7700) 900-123") == "+447700900123"
    for wrong in ("0770", "call me", "07700 900 123 ext 4"):
        with pytest.raises(NotAllowed):
            domain.phone_number(wrong)
    assert domain.email_address(" ada@example.org ") == "ada@example.org"
    with pytest.raises(NotAllowed):
        domain.email_address("ada at example")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (" Ada@Example.org ", ("email", "Ada@Example.org")),
        ("07700 900 123", ("sms", "07700900123")),
        ("+44 7700 900123", ("sms", "07700900123")),
        ("(07700) 900-123", ("sms", "07700900123")),
    ],
)
def test_an_email_address_or_a_uk_mobile_is_told_apart(typed, expected):
    assert domain.channel_and_address(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "ada at example", "ada@example", "01632 960 001", "+1 202 555 0123", "07700"],
)
def test_anything_but_an_email_or_a_uk_mobile_is_refused(typed):
    with pytest.raises(NotAllowed):
        domain.channel_and_address(typed)


def test_a_hint_tells_recipients_apart_without_reaching_them():
    assert domain.hint("sms", "07700900123") == "•••123"
    assert domain.hint("email", "ada@example.org") == "a•••@example.org"


def test_a_hint_of_the_longest_address_fits_its_column():
    address = domain.email_address("a" * 64 + "@" + ("sub." * 60) + "example.org")
    shown = domain.hint("email", address)
    assert len(shown) == domain.HINT_LENGTH
    assert shown.startswith("a•••@…")
    assert shown.endswith(".example.org")


def test_template_settings_are_named_by_kind_and_channel():
    assert (
        domain.template_setting("sign_in_link", "sms")
        == "ONESTORY_NOTIFY_TEMPLATE_SIGN_IN_LINK_SMS"
    )


def test_receipts_final_statuses():
    assert domain.receipt_final("delivered")
    assert domain.receipt_final("permanent-failure")
    assert not domain.receipt_final("sending")
