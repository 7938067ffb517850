from django import forms
from django.contrib import admin, messages

from onestory.accounts import administration, services
from onestory.accounts.administration import GRANTABLE_ROLES
from onestory.accounts.models import (
    Authenticator,
    Hub,
    LocalAuthority,
    Organisation,
    Role,
    RoleGrant,
    SetUpLinkKind,
    Team,
    User,
)

# How each administered model reaches its local authority.
AREA_OF = {
    LocalAuthority: "pk",
    Organisation: "local_authority",
    Hub: "organisation__local_authority",
    Team: "organisation__local_authority",
    User: "organisation__local_authority",
}


def in_area(queryset, request):
    """Only what belongs to the administrator's own local authority."""
    lookup = AREA_OF.get(queryset.model)
    if lookup is None:
        return queryset
    return queryset.filter(**{lookup: request.user.organisation.local_authority_id})


class InLocalAuthority:
    """An administrator manages their own local authority: lists, records and the
    choices in every form stop at it (security.md R4)."""

    area = "local_authority"  # the lookup from this admin's model

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{self.area: request.user.organisation.local_authority_id})
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = in_area(field.queryset, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = in_area(field.queryset, request)
        return field


class Audited:
    """Every save and delete through these pages goes through the audited
    services (accounts/administration.py): one transaction with its event."""

    def save_model(self, request, obj, form, change):
        administration.save_reference(
            by=request.user,
            obj=obj,
            changed_fields=form.changed_data,
            adding=not change,
        )

    def delete_model(self, request, obj):
        administration.delete_reference(by=request.user, obj=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            administration.delete_reference(by=request.user, obj=obj)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(Audited, InLocalAuthority, admin.ModelAdmin):
    """Areas are set up for the whole deployment (docs/operations.md); an
    administrator sees and can rename their own."""

    area = "pk"
    list_display = ["name", "code", "eligible_families"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(Audited, InLocalAuthority, admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Hub)
class HubAdmin(Audited, InLocalAuthority, admin.ModelAdmin):
    area = "organisation__local_authority"
    list_display = ["name", "organisation", "postcode"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(Audited, InLocalAuthority, admin.ModelAdmin):
    area = "organisation__local_authority"
    list_display = ["name", "organisation", "hub"]
    list_filter = [
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("hub", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name"]


class StaffUserForm(forms.ModelForm):
    """No password here: an administrator never sets one. A new account gets a
    link to choose it; "Send a new password link" does the same later."""

    roles = forms.MultipleChoiceField(
        choices=[(r.value, r.label) for r in Role if r in GRANTABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    administrator = None  # the signed-in administrator, set by get_form

    class Meta:
        model = User
        fields = ["email", "full_name", "organisation", "teams", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = sorted(
                RoleGrant.objects.filter(
                    user=self.instance, role__in=GRANTABLE_ROLES
                ).values_list("role", flat=True)
            )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        own = self.instance.pk and self.instance.pk == self.administrator.pk
        added = set(roles) - set(self.initial.get("roles", ()))
        if own and added:
            administration.record_refused_grant(
                by=self.administrator, user=self.instance, roles=added
            )
            raise forms.ValidationError(administration.OWN_ROLES_REFUSED)
        return roles


@admin.register(User)
class StaffUserAdmin(InLocalAuthority, admin.ModelAdmin):
    area = "organisation__local_authority"
    form = StaffUserForm
    list_display = ["full_name", "email", "organisation", "is_active"]
    list_filter = [
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "role_grants__role",
    ]
    search_fields = ["full_name", "email"]
    filter_horizontal = ["teams"]
    readonly_fields = ["two_factor", "locked_at"]
    actions = ["send_password_link", "reset_second_factor", "unlock_sign_in"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.administrator = request.user  # a class made for this request
        return form

    def get_fields(self, request, obj=None):
        fields = ["email", "full_name", "organisation", "teams", "roles", "is_active"]
        return [*fields, "two_factor", "locked_at"] if obj else fields

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit trail names its actors

    @admin.display(description="Two-factor sign-in")
    def two_factor(self, obj):
        if Authenticator.objects.filter(user=obj).exists():
            return "Set up"
        return "Not set up: waiting for the user to use their link"

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            administration.change_staff(
                by=request.user,
                user=obj,
                changed_fields=form.changed_data,
                teams=data["teams"],
                roles=data["roles"],
            )
        else:
            administration.add_staff(
                by=request.user, user=obj, teams=data["teams"], roles=data["roles"]
            )

    def save_related(self, request, form, formsets, change):
        pass  # teams and roles were saved, and audited, by the service

    @admin.action(description="Send a new password link (their password stops working)")
    def send_password_link(self, request, queryset):
        for user in queryset:
            administration.send_set_up_link(
                by=request.user, user=user, kind=SetUpLinkKind.PASSWORD
            )
        self.message_user(request, f"Sent a password link to {queryset.count()}.")

    @admin.action(description="Reset two-factor sign-in (they set it up by a link)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            administration.reset_second_factor(by=request.user, user=user)
        self.message_user(
            request,
            f"Reset two-factor sign-in for {queryset.count()}. Each was emailed a "
            "link to set it up again.",
            messages.SUCCESS,
        )

    @admin.action(description="Let them sign in again now (after too many failures)")
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            services.unlock_sign_in(user=user, by=request.user)
        self.message_user(request, f"Unlocked sign-in for {queryset.count()}.")
