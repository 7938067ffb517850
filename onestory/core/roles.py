"""The roles staff hold, and the sets of roles each kind of work needs.

Defined in core so that every app, core included, can ask about roles without
importing the accounts app; `accounts.models.RoleGrant` records who holds which.
"""

from django.db import models


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    PEER_SUPPORT_WORKER = "peer_support_worker", "Peer support worker"
    SPECIALIST = "specialist", "Specialist"
    TEAM_MANAGER = "team_manager", "Team manager"
    TRIAGE_CHAIR = "triage_chair", "Triage chair"
    SUPERVISOR = "supervisor", "Supervisor"
    COMMISSIONER = "commissioner", "Commissioner or analyst"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance lead"
    ADMINISTRATOR = "administrator", "Administrator"
    # Declares a major incident, assigns its staff and stands it down
    # (docs/incidents.md). Sees the families inside it only while it is open.
    EMERGENCY_LEAD = "emergency_lead", "Emergency lead"
    # For the whole deployment, not one council: changes the reference data every
    # local authority shares (docs/access.md, "Administration"). Granted only
    # outside the administration pages (docs/operations.md).
    SERVICE_ADMINISTRATOR = "service_administrator", "Service administrator"


# Roles that work with families and so may read family records in their scope.
# Supervisors, commissioners and administrators read none unless they also hold
# one of these.
FAMILY_ROLES = frozenset(
    {
        Role.PRACTITIONER,
        Role.PEER_SUPPORT_WORKER,
        Role.SPECIALIST,
        Role.TEAM_MANAGER,
        Role.TRIAGE_CHAIR,
    }
)

# Roles that see outcome measures, scores and risk answers. Peer support workers
# work alongside families without clinical information (issue 6).
CLINICAL_ROLES = FAMILY_ROLES - {Role.PEER_SUPPORT_WORKER}

# Roles that screen and decide requests for support addressed to their
# organisation, and so may read those families while a request is open.
TRIAGE_ROLES = frozenset({Role.TRIAGE_CHAIR, Role.TEAM_MANAGER})
# Service reports (insights): team managers see exact figures, for learning with
# their teams; commissioners and analysts see aggregates, small numbers hidden.
REPORT_ROLES = frozenset({Role.TEAM_MANAGER, Role.COMMISSIONER})
EXACT_FIGURES_ROLES = frozenset({Role.TEAM_MANAGER})
