"""The rules of a parent's or carer's sign-in to their family's own view, in
plain Python (docs/family-view.md).

A sign-in link lives 15 minutes and works once; it leads to one more check,
the adult's date of birth, with three tries. The family session that follows
has its own cookie, ends after 20 minutes without use and after 8 hours in
all. Links asked for are limited per adult, so a stranger who knows an email
address cannot flood it.
"""

import hashlib
import secrets
from datetime import timedelta

from onestory.notify.domain import Channel

LINK_LIFETIME = timedelta(minutes=15)
DATE_OF_BIRTH_TRIES = 3
LINKS_PER_ADULT, LINKS_WINDOW = 3, timedelta(minutes=15)

SESSION_COOKIE = "onestory_family"
SESSION_IDLE = timedelta(minutes=20)
SESSION_LONGEST = timedelta(hours=8)
# A session's last use is written at most this often, not on every page.
SESSION_TOUCH = timedelta(minutes=1)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """What is stored of a link's token or a session's key: its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def address_key(channel: str, address: str) -> str:
    """The hash an adult's email address or mobile number is found by, so that
    the sign-in page finds the adult in any local authority without naming
    one, and without keeping a second copy of the address in the clear."""
    found = address.lower() if channel == Channel.EMAIL else address
    return hash_secret(f"{channel}:{found}")


def session_over(*, started_at, last_seen_at, now) -> bool:
    return now - last_seen_at > SESSION_IDLE or now - started_at > SESSION_LONGEST


# The family's plan --------------------------------------------------------------


def action_owner_in_words(owner: str, *, lead_name: str, staff_names) -> str:
    """Who will do an action, as an adult sees it: their own practitioner by
    name, "Someone in your team" for any other member of staff (whose name
    they are not shown), and the family's own words otherwise."""
    said = owner.strip().casefold()
    if lead_name and said == lead_name.strip().casefold():
        return lead_name
    if said in {name.strip().casefold() for name in staff_names}:
        return "Someone in your team"
    return owner


def is_familys_action(owner: str, *, staff_names) -> bool:
    """An action the family may mark done themselves: one whose owner ("who
    will do it", in words) is not a member of staff."""
    said = owner.strip().casefold()
    return bool(said) and said not in {name.strip().casefold() for name in staff_names}
