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
