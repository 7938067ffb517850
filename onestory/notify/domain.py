"""The rules of messages to families, in plain Python (docs/notify.md).

What may be sent (each kind's channels and the only personalisation it may
carry, so no clinical content can reach a message), how long a message is worth
sending, which answers from GOV.UK Notify are tried again and after how long.
No Django here: the rules are tested in milliseconds.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


@dataclass(frozen=True)
class Kind:
    """A kind of message: a Notify template for each channel it may go by.

    `keys` is the whole of what its personalisation may hold: a link, a
    first name, the hub's or area's name families know, their practitioner's
    name, a date. Never a questionnaire's name, a score, a
    level of support or anything else about why the family is supported.
    `worth_sending_for` is how long after it was queued a message still helps:
    a sign-in link lives 15 minutes, so one not sent by then is not sent."""

    name: str
    channels: frozenset[Channel]
    keys: frozenset[str]
    required: frozenset[str]
    worth_sending_for: timedelta


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            name="sign_in_link",
            channels=frozenset({Channel.EMAIL, Channel.SMS}),
            keys=frozenset({"link", "minutes", "area"}),
            required=frozenset({"link", "minutes"}),
            worth_sending_for=timedelta(minutes=15),
        ),
        # A practitioner has given an adult access to the family's own view:
        # where to sign in (the sign-in page, not a sign-in link).
        Kind(
            name="family_view_invitation",
            channels=frozenset({Channel.EMAIL, Channel.SMS}),
            keys=frozenset({"link", "area", "practitioner"}),
            required=frozenset({"link"}),
            worth_sending_for=timedelta(days=7),
        ),
        Kind(
            name="questionnaire_link",
            channels=frozenset({Channel.EMAIL, Channel.SMS}),
            keys=frozenset(
                {"link", "first_name", "hub", "area", "practitioner", "expires_on"}
            ),
            required=frozenset({"link"}),
            worth_sending_for=timedelta(days=7),
        ),
        Kind(
            name="review_reminder",
            channels=frozenset({Channel.EMAIL, Channel.SMS}),
            keys=frozenset({"link", "first_name", "hub", "area", "due_by"}),
            required=frozenset({"link", "due_by"}),
            worth_sending_for=timedelta(days=2),
        ),
    )
}

# Notify's own limit on one personalisation value is far above this; ours keeps
# a message to what a link and a greeting need.
LONGEST_VALUE = 500


class NotAllowed(ValueError):
    """A message that must not be queued: the reason says which rule."""


def check_message(kind_name: str, channel: str, personalisation: dict) -> Kind:
    """The kind, if a message of it may go by `channel` with exactly this
    personalisation; NotAllowed otherwise."""
    kind = KINDS.get(kind_name)
    if kind is None:
        raise NotAllowed(f"No kind of message is called {kind_name!r}.")
    if channel not in kind.channels:
        raise NotAllowed(f"A {kind_name} cannot go by {channel}.")
    keys = set(personalisation)
    if extra := keys - kind.keys:
        raise NotAllowed(f"A {kind_name} may not carry {sorted(extra)}.")
    if missing := kind.required - keys:
        raise NotAllowed(f"A {kind_name} needs {sorted(missing)}.")
    for key, value in personalisation.items():
        if not isinstance(value, str) or len(value) > LONGEST_VALUE:
            raise NotAllowed(f"{key} must be text of at most {LONGEST_VALUE} letters.")
        if "\n" in value or "\r" in value:
            raise NotAllowed(f"{key} must be one line.")
    return kind


def template_setting(kind_name: str, channel: str) -> str:
    """The environment variable naming the Notify template of a kind and channel."""
    return f"ONESTORY_NOTIFY_TEMPLATE_{kind_name.upper()}_{channel.upper()}"


# Recipients -----------------------------------------------------------------

_PHONE_PUNCTUATION = re.compile(r"[\s().-]")
_PHONE = re.compile(r"\+?\d{10,15}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LONGEST_EMAIL = 320


def phone_number(text: str) -> str:
    """A mobile number as Notify takes it (spaces and brackets gone)."""
    number = _PHONE_PUNCTUATION.sub("", text)
    if not _PHONE.fullmatch(number):
        raise NotAllowed("That is not a phone number.")
    return number


def email_address(text: str) -> str:
    address = text.strip()
    if len(address) > LONGEST_EMAIL or not _EMAIL.fullmatch(address):
        raise NotAllowed("That is not an email address.")
    return address


def channel_and_address(text: str) -> tuple[Channel, str]:
    """An email address or a UK mobile number as typed, as (channel, address
    as Notify takes it); NotAllowed for anything else."""
    if "@" in text:
        return Channel.EMAIL, email_address(text)
    number = phone_number(text)
    if number.startswith("+44"):
        number = "0" + number[3:]
    if not (number.startswith("07") and len(number) == 11):
        raise NotAllowed("Enter a UK mobile number, like 07700 900 982.")
    return Channel.SMS, number


def recipient(channel: str, address: str) -> dict:
    """Where `queue_message` sends it, as its keyword: `to_email` or `to_phone`."""
    return {"to_email": address} if channel == Channel.EMAIL else {"to_phone": address}


HINT_LENGTH = 60  # notify.Message.to_hint's length


def hint(channel: str, recipient: str) -> str:
    """Enough of a recipient to tell two apart in a log or on a page, not to
    reach them: the last three digits, or the email's first letter and domain."""
    if channel == Channel.SMS:
        return "•••" + recipient[-3:]
    local, _, domain = recipient.partition("@")
    shown = f"{local[:1]}•••@{domain}"
    # A long domain keeps its end (where addresses differ least) within a
    # hint's length; a valid address may be far longer than a hint.
    if len(shown) > HINT_LENGTH:
        shown = f"{local[:1]}•••@…{domain[-(HINT_LENGTH - 6) :]}"
    return shown


