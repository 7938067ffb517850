"""Every empty list says why it is empty and links to what would fill it.

Each page is opened by a role in a local authority with nothing in it yet. The
page must show an empty state (``class="onestory-empty"``) with words and at
least one link, and the user must be able to open every link it offers.
"""

import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from tests import factories


class EmptyStates(HTMLParser):
    """Collects the text and links inside each ``onestory-empty`` element."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._depth:
            self._depth += 1
            if tag == "a":
                self.found[-1]["links"].append(attributes["href"])
        elif "onestory-empty" in (attributes.get("class") or "").split():
            self._depth = 1
            self.found.append({"text": "", "links": []})

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.found[-1]["text"] += data


PAGES = [
    ((Role.PRACTITIONER,), "families:my_caseload", ""),
    ((Role.PRACTITIONER,), "programmes:courses", ""),
    ((Role.PRACTITIONER,), "programmes:quotes", ""),
    ((Role.PRACTITIONER,), "workforce:my_development", ""),
    ((Role.PRACTITIONER,), "core:my_downloads", ""),
    ((Role.INFORMATION_GOVERNANCE,), "core:my_downloads", ""),
    ((Role.SPECIALIST,), "support:consultation_inbox", ""),
    ((Role.TRIAGE_CHAIR,), "support:triage_home", ""),
    ((Role.TEAM_MANAGER,), "workforce:team", ""),
    ((Role.TEAM_MANAGER, Role.ADMINISTRATOR), "workforce:team", ""),
    ((Role.TEAM_MANAGER,), "programmes:check_quotes", ""),
    ((Role.TEAM_MANAGER,), "insights:learning_log", ""),
    ((Role.COMMISSIONER,), "insights:learning_log", ""),
    ((Role.SUPERVISOR,), "workforce:supervision_given", ""),
    ((Role.INFORMATION_GOVERNANCE,), "families:emergency_access_reviews", ""),
    # A family no one has touched: the search finds nothing.
    ((Role.INFORMATION_GOVERNANCE,), "core:audit_trail", f"?family={uuid.UUID(int=1)}"),
]


@pytest.mark.parametrize(("roles", "page", "query"), PAGES)
def test_an_empty_list_says_why_and_links_to_what_would_fill_it(
    db, client, roles, page, query
):
    council = factories.organisation(
        "Quietmoor Council", local_authority_name="Quietmoor"
    )
    user = factories.staff("Eve Empty", council, *roles)
    client.force_login(user)
    response = client.get(reverse(page) + query)
    assert response.status_code == 200
    parser = EmptyStates()
    parser.feed(response.text)
    assert parser.found, f"{page} shows no empty state"
    for empty in parser.found:
        words = " ".join(empty["text"].split())
        assert len(words) > 40, f"{page}: the empty state does not say why: {words!r}"
        assert empty["links"], f"{page}: the empty state links nowhere: {words!r}"
        for href in empty["links"]:
            assert client.get(href).status_code == 200, f"{page} links to {href}"


def test_the_parser_finds_no_empty_state_where_there_is_none():
    parser = EmptyStates()
    parser.feed('<p class="govuk-body">Nothing here</p>')
    assert parser.found == []
    parser.feed('<div class="onestory-empty"><p>Why</p><a href="/x">Fix</a></div>')
    assert parser.found == [{"text": "WhyFix", "links": ["/x"]}]


@pytest.mark.parametrize(
    "page", ["families:family_questionnaires", "families:family_support"]
)
def test_the_records_empty_sections_say_why_and_link_to_what_would_fill_them(
    city, lead_client, page
):
    """A new family has no questionnaires and no contacts yet."""
    response = lead_client.get(reverse(page, args=[city.family.pk]))
    assert response.status_code == 200
    parser = EmptyStates()
    parser.feed(response.text)
    assert parser.found, f"{page} shows no empty state"
    for empty in parser.found:
        assert len(" ".join(empty["text"].split())) > 40
        assert empty["links"]
        for href in empty["links"]:
            assert lead_client.get(href).status_code == 200, f"{page} links to {href}"
