"""Control and invisible characters are stripped from everything typed, emoji
joiners and variation selectors kept (onestory.text, security.md R23, cases 21
and 22); a post that is not a form is answered 400 with a message."""

import json
import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from onestory.families.models import StoryVersion
from onestory.text import KEPT, strip_hidden

FAMILY_EMOJI = "👩\u200d👧"  # woman, zero-width joiner, girl
HEART = "❤\ufe0f"  # heart, variation selector 16
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.security_case(22)
def test_controls_and_invisible_characters_go_and_emoji_stay():
    typed = f"Jo\u202ee\u200b\u2066y\x1b[31m\x07\x85\u00ad\ufeff {FAMILY_EMOJI}{HEART}"
    assert strip_hidden(typed) == f"Joey[31m {FAMILY_EMOJI}{HEART}"
    assert strip_hidden(f"Home {ENGLAND}!") == f"Home {ENGLAND}!"
    # Tag characters outside a flag hide text (they render as nothing): gone.
    assert strip_hidden("ok\U000e0041\U000e0042") == "ok"
    assert strip_hidden("line one\r\nline two\tend") == "line one\r\nline two\tend"
    assert strip_hidden("a\x00b") == "a\x00b"  # left for the form to refuse


@settings(max_examples=500, derandomize=True, database=None)
@given(st.text())
def test_nothing_hidden_survives_and_nothing_visible_is_lost(text):
    stripped = strip_hidden(text)
    hidden = [
        c
        for c in stripped
        if unicodedata.category(c) in ("Cc", "Cf")
        and c not in KEPT
        and not 0xE0020 <= ord(c) <= 0xE007F
    ]
    assert hidden == []
    visible = [c for c in text if unicodedata.category(c) not in ("Cc", "Cf")]
    assert [c for c in stripped if unicodedata.category(c) not in ("Cc", "Cf")] == (
        visible
    )


@pytest.mark.security_case(22)
def test_a_story_is_stored_without_hidden_characters_and_with_its_emoji(
    city, lead_client
):
    latest = city.family.story_versions.order_by("-number").first()
    response = lead_client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {
            "text": f"We\u202e are\x1b doing\u200b well {FAMILY_EMOJI}{HEART}",
            "based_on": latest.number,
        },
    )
    assert response.status_code == 302
    stored = StoryVersion.objects.filter(family=city.family).order_by("-number")[0]
    assert stored.text == f"We are doing well {FAMILY_EMOJI}{HEART}"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", json.dumps({"text": "x", "based_on": 1})),
        ("text/plain", "text=x&based_on=1"),
    ],
)
def test_a_post_that_is_not_a_form_gets_400_and_a_message(
    city, lead_client, content_type, body
):
    before = StoryVersion.objects.count()
    response = lead_client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        body,
        content_type=content_type,
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "what was sent was not a form" in page
    assert "govuk-template" in page
    assert StoryVersion.objects.count() == before
