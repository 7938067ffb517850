import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.families.forms import AddFamilyForm
from onestory.families.models import Family
from tests import factories
from tests.conftest import CANARY_STORY


def valid_family_post(city, **overrides):
    data = {
        "carer_given_name": "Jess",
        "carer_family_name": "O'Brien",
        "carer_date_of_birth_0": "27",
        "carer_date_of_birth_1": "3",
        "carer_date_of_birth_2": "1994",
        "carer_nhs_number": "943 476 5919",
        "preferred_language": "English",
        "interpreter_needed": "no",
        "address_line_1": "12 Fore Street",
        "address_line_2": "",
        "town": "Tamarside",
        "postcode": "pl1 4ab",
        "child": "baby",
        "baby_given_name": "Noah",
        "baby_date_of_birth_0": "1",
        "baby_date_of_birth_1": "6",
        "baby_date_of_birth_2": "2026",
        "expected_delivery_date_0": "",
        "expected_delivery_date_1": "",
        "expected_delivery_date_2": "",
        "story": "Since Noah came I feel low.",
        "team": city.team_a.pk,
    }
    return data | overrides


def test_adding_a_family_makes_the_adder_lead_and_shows_the_record(city, client, lead):
    client.force_login(lead)
    response = client.post(reverse("families:add_family"), valid_family_post(city))
    family = Family.objects.exclude(pk=city.family.pk).get()
    assert response["Location"] == reverse("families:family_record", args=[family.pk])
    carer = family.members.get(role="parent_carer")
    assert (carer.family_name, carer.nhs_number, family.postcode) == (
        "O'Brien",
        "9434765919",
        "PL1 4AB",
    )
    assert str(carer.date_of_birth) == "1994-03-27"
    assert family.episodes.get().involvements.get().practitioner == lead
    page = client.get(response["Location"]).content.decode()
    assert "Jess O&#x27;Brien" in page
    story = client.get(reverse("families:family_story", args=[family.pk])).text
    assert "Since Noah came I feel low." in story


def test_which_parent_and_ethnic_group_are_recorded_when_given(city, client, lead):
    client.force_login(lead)
    data = valid_family_post(
        city, carer_parent_role="mother", carer_ethnic_category="N"
    )
    client.post(reverse("families:add_family"), data)
    carer = (
        Family.objects.exclude(pk=city.family.pk).get().members.get(role="parent_carer")
    )
    assert (carer.parent_role, carer.ethnic_category) == ("mother", "N")


def test_an_ethnic_category_not_on_the_list_is_refused(city, client, lead):
    client.force_login(lead)
    data = valid_family_post(city, carer_ethnic_category="Q")
    body = client.post(reverse("families:add_family"), data).content.decode()
    assert "govuk-error-summary" in body
    assert "Select a valid choice" in body
    assert Family.objects.count() == 1


