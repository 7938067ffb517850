from django import forms
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password

from onestory.accounts import services
from onestory.accounts.models import (
    Authenticator,
    Hub,
    LocalAuthority,
    Organisation,
    RoleGrant,
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


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(InLocalAuthority, admin.ModelAdmin):
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
class OrganisationAdmin(InLocalAuthority, admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Hub)
class HubAdmin(InLocalAuthority, admin.ModelAdmin):
    area = "organisation__local_authority"
    list_display = ["name", "organisation", "postcode"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(InLocalAuthority, admin.ModelAdmin):
    area = "organisation__local_authority"
    list_display = ["name", "organisation", "hub"]
    list_filter = [
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("hub", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


class StaffUserForm(forms.ModelForm):
    new_password = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Needed for a new user. Leave blank to keep the current password.",
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "organisation", "teams", "is_active"]

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        if not password and self.instance._state.adding:
            raise forms.ValidationError("Enter a password for the new user")
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data["new_password"]:
            user.set_password(self.cleaned_data["new_password"])
        if commit:
            user.save()
            self.save_m2m()
        return user


class AuthenticatorInline(admin.TabularInline):
    """Deleting it resets two-factor sign-in: the user sets up an app again at
    their next sign-in. The key itself is never shown."""

    model = Authenticator
    fields = ["confirmed_at"]
    readonly_fields = ["confirmed_at"]
    extra = 0
    max_num = 1
    verbose_name = "two-factor sign-in (delete to reset)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class StaffUserAdmin(InLocalAuthority, admin.ModelAdmin):
    area = "organisation__local_authority"
    form = StaffUserForm
    inlines = [RoleGrantInline, AuthenticatorInline]
    list_display = ["full_name", "email", "organisation", "is_active"]
    list_filter = [
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "role_grants__role",
    ]
    search_fields = ["full_name", "email"]
    filter_horizontal = ["teams"]
    actions = ["unlock_sign_in"]

    @admin.action(description="Let them sign in again now (after too many failures)")
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            services.unlock_sign_in(user=user, by=request.user)
        self.message_user(request, f"Unlocked sign-in for {queryset.count()}.")
