"""Pure rules about courses: no Django, no database."""

# Marks that count as having been there.
PRESENT = frozenset({"attended", "late"})


def status_for_new_place(booked: int, capacity: int | None) -> str:
    """A new place is booked while there is room, else it joins the waiting list."""
    if capacity is None or booked < capacity:
        return "booked"
    return "waiting"


def is_complete(marks, sessions_to_complete: int | None) -> bool:
    """Complete once present at `sessions_to_complete` sessions (late counts)."""
    if not sessions_to_complete:
        return False
    return sum(mark in PRESENT for mark in marks) >= sessions_to_complete


def register_is_open(session_day, today) -> bool:
    """A session's register is taken on or after the session's day, never before."""
    return today >= session_day


def entered_later(first_session_day, entered_on) -> bool:
    """A course entered after its first session had already run."""
    return first_session_day < entered_on
