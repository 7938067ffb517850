"""Every instrument can be recorded, shown and charted through the pages."""

from datetime import date

import pytest
from django.urls import reverse

from onestory.measures import instruments
from onestory.measures.models import QuestionnaireResponse


def _first_answers(instrument) -> dict:
    answers = {}
    for item in instrument.items:
        if item.kind == "choice":
            answers[f"item_{item.key}"] = str(item.options[-1].position)
        else:
            answers[f"item_{item.key}"] = str(item.maximum)
    return answers


@pytest.mark.parametrize("code", sorted(instruments.CODES))
def test_record_show_and_chart(code, city, lead, client):
    instrument = instruments.get(code)
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    form = client.get(
        reverse("measures:record_questionnaire", args=[city.family.pk, carer.pk, code])
    )
    assert form.status_code == 200
    for completed in (date(2026, 9, 1), date(2026, 11, 1)):
        data = _first_answers(instrument) | {
            "completed_on_0": completed.day,
            "completed_on_1": completed.month,
            "completed_on_2": completed.year,
        }
        response = client.post(
            reverse(
                "measures:record_questionnaire", args=[city.family.pk, carer.pk, code]
            ),
            data,
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    saved = QuestionnaireResponse.objects.filter(instrument_code=code).first()
    assert client.get(response["Location"]).status_code == 200
    progress = client.get(
        reverse("measures:show_progress", args=[city.family.pk, carer.pk, code])
    )
    assert progress.status_code == 200
    assert saved.status in ("scored", "prorated")
    assert (
        client.get(
            reverse("measures:print_progress_sheet", args=[city.family.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("families:family_record", args=[city.family.pk])).status_code
        == 200
    )
