"""What programmes contributes to a family (families/parts.py): the courses on
the family record's Courses and Timeline pages.

Registered by `ProgrammesConfig.ready()`.
"""

from onestory.families import parts
from onestory.programmes.queries import family_courses


def register() -> None:
    parts.presenter("family_courses", family_courses)
