"""The rules of a major incident, in plain Python (docs/incidents.md).

Where: British National Grid eastings and northings, in metres, as the open
postcode directory gives them. An area of an incident is a circle (a centre
and a radius), a route with a buffer (points joined by straight lines, and a
distance either side), or a list of postcodes. A point is inside a circle or
a route when its distance is at most the radius or buffer: a point on the
boundary is inside. Each area also gives a bounding box, which the database
searches by index before the exact test here.

Who first: `priority` puts the families most vulnerable in an emergency
first, by a rule a responder can read back: each reason has its points, the
points add up, and the family shows its reasons.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

Point = tuple[float, float]  # (easting, northing), metres


# Where ------------------------------------------------------------------------


@dataclass(frozen=True)
class Circle:
    centre: Point
    radius: float

    def box(self) -> tuple[float, float, float, float]:
        (e, n), r = self.centre, self.radius
        return (e - r, n - r, e + r, n + r)

    def contains(self, point: Point) -> bool:
        return distance(point, self.centre) <= self.radius


@dataclass(frozen=True)
class Route:
    points: tuple[Point, ...]
    buffer: float

    def box(self) -> tuple[float, float, float, float]:
        eastings = [e for e, _ in self.points]
        northings = [n for _, n in self.points]
        b = self.buffer
        return (
            min(eastings) - b,
            min(northings) - b,
            max(eastings) + b,
            max(northings) + b,
        )

    def contains(self, point: Point) -> bool:
        if len(self.points) == 1:
            return distance(point, self.points[0]) <= self.buffer
        return any(
            distance_to_segment(point, start, end) <= self.buffer
            for start, end in zip(self.points, self.points[1:], strict=False)
        )


def distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def distance_to_segment(point: Point, start: Point, end: Point) -> float:
    """The shortest distance from a point to the straight line from start to
    end (not beyond its ends)."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    if length_squared == 0:
        return distance(point, start)
    along = ((px - ax) * dx + (py - ay) * dy) / length_squared
    along = max(0.0, min(1.0, along))
    return distance(point, (ax + along * dx, ay + along * dy))


GRID_REFERENCE_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"  # no I


def grid_reference(text: str) -> Point | None:
    """An Ordnance Survey grid reference ('SX 4560 5590', 'SX45605590', with 2
    to 10 digits) or 'easting,northing' in metres, as a point; None for
    anything else. The point is the south-west corner of the square it names,
    moved to the square's centre."""
    if "," in text:
        parts = [part.strip() for part in text.split(",")]
        if len(parts) == 2 and all(part.isdigit() for part in parts):
            return (float(parts[0]), float(parts[1]))
        return None
    compact = "".join(text.split()).upper()
    if len(compact) < 4 or not compact[:2].isalpha() or not compact[2:].isdigit():
        return None
    digits = compact[2:]
    if len(digits) % 2 or len(digits) > 10:
        return None
    first, second = (GRID_REFERENCE_LETTERS.find(letter) for letter in compact[:2])
    if first < 0 or second < 0:
        return None
    # The 500 km square, then the 100 km square within it, from the grid's
    # false origin (SV's south-west corner).
    e100 = ((first - 2) % 5) * 5 + (second % 5)
    n100 = (19 - (first // 5) * 5) - (second // 5)
    half = len(digits) // 2
    size = 10 ** (5 - half)
    easting = e100 * 100_000 + int(digits[:half]) * size + size / 2
    northing = n100 * 100_000 + int(digits[half:]) * size + size / 2
    return (easting, northing)


# Who first --------------------------------------------------------------------


@dataclass(frozen=True)
class Circumstances:
    """What onestory knows of a family that matters in an emergency."""

    birth_due_on: date | None = None  # the soonest expected delivery date
    youngest_born_on: date | None = None  # the youngest baby's or child's birth
    specialist: bool = False  # at the specialist level of support
    open_risk: bool = False  # a risk answer no one has acted on yet
    restricted_note: bool = False  # a restricted (safeguarding) contact note
    no_phone: bool = False  # no phone number for any adult
    interpreter: bool = False  # someone needs an interpreter


# Each reason, its points and its words. A family's points are the sum of its
# reasons; more points, sooner checked. Ties go to the soonest birth, then the
# youngest baby (sort_key).
BIRTH_DUE_WITHIN = timedelta(weeks=6)
# A due date this long past is taken as a birth not yet recorded, not as a
# birth still to come (queries.circumstances leaves it out).
STILL_DUE_AFTER = timedelta(weeks=2)
BABY_UNDER = timedelta(weeks=8)
REASONS = [
    ("birth_due", 40, "Birth due within 6 weeks"),
    ("newborn", 40, "A baby under 8 weeks old"),
    ("open_risk", 30, "A risk answer not yet acted on"),
    ("restricted_note", 25, "A restricted safeguarding note"),
    ("specialist", 20, "Specialist level of support"),
    ("no_phone", 15, "No phone number recorded"),
    ("interpreter", 10, "Needs an interpreter"),
]
POINTS = {code: points for code, points, _ in REASONS}
WORDS = {code: words for code, _, words in REASONS}


def reasons(circumstances: Circumstances, today: date) -> list[str]:
    """The codes of the reasons that apply, in the order of `REASONS`."""
    c = circumstances
    applies = {
        "birth_due": c.birth_due_on is not None
        and c.birth_due_on <= today + BIRTH_DUE_WITHIN,
        "newborn": c.youngest_born_on is not None
        and today - c.youngest_born_on < BABY_UNDER,
        "open_risk": c.open_risk,
        "restricted_note": c.restricted_note,
        "specialist": c.specialist,
        "no_phone": c.no_phone,
        "interpreter": c.interpreter,
    }
    return [code for code, _, _ in REASONS if applies[code]]


def priority(codes: Iterable[str]) -> int:
    return sum(POINTS[code] for code in codes)


def sort_key(points: int, circumstances: Circumstances, then="") -> tuple:
    """Most points first, then the soonest birth, then the youngest baby, then
    `then` (when the family was listed, and its id: any fixed order). The
    list's SQL order (services._rerank) is the same, and tested to be."""
    return (
        -points,
        circumstances.birth_due_on or date.max,
        -(circumstances.youngest_born_on or date.min).toordinal(),
        then,
    )


# Welfare checks ---------------------------------------------------------------

# A check is escalated after this many attempts with no answer, unless the
# incident says otherwise.
NO_ANSWERS_BEFORE_ESCALATION = 3


def escalates(outcomes: Sequence[str], *, no_answer: str, limit: int) -> bool:
    """Whether the attempts so far (oldest first) call for escalation: `limit`
    with no answer and none that reached the family."""
    return len(outcomes) >= limit and all(o == no_answer for o in outcomes)


def within_hours(started, checked_at, hours: int) -> bool:
    return checked_at is not None and checked_at - started <= timedelta(hours=hours)
