"""The families app's models, one module per seam: who may see a family
(access: the scope, consent, emergency access), the household and its story
(households), and its people (people). Imported here, so that Django finds them
and `onestory.families.models` names each of them."""

from onestory.families.models.access import (
    ACCESS_PURPOSE,
    BreakGlass,
    Consent,
    ConsentPurpose,
    ConsentQuerySet,
    FamilyQuerySet,
)
from onestory.families.models.households import Family, StoryVersion
from onestory.families.models.people import (
    CORRECTABLE,
    ETHNIC_GROUPS,
    EthnicCategory,
    ParentRole,
    Person,
    PersonCorrection,
    PersonQuerySet,
    PersonRole,
    Relationship,
    RelationshipKind,
)

__all__ = [
    "ACCESS_PURPOSE",
    "CORRECTABLE",
    "ETHNIC_GROUPS",
    "BreakGlass",
    "Consent",
    "ConsentPurpose",
    "ConsentQuerySet",
    "EthnicCategory",
    "Family",
    "FamilyQuerySet",
    "ParentRole",
    "Person",
    "PersonCorrection",
    "PersonQuerySet",
    "PersonRole",
    "Relationship",
    "RelationshipKind",
    "StoryVersion",
]
