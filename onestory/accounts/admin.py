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


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "local_authority"]
    list_filter = ["kind", "local_authority"]
    search_fields = ["name"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "postcode"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "hub"]
    list_filter = ["organisation", "hub"]
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
class StaffUserAdmin(admin.ModelAdmin):
    form = StaffUserForm
    inlines = [RoleGrantInline, AuthenticatorInline]
    list_display = ["full_name", "email", "organisation", "is_active"]
    list_filter = ["organisation", "is_active", "role_grants__role"]
    search_fields = ["full_name", "email"]
    filter_horizontal = ["teams"]
    actions = ["unlock_sign_in"]

    @admin.action(description="Let them sign in again now (after too many failures)")
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            services.unlock_sign_in(user=user, by=request.user)
        self.message_user(request, f"Unlocked sign-in for {queryset.count()}.")