def test_a_bad_family_form_shows_the_error_summary_and_keeps_what_was_typed(
    city, client, lead
):
    client.force_login(lead)
    data = valid_family_post(city, postcode="PL99 ZZZ", carer_nhs_number="9434765918")
    response = client.post(reverse("families:add_family"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter a real postcode, like PL1 2AA" in body
    assert "the check digit is wrong" in body
    assert 'value="PL99 ZZZ"' in body
    assert "Since Noah came I feel low." in body
    assert body.startswith("<!DOCTYPE html>") or "<title>Error: Add a family" in body
    assert Family.objects.count() == 1


PHONE_MESSAGE = "Enter a phone number, like 07700 900 982 or 01632 960 001"


def test_the_carers_phone_number_is_kept_as_its_digits_and_shown_for_reading(
    city, client, lead
):
    client.force_login(lead)
    form = client.get(reverse("families:add_family")).text
    assert 'type="tel" name="carer_phone"' in form
    assert 'autocomplete="tel"' in form
    assert "govuk-input--width-20" in form
    assert "We will use it to check on them in an emergency" in form
    data = valid_family_post(city, carer_phone="+44 (0)7700 900 982")
    response = client.post(reverse("families:add_family"), data)
    family = Family.objects.exclude(pk=city.family.pk).get()
    carer, baby = (
        family.members.get(role="parent_carer"),
        family.members.get(role="baby"),
    )
    assert (carer.phone, baby.phone) == ("07700900982", "")
    event = AuditEvent.objects.get(action="create_family", family_id=family.pk)
    assert "members" in event.changed_fields
    assert "07700900982" not in str(event.detail)  # names of fields, never values
    members = reverse("families:family_members", args=[family.pk])
    assert "07700 900982" in client.get(members).text
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("01632 960 001", "01632960001"),
        ("(01632) 960001", "01632960001"),
        ("+447700900982", "07700900982"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_the_family_form_takes_uk_phone_numbers(city, lead, typed, kept):
    form = AddFamilyForm(
        valid_family_post(city, carer_phone=typed), teams=lead.teams.all()
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["carer_phone"] == kept


@pytest.mark.parametrize(
    "typed",
    [
        "7700 900982",
        "0770 090 09",
        "077009009821",
        "07700-900-982",
        "+1 202 555 0100",
        "0044 7700 900982",
        "call me",
        "0" * 31,  # too long: the same words as any other wrong number
    ],
)
def test_the_family_form_refuses_anything_else(city, lead, typed):
    form = AddFamilyForm(
        valid_family_post(city, carer_phone=typed), teams=lead.teams.all()
    )
    assert form.errors["carer_phone"] == [PHONE_MESSAGE]


def test_a_wrong_phone_number_is_refused_and_kept_as_typed(city, client, lead):
    client.force_login(lead)
    data = valid_family_post(city, carer_phone="07700 9OO 982")
    body = client.post(reverse("families:add_family"), data).content.decode()
    assert "govuk-error-summary" in body
    assert PHONE_MESSAGE in body
    assert 'href="#id_carer_phone"' in body
    assert 'value="07700 9OO 982"' in body
    assert 'value="O&#x27;Brien"' in body  # the rest is kept too
    assert Family.objects.count() == 1


def test_a_baby_cannot_be_born_in_the_future(city, client, lead):
    client.force_login(lead)
    data = valid_family_post(city, baby_date_of_birth_2="2099")
    body = client.post(reverse("families:add_family"), data).content.decode()
    assert "Baby&#x27;s date of birth must be today or in the past" in body


def test_an_unborn_baby_needs_an_expected_date_of_delivery(city, client, lead):
    client.force_login(lead)
    data = valid_family_post(city, child="unborn_baby")
    body = client.post(reverse("families:add_family"), data).content.decode()
    assert "Enter the expected date of delivery" in body


def test_a_family_cannot_be_added_to_someone_elses_team(city, client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("families:add_family"), valid_family_post(city, team=city.team_b.pk)
    )
    assert "Select one of your teams" in response.content.decode()
    assert Family.objects.count() == 1


def test_a_stale_story_edit_is_refused_and_keeps_what_was_typed(city, client, lead):
    client.force_login(lead)
    url = reverse("families:edit_story", args=[city.family.pk])
    assert client.post(url, {"text": "First edit", "based_on": 1}).status_code == 302

    response = client.post(url, {"text": "My careful words", "based_on": 1})

    body = response.content.decode()
    assert response.status_code == 409
    assert "The story was changed while you were editing" in body
    assert "My careful words" in body
    assert "First edit" in body
    assert 'name="based_on" value="2"' in body
    assert list(city.family.story_versions.values_list("text", flat=True)) == [
        "First edit",
        CANARY_STORY,
    ]


def test_an_empty_story_is_refused_with_a_message(city, client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "  ", "based_on": 1},
    )
    assert "Enter the family&#x27;s story, in their words" in response.content.decode()


def test_story_versions_show_who_wrote_each(city, same_team_practitioner, client, lead):
    client.force_login(same_team_practitioner)
    client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "Second", "based_on": 1},
    )
    client.force_login(lead)
    body = client.get(
        reverse("families:family_story", args=[city.family.pk])
    ).content.decode()
    assert "Version 2, written by Sam Same (Test City Council)" in body
    assert "Version 1: Lena Lead (Test City Council)" in body


def test_consent_cannot_be_recorded_twice_for_the_same_purpose(city, client, lead):
    client.force_login(lead)
    carer = city.family.members.get(role="parent_carer")
    response = client.post(
        reverse("families:record_consent", args=[city.family.pk]),
        {
            "organisation": city.partner.pk,
            "purpose": "share_record",
            "given_by": carer.pk,
            "given_on_0": "1",
            "given_on_1": "11",
            "given_on_2": "2026",
        },
    )
    assert "already recorded" in response.content.decode()
    assert city.family.consents.count() == 1


def test_consent_must_be_given_by_a_parent_or_carer_of_this_family(city, client, lead):
    client.force_login(lead)
    baby = city.family.members.get(role="baby")
    response = client.post(
        reverse("families:record_consent", args=[city.family.pk]),
        {
            "organisation": city.trust.pk,
            "purpose": "share_record",
            "given_by": baby.pk,
            "given_on_0": "1",
            "given_on_1": "11",
            "given_on_2": "2026",
        },
    )
    assert "Select a parent or carer in this family" in response.content.decode()


def test_withdrawn_consent_stays_in_the_history(city, client, lead):
    client.force_login(lead)
    consent = city.family.consents.get()
    client.post(
        reverse("families:withdraw_consent", args=[city.family.pk, consent.pk]),
        {"note": "By phone"},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_by == lead
    assert consent.withdrawal_note == "By phone"
    body = client.get(
        reverse("families:family_consent", args=[city.family.pk])
    ).content.decode()
    assert "Withdrawn" in body
    timeline = client.get(reverse("families:family_timeline", args=[city.family.pk]))
    assert "Consent withdrawn for Test Harbour Families" in timeline.text


def test_withdrawing_twice_is_harmless(city, client, lead):
    client.force_login(lead)
    consent = city.family.consents.get()
    url = reverse("families:withdraw_consent", args=[city.family.pk, consent.pk])
    client.post(url, {"note": ""})
    assert client.post(url, {"note": ""}).status_code == 404


def test_search_by_each_field(city, client, lead):
    client.force_login(lead)
    link = reverse("families:family_record", args=[city.family.pk])
    for query in [
        {"name": "zzcan"},
        {"name": "Alex Zzcanaryson"},
        {"nhs_number": "999 000 0026"},
        {"postcode": "pl14ab"},
        {"date_of_birth_0": "27", "date_of_birth_1": "3", "date_of_birth_2": "1994"},
    ]:
        assert link in factories.search(client, **query).text, query
    assert link not in factories.search(client, name="Nobody").text


def test_nothing_typed_into_search_reaches_a_url(city, client, lead):
    client.force_login(lead)
    response = client.post(
        reverse("families:search_families"), {"nhs_number": "999 000 0026"}
    )
    location = response["Location"]
    assert "999" not in location
    assert "nhs" not in location
    results = client.get(location).text
    assert reverse("families:family_record", args=[city.family.pk]) in results
    # Another session cannot open someone else's results by their key.
    other = type(client)()
    other.force_login(lead)
    assert "result" not in other.get(location).text.split("<main", 1)[1]


@pytest.mark.security_case(21)
def test_search_treats_wildcards_and_quotes_literally(city, client, lead):
    client.force_login(lead)
    response = factories.search(client, name="%';  DROP TABLE")
    assert response.status_code == 200
    assert "0 results" in response.content.decode()


def test_access_log_shows_who_opened_the_record_to_team_managers(
    city, same_team_practitioner, team_manager, client
):
    client.force_login(same_team_practitioner)
    client.get(reverse("families:family_record", args=[city.family.pk]))
    client.force_login(team_manager)
    body = client.get(
        reverse("families:family_access_log", args=[city.family.pk])
    ).content.decode()
    assert "Sam Same" in body
    assert "Opened the family record" in body


def test_access_log_is_for_team_managers_only(city, client, lead):
    client.force_login(lead)
    assert (
        client.get(
            reverse("families:family_access_log", args=[city.family.pk])
        ).status_code
        == 403
    )


def test_an_nhs_number_already_recorded_is_a_hard_stop_that_reveals_nothing(
    city, other_hub_practitioner_client
):
    data = valid_family_post(city, carer_nhs_number="999 000 0026", team=city.team_b.pk)
    response = other_hub_practitioner_client.post(reverse("families:add_family"), data)
    body = response.content.decode()
    assert "This NHS number is already recorded in onestory" in body
    assert "Zzcanaryson" not in body
    assert reverse("families:family_record", args=[city.family.pk]) not in body
    assert Family.objects.count() == 1


def test_the_service_refuses_a_team_the_user_is_not_in(city, lead):
    from onestory.families import services

    with pytest.raises(services.NotTheirTeam):
        services.add_family(
            address=services.Address(
                line_1="1 Road", line_2="", town="T", postcode="PL1 1AA"
            ),
            carer=services.PersonDetails(
                role="parent_carer", given_name="A", family_name="B"
            ),
            child=None,
            story="Story",
            team=city.team_b,
            by=lead,
        )
    assert Family.objects.count() == 1


def _member_post(city, **overrides):
    carer = city.family.members.get(role="parent_carer")
    data = {
        "role": "child",
        "given_name": "Ellie",
        "family_name": "Zzcanaryson",
        "date_of_birth_0": "5",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2022",
        "expected_delivery_date_0": "",
        "expected_delivery_date_1": "",
        "expected_delivery_date_2": "",
        "nhs_number": "",
        "preferred_language": "English",
        "interpreter_needed": "no",
        "relationship": "child_of",
        "related_to": carer.pk,
    }
    return data | overrides


def test_adding_a_member_records_them_and_how_they_are_related(city, client, lead):
    from onestory.core.models import AuditEvent

    client.force_login(lead)
    response = client.post(
        reverse("families:add_member", args=[city.family.pk]), _member_post(city)
    )
    assert response.status_code == 302
    ellie = city.family.members.get(given_name="Ellie")
    carer = city.family.members.get(role="parent_carer")
    assert city.family.relationships.filter(
        person=carer, relative=ellie, kind="parent_of"
    ).exists()
    event = AuditEvent.objects.get(action="add_member")
    assert event.person_id == ellie.pk
    assert "date_of_birth" in event.changed_fields
    body = client.get(response["Location"]).content.decode()
    assert "Alex Zzcanaryson is parent of Ellie Zzcanaryson" in body


def test_a_members_phone_number_is_saved_and_audited(city, client, lead):
    client.force_login(lead)
    data = _member_post(
        city, role="parent_carer", phone="07700 900 123", relationship=""
    ) | {"related_to": ""}
    response = client.post(reverse("families:add_member", args=[city.family.pk]), data)
    assert response.status_code == 302
    ellie = city.family.members.get(given_name="Ellie")
    assert ellie.phone == "07700900123"
    event = AuditEvent.objects.get(action="add_member")
    assert "phone" in event.changed_fields
    assert "07700900123" not in str(event.detail)
    assert "07700 900123" in client.get(response["Location"]).text


def test_a_member_without_a_phone_number_is_audited_without_one(city, client, lead):
    client.force_login(lead)
    client.post(
        reverse("families:add_member", args=[city.family.pk]), _member_post(city)
    )
    assert city.family.members.get(given_name="Ellie").phone == ""
    assert "phone" not in AuditEvent.objects.get(action="add_member").changed_fields


def test_a_members_wrong_phone_number_is_refused_and_kept(city, client, lead):
    client.force_login(lead)
    body = client.post(
        reverse("families:add_member", args=[city.family.pk]),
        _member_post(city, phone="+44 07700 900 123"),
    ).text
    assert PHONE_MESSAGE in body
    assert 'value="+44 07700 900 123"' in body
    assert not city.family.members.filter(given_name="Ellie").exists()


def test_an_unborn_baby_needs_a_due_date_and_no_birth_date(city, client, lead):
    client.force_login(lead)
    body = client.post(
        reverse("families:add_member", args=[city.family.pk]),
        _member_post(city, role="unborn_baby"),
    ).content.decode()
    assert "Enter the expected date of delivery" in body
    assert "Leave date of birth blank for an unborn baby" in body
    assert 'value="Ellie"' in body


def test_a_relationship_needs_both_parts(city, client, lead):
    client.force_login(lead)
    body = client.post(
        reverse("families:add_member", args=[city.family.pk]),
        _member_post(city, related_to=""),
    ).content.decode()
    assert "Select both the relationship and the family member, or neither" in body


def test_a_member_cannot_be_related_to_someone_in_another_family(city, client, lead):
    from tests import factories

    other = factories.family(by=lead, team=city.team_a, family_name="Elsewhere")
    stranger = other.members.get(role="parent_carer")
    client.force_login(lead)
    body = client.post(
        reverse("families:add_member", args=[city.family.pk]),
        _member_post(city, related_to=stranger.pk),
    ).content.decode()
    assert "Select someone in this family" in body


def test_members_cannot_be_added_outside_the_scope(city, other_hub_practitioner_client):
    response = other_hub_practitioner_client.post(
        reverse("families:add_member", args=[city.family.pk]), _member_post(city)
    )
    assert response.status_code == 404
    assert not city.family.members.filter(given_name="Ellie").exists()