# Notify's answers -------------------------------------------------------------


class Answer(StrEnum):
    ACCEPTED = "accepted"  # Notify has the message (2xx)
    SLOW_DOWN = "slow_down"  # 429: not taken; every send waits
    UNKNOWN = "unknown"  # 5xx or no answer: it may or may not have been taken
    NOT_NOW = "not_now"  # 401/403: our key or clock; not taken, try later
    REJECTED = "rejected"  # any other 4xx: never, as it stands


def answer_to(status_code: int | None) -> Answer:
    """What Notify's reply means for the message (None: no reply at all, a
    timeout or a broken connection)."""
    if status_code is None or status_code >= 500:
        return Answer.UNKNOWN
    if 200 <= status_code < 300:
        return Answer.ACCEPTED
    if status_code == 429:
        return Answer.SLOW_DOWN
    if status_code in (401, 403):
        return Answer.NOT_NOW
    return Answer.REJECTED


def tried_again(answer: Answer) -> bool:
    return answer in (Answer.SLOW_DOWN, Answer.UNKNOWN, Answer.NOT_NOW)


# A message is tried at most this many times; by then (with the waits below)
# about eight hours have passed, and a kind worth less is given up sooner.
ATTEMPTS = 12
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
# After an unknown answer the next try first asks Notify whether it has the
# message. It asks no sooner than this: longer than Notify spends on one request,
# so a send still being worked on when we gave up has landed (or not) by then.
UNKNOWN_WAIT = timedelta(minutes=2)
# A message claimed by a worker that then stopped (killed, the machine lost) is
# taken back after this long, longer than any send can take.
CLAIM_LASTS = timedelta(minutes=5)
# Notify takes 3,000 messages a minute for each key: more is answered 429.
NOTIFY_PER_MINUTE = 3000


def wait_before(attempt: int, answer: Answer, *, spread: float) -> timedelta:
    """How long after try number `attempt` (from 1) the next one may start:
    doubling from FIRST_WAIT up to LONGEST_WAIT, each wait somewhere in its
    upper half (`spread` in [0, 1)) so that messages refused together do not
    come back together; after an unknown answer, at least UNKNOWN_WAIT."""
    full = min(FIRST_WAIT * 2 ** (attempt - 1), LONGEST_WAIT)
    wait = full * (0.5 + spread / 2)
    if answer == Answer.UNKNOWN:
        wait = max(wait, UNKNOWN_WAIT)
    return wait


def gives_up(attempt: int) -> bool:
    return attempt >= ATTEMPTS


# Delivery receipts -----------------------------------------------------------

# Notify's final statuses of an email or a text message, in its callback.
DELIVERED = "delivered"
NOT_DELIVERED = frozenset(
    {"permanent-failure", "temporary-failure", "technical-failure"}
)


def receipt_final(status: str) -> bool:
    return status == DELIVERED or status in NOT_DELIVERED
