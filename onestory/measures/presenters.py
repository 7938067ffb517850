"""Display of questionnaires: labels, answers and the progress picture.

No queries here: everything works on records already fetched.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from onestory.core import charts
from onestory.core.presenters import Tag, status_tag
from onestory.families.models import PersonRole
from onestory.measures import instruments

BAND_FILLS = ["#cce2d8", "#e7f0d8", "#fff7bf", "#fcd6c3", "#f4cdc6", "#eab3ab"]


def item_label(item) -> str:
    """The question as shown: its wording where shipped or licensed, else its name."""
    if item.text:
        return f"{item.number}. {item.text}" if item.number else item.text
    return item.display_name


def option_label(option) -> str:
    return option.label or f"Answer {option.position + 1}"


def question_name(item) -> str:
    """How a question is called in messages: "Question 3", or a neutral name
    such as "Goal 2" or "Area 4" (never licensed wording)."""
    if not item.neutral_name and item.number is not None:
        return f"Question {item.number}"
    return item.display_name


@dataclass(frozen=True)
class UnansweredQuestion:
    key: str
    name: str
    target: str  # the id of the question's first input, to link to


@dataclass(frozen=True)
class Unanswered:
    """The required questions left unanswered and what that does to the score
    (the library's words, from the score its rules gave)."""

    questions: tuple[UnansweredQuestion, ...]
    consequence: str

    @property
    def keys(self) -> str:
        """Sent back with the form: saving again with these (or fewer) left
        unanswered is the practitioner's confirmation."""
        return ",".join(question.key for question in self.questions)

    @property
    def advice(self) -> str:
        it = "it" if len(self.questions) == 1 else "them"
        return f"Answer {it} below, or save again to leave {it} unanswered."

    @property
    def heading(self) -> str:
        """ "Questions 3 and 7 are not answered", "Area 2 is not answered"."""
        names = [question.name for question in self.questions]
        verb = "is" if len(names) == 1 else "are"
        nouns = {name.rpartition(" ")[0] for name in names}
        numbers = [name.rpartition(" ")[2] for name in names]
        if len(names) > 1 and len(nouns) == 1 and all(n.isdigit() for n in numbers):
            return f"{nouns.pop()}s {_and_list(numbers)} {verb} not answered"
        return f"{_and_list(names)} {verb} not answered"


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def unanswered(instrument, score, targets=None) -> Unanswered | None:
    """None when every required question is answered. `targets` maps an item
    key to the id of its first input on the form (the saved page has none)."""
    if not score.missing_items:
        return None
    targets = targets or {}
    return Unanswered(
        tuple(
            UnansweredQuestion(
                key, question_name(instrument.item(key)), targets.get(key, "")
            )
            for key in score.missing_items
        ),
        instruments.describe_unanswered(instrument, score),
    )


@dataclass(frozen=True)
class AnswerRow:
    question: str
    answer: str
    value: str
    is_risk: bool


def answer_rows(instrument, response) -> list[AnswerRow]:
    rows = []
    for item in instrument.items:
        raw = response.answers.get(item.key)
        if raw is None:
            answer, value = "Not answered", ""
        elif item.kind == "choice":
            option = item.options[int(raw)]
            answer, value = option_label(option), str(option.value)
        else:
            answer = value = str(raw)
        rows.append(AnswerRow(item_label(item), answer, value, item.is_risk_item))
    return rows


@dataclass
class ChartPoint:
    x: float  # per cent across (core.charts)
    y: float  # pixels down
    when: date
    total: Decimal
    band: str
    review: str = ""

    @property
    def label_y(self) -> float:
        return round(self.y - 12, 1)

    @property
    def anchor(self) -> str:
        return charts.anchor_at(self.x)


@dataclass
class Progress:
    instrument: object
    points: list[ChartPoint]
    scale: charts.Scale | None = None
    bands: list[dict] = field(default_factory=list)
    labels: list[charts.Label] = field(default_factory=list)
    due: list[dict] = field(default_factory=list)
    summary: str = ""
    # For measures with no total (Outcomes Star areas, MORS-SF subscales): a table
    # of each scale over time instead of a chart.
    scale_labels: list[str] = field(default_factory=list)
    scale_rows: list[dict] = field(default_factory=list)
    height: int = charts.HEIGHT
    baseline: int = charts.PLOT_BOTTOM
    top: int = charts.PLOT_TOP
    # On the printed sheet, which shows several people: whose progress it is.
    person: object = None

    @property
    def segments(self) -> list[tuple[ChartPoint, ChartPoint]]:
        """The line from each score to the next."""
        return list(zip(self.points, self.points[1:], strict=False))


def first_name(person) -> str:
    """How the practitioner's pages name someone in a sentence: "Amelia", or
    "The unborn baby" when no name is recorded."""
    return person.given_name or f"The {person.get_role_display().lower()}"


def progress_page(person, instrument, responses, outstanding_points) -> dict:
    """The practitioner's progress page for one person and measure: the
    picture, how many answers could not be scored, and whether a link can be
    sent (to a parent or carer, for a measure they fill in themselves)."""
    return {
        "person": person,
        "instrument": instrument,
        "progress": progress(
            instrument, responses, outstanding_points, name=first_name(person)
        ),
        "unscored": sum(1 for r in responses if r.total is None),
        "can_send_link": person.role == PersonRole.PARENT_CARER
        and instrument.self_completion,
    }


def progress(instrument, responses, outstanding_points=(), *, name=None) -> Progress:
    """The progress picture for one person and one measure, oldest first. With
    `name` (the practitioner's page) the summary is about that person ("Amelia's
    PHQ-9 score went from 17 to 8"); without, it speaks to the family ("Your
    score went from 17 to 8")."""
    if not instrument.has_total:
        return _scale_progress(instrument, responses, name)
    scored = [r for r in responses if r.total is not None]
    scale = charts.fixed_scale(instrument.minimum, instrument.maximum)
    dates = [r.completed_on for r in scored] + [p.due_on for p in outstanding_points]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    points = [
        ChartPoint(
            charts.between(r.completed_on, first, last),
            scale.y(r.total),
            r.completed_on,
            r.total,
            _band_label(r),
            _review_label(r),
        )
        for r in scored
    ]
    picture = Progress(instrument, points, scale)
    picture.bands = _band_rects(instrument, scale)
    picture.labels = charts.date_labels(first, last)
    picture.due = [
        {
            "x": charts.between(p.due_on, first, last),
            "label": f"{p.get_kind_display()} due {p.due_on.day} {p.due_on:%B %Y}",
        }
        for p in outstanding_points
    ]
    picture.summary = _summary(instrument, [r.scored for r in scored], name)
    return picture


def _summary(instrument, scores, name) -> str:
    """The family's words, or the practitioner's about `name`: the same rules."""
    if instrument.change_per_scale and scores:
        # Each goal's first rating against its own last, over every rating.
        if name:
            return instruments.describe_changes_over_to_practitioner(
                instrument, scores, name=name
            )
        return instruments.describe_changes_over(instrument, scores)
    if len(scores) >= 2:
        if name:
            return instruments.describe_change_to_practitioner(
                instrument, scores[0], scores[-1], name=name
            )
        return instruments.describe_change(instrument, scores[0], scores[-1])
    if scores and name:
        return instruments.describe_score_to_practitioner(
            instrument, scores[0], name=name
        )
    return instruments.describe_score(instrument, scores[0]) if scores else ""


def _scale_progress(instrument, responses, name=None) -> Progress:
    picture = Progress(instrument, [])
    keys = [scale.key for scale in instrument.scales] or sorted(
        {key for r in responses for key in r.score.get("scales", {})}
    )
    labels = {scale.key: scale.label for scale in instrument.scales}
    picture.scale_labels = [labels.get(key, key) for key in keys]
    picture.scale_rows = [
        {
            "when": r.completed_on,
            "values": [
                (r.score.get("scales", {}).get(key) or {}).get("score") or "\u2013"
                for key in keys
            ],
        }
        for r in responses
    ]
    if len(responses) >= 2:
        picture.summary = _summary(
            instrument, [responses[0].scored, responses[-1].scored], name
        )
    return picture


def _band_label(response) -> str:
    band = response.score.get("band")
    return band["label"] if band else ""


def _review_label(response) -> str:
    # At most one (a partial unique constraint); prefetched with the responses.
    point = next(iter(response.review_points.all()), None)
    return point.get_kind_display() if point is not None else ""


def _band_rects(instrument, scale: charts.Scale) -> list[dict]:
    """The shaded ranges, and their key below the chart (names do not fit
    inside a chart on a phone)."""
    low, high = Decimal(str(scale.low)), Decimal(str(scale.high))
    rects = []
    for band in instrument.bands:
        lower = max(Decimal(band.lower), low)
        # Bands are inclusive integer ranges: shade up to the next band's start.
        upper = min(Decimal(band.upper) + (1 if band.upper < high else 0), high)
        top, bottom = scale.y(upper), scale.y(lower)
        rects.append(
            {
                "y": top,
                "height": round(bottom - top, 1),
                "fill": BAND_FILLS[min(band.severity, len(BAND_FILLS) - 1)],
                "range": f"{band.lower.normalize():f} to {band.upper.normalize():f}",
                "label": band.label + (" (provisional)" if band.provisional else ""),
            }
        )
    return rects


def progress_sheets(groups, outstanding=None) -> list[Progress]:
    """One progress picture per person and measure (`queries.responses_by_measure`),
    drawn as on the progress page, with the review points still to do
    (`queries.outstanding_by_measure`)."""
    sheets = []
    for (person, code), responses in groups.items():
        due = (outstanding or {}).get((person.pk, code), [])
        sheet = progress(instruments.get(code), responses, due)
        sheets.append(replace(sheet, person=person))
    return sheets


@status_tag("review_point")
def review_point_tag(point, today: date) -> Tag:
    """Where a review point stands on `today`."""
    if point.completed_by:
        return Tag("Done", "green")
    if point.due_on < today:
        return Tag("Overdue", "red")
    if point.due_on == today:
        return Tag("Due today", "yellow")
    return Tag("Upcoming", "grey")


@status_tag("open_risks")
def open_risks_tag(open_risks) -> Tag | None:
    """Risk answers no one has recorded an action for yet."""
    count = len(open_risks)
    if not count:
        return None
    return Tag(
        f"{count} risk answer{'s' if count != 1 else ''} with no action recorded", "red"
    )
