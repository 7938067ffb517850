import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW_FAMILY = "view_family", "Opened the family record"
    LIST_CASELOAD = "list_caseload", "Listed a caseload"
    SEARCH_FAMILIES = "search_families", "Searched families"
    CREATE_FAMILY = "create_family", "Added a family"
    ADD_MEMBER = "add_member", "Added a family member"
    EDIT_STORY = "edit_story", "Edited the family's story"
    EDIT_STORY_CONFLICT = "edit_story_conflict", "Story edit refused: stale version"
    RECORD_CONSENT = "record_consent", "Recorded consent"
    WITHDRAW_CONSENT = "withdraw_consent", "Recorded withdrawal of consent"
    VIEW_ACCESS_LOG = "view_access_log", "Viewed who opened the record"
    CHANGE_LEVEL = "change_level", "Changed the level of support"
    TRANSFER_LEAD = "transfer_lead", "Transferred the lead practitioner"
    ADD_TO_TEAM = "add_to_team", "Added someone to the team around the family"
    REMOVE_FROM_TEAM = "remove_from_team", "Removed someone from the team"
    RECORD_CONTACT = "record_contact", "Recorded a contact"
    ARRANGE_CONTACT = "arrange_contact", "Arranged a contact with the family"
    CANCEL_ARRANGED_CONTACT = "cancel_arranged_contact", "Cancelled an arranged contact"
    CLOSE_EPISODE = "close_episode", "Closed the episode of support"
    UPDATE_PLAN = "update_plan", "Updated the family's plan"
    UPDATE_PLAN_CONFLICT = "update_plan_conflict", "Plan edit refused: stale version"
    ASK_CONSULTATION = "ask_consultation", "Asked a specialist for a consultation"
    ANSWER_CONSULTATION = "answer_consultation", "Answered a consultation"
    VIEW_CONSULTATION_INBOX = "view_consultation_inbox", "Listed consultations"
    MAKE_REQUEST = "make_request", "Made a request for support"
    CHANGE_REQUEST_STATUS = "change_request_status", "Changed a request's status"
    CONSENT_OVERRIDE = "consent_override", "Overrode the need for consent"
    LIST_REQUESTS = "list_requests", "Listed requests for support"
    SCHEDULE_TRIAGE = "schedule_triage", "Scheduled a triage meeting"
    VIEW_TRIAGE_MEETING = "view_triage_meeting", "Opened a triage meeting"
    RECORD_TRIAGE_DECISION = "record_triage_decision", "Recorded a triage decision"
    START_INTERVENTION = "start_intervention", "Started an intervention"
    RECORD_QUESTIONNAIRE = "record_questionnaire", "Recorded a questionnaire"
    AMEND_QUESTIONNAIRE = "amend_questionnaire", "Amended a questionnaire"
    RECORD_RISK_ACTION = "record_risk_action", "Recorded action on a risk answer"
    SEND_QUESTIONNAIRE_LINK = "send_questionnaire_link", "Sent a questionnaire link"
    COMPLETE_QUESTIONNAIRE_LINK = (
        "complete_questionnaire_link",
        "Parent completed a questionnaire online",
    )
    QUESTIONNAIRE_LINK_REFUSED = (
        "questionnaire_link_refused",
        "Questionnaire link refused",
    )
    REVIEW_QUESTIONNAIRE = "review_questionnaire", "Reviewed a questionnaire"
    REFUSED = "refused", "Refused: outside the user's scope"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    SIGN_OUT_OTHER_SESSIONS = "sign_out_other_sessions", "Signed out everywhere else"
    BREAK_GLASS = "break_glass", "Used emergency access to a family"
    REVIEW_BREAK_GLASS = "review_break_glass", "Reviewed an emergency access"
    VIEW_BREAK_GLASS = "view_break_glass", "Opened emergency access reviews"
    ANONYMISE_FAMILY = "anonymise_family", "Anonymised a family at the end of retention"
    SUBJECT_ACCESS = "subject_access", "Produced a subject access export"
    SEARCH_AUDIT = "search_audit", "Searched the audit trail"
    EXPORT_AUDIT = "export_audit", "Exported the audit trail"
    ENROL_SECOND_FACTOR = "enrol_second_factor", "Set up two-factor sign-in"
    USE_RECOVERY_CODE = "use_recovery_code", "Signed in with a recovery code"
    CHANGE_PASSWORD = "change_password", "Changed their password"
    BULK_READ_ALERT = "bulk_read_alert", "Opened an unusual number of records"
    EXPORT_CASELOAD = "export_caseload", "Downloaded their caseload"
    UNLOCK_SIGN_IN = "unlock_sign_in", "Let someone locked out sign in again"
    RECORD_TRAINING = "record_training", "Recorded training"
    RECORD_TRAINING_NEED = "record_training_need", "Recorded a training need"
    RECORD_SUPERVISION = "record_supervision", "Recorded supervision"
    VIEW_SUPERVISION = "view_supervision", "Opened a supervision record"
    RUN_COURSE = "run_course", "Set up a course"
    BOOK_PLACE = "book_place", "Booked a place on a course"
    LEAVE_COURSE = "leave_course", "Recorded someone leaving a course"
    TAKE_REGISTER = "take_register", "Took a register"
    RECORD_FEEDBACK = "record_feedback", "Recorded a family's feedback"
    CORRECT_PERSON = "correct_person", "Corrected someone's details"
    UPDATE_ENROLMENT = "update_enrolment", "Updated a programme's sessions or status"
    VIEW_COURSE = "view_course", "Opened a course's people or register"
    CORRECT_PERSON_CONFLICT = (
        "correct_person_conflict",
        "Correction refused: details changed meanwhile",
    )
    VIEW_REPORT = "view_report", "Opened a service report"
    EXPORT_REPORT = "export_report", "Downloaded a service report"
    RECORD_LEARNING = "record_learning", "Wrote in the learning log"
    # The administration pages (accounts/administration.py).
    ADD_STAFF = "add_staff", "Added a staff account"
    CHANGE_STAFF = "change_staff", "Changed a staff account"
    DEACTIVATE_STAFF = "deactivate_staff", "Deactivated a staff account"
    GRANT_ROLE = "grant_role", "Granted a role"
    REVOKE_ROLE = "revoke_role", "Revoked a role"
    SEND_SET_UP_LINK = "send_set_up_link", "Sent a set-up link"
    USE_SET_UP_LINK = "use_set_up_link", "Used a set-up link"
    RESET_SECOND_FACTOR = "reset_second_factor", "Reset two-factor sign-in"
    LOCK_ACCOUNT = "lock_account", "Locked an account after too many wrong codes"
    ADD_REFERENCE = "add_reference", "Added reference data"
    CHANGE_REFERENCE = "change_reference", "Changed reference data"
    DELETE_REFERENCE = "delete_reference", "Deleted reference data"
    PREPARE_DOWNLOAD = "prepare_download", "Asked for a large download"
    FETCH_DOWNLOAD = "fetch_download", "Fetched a prepared download"
    QUEUE_MESSAGE = "queue_message", "Queued an email or text message"
    # The family's own view (onestory/parents): staff giving and pausing an
    # adult's access, deciding on the family's suggestions; and the adult's
    # own sign-ins, reads and writes, with the adult as the actor.
    INVITE_TO_FAMILY_VIEW = (
        "invite_to_family_view",
        "Invited someone to the family's own view",
    )
    PAUSE_FAMILY_VIEW = (
        "pause_family_view",
        "Paused someone's access to the family's own view",
    )
    RESUME_FAMILY_VIEW = (
        "resume_family_view",
        "Gave back someone's access to the family's own view",
    )
    SEND_FAMILY_SIGN_IN_LINK = (
        "send_family_sign_in_link",
        "Sent a sign-in link to the family's own view",
    )
    FAMILY_SIGN_IN = "family_sign_in", "Signed in to the family's own view"
    FAMILY_SIGN_IN_REFUSED = (
        "family_sign_in_refused",
        "Sign-in to the family's own view refused",
    )
    FAMILY_SIGN_OUT = "family_sign_out", "Signed out of the family's own view"
    FAMILY_VIEW_PAGE = "family_view_page", "Opened a page of the family's own view"
    SUGGEST_STORY_CHANGE = (
        "suggest_story_change",
        "Suggested a change to the family's story",
    )
    COMPLETE_QUESTIONNAIRE_IN_FAMILY_VIEW = (
        "complete_questionnaire_family_view",
        "Parent completed a questionnaire in the family's own view",
    )
    DECIDE_STORY_SUGGESTION = (
        "decide_story_suggestion",
        "Decided on a suggested change to the story",
    )
    DECLARE_INCIDENT = "declare_incident", "Declared a major incident"
    CHANGE_INCIDENT_AREA = "change_incident_area", "Widened or added an incident's area"
    ASSIGN_INCIDENT_STAFF = "assign_incident_staff", "Assigned someone to an incident"
    OPEN_REST_CENTRE = "open_rest_centre", "Opened a rest centre"
    LIST_INCIDENT_FAMILIES = (
        "list_incident_families",
        "Listed the families in a major incident",
    )
    VIEW_WELFARE_CHECK = "view_welfare_check", "Opened a welfare check"
    RECORD_WELFARE_CHECK = "record_welfare_check", "Recorded a welfare check"
    EXPORT_INCIDENT_LIST = (
        "export_incident_list",
        "Downloaded an incident's list for the multi-agency cell",
    )
    PRINT_INCIDENT_LIST = (
        "print_incident_list",
        "Opened an incident's list to print for the multi-agency cell",
    )
    STAND_DOWN_INCIDENT = "stand_down_incident", "Stood down a major incident"
    VIEW_INCIDENT_REPORT = "view_incident_report", "Opened an incident's report"


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AuditEvent(models.Model):
    """Who did what to which family's data, when. Field names only, never values."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_roles = models.CharField(max_length=200, blank=True)
    actor_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    # One of AuditAction, checked by audit.record rather than by the field's
    # choices, so that a new audited action needs no migration.
    action = models.CharField(max_length=40)
    outcome = models.CharField(
        max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.ALLOWED
    )
    # Ids, not foreign keys: the trail outlives anonymisation of the record.
    family_id = models.UUIDField(null=True, blank=True)
    person_id = models.UUIDField(null=True, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    # Where the request came from (the proxy's X-Forwarded-For when behind one).
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    # The hash chain (core/audit_chain.py): position, the previous event's hash,
    # and this event's keyed hash.
    sequence = models.PositiveBigIntegerField(unique=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["family_id", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.outcome}"

    def get_action_display(self) -> str:
        """What was done, in words (the action's label)."""
        try:
            return str(AuditAction(self.action).label)
        except ValueError:  # an action since retired: its code is all there is
            return self.action


class Submission(models.Model):
    """A form submitted once (security case 31): the key names the user, the
    form's one-time token and the address posted to; `location` is where the
    first submission led, for a second identical one to follow."""

    key = models.CharField(max_length=64, unique=True)
    location = models.CharField(max_length=500, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Submission at {self.submitted_at:%Y-%m-%d %H:%M}"


class CacheEntry(models.Model):
    """Django's database cache table (core/cache.py), made by `migrate`: the
    rate limits and bulk-read counts every worker and server shares."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "onestory_cache"

    def __str__(self) -> str:
        return self.cache_key


class DownloadStatus(models.TextChoices):
    WAITING = "waiting", "Waiting to start"
    BUILDING = "building", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be prepared"


class Download(models.Model):
    """A download too large to make while the page waits (core/downloads.py):
    made by the background worker for the member of staff who asked, kept for
    a day, fetched by them alone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The tenant (row-level security on PostgreSQL): the owner's area.
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40)
    file_format = models.CharField(max_length=4)
    # What was asked for, as the form's data: validated again when it is made.
    params = models.JSONField(default=dict, blank=True)
    filename = models.CharField(max_length=120)
    status = models.CharField(
        max_length=10, choices=DownloadStatus.choices, default=DownloadStatus.WAITING
    )
    # Each attempt to make it counts up; only the latest attempt's parts are
    # read, so an attempt left behind by a stopped worker can never mix in.
    attempt = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    asked_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-asked_at"], name="downloads_of")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:download", args=[self.pk])


class DownloadPart(models.Model):
    """A piece of a prepared file, in order: a file is kept in the database,
    under its tenant, so every application server can serve it."""

    download = models.ForeignKey(Download, on_delete=models.CASCADE, related_name="+")
    attempt = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["download", "attempt", "number"], name="one_part_each"
            )
        ]

    def __str__(self) -> str:
        return f"Part {self.number} of {self.download_id}"
