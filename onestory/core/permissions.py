"""Every view declares who may call it; the URL walker test refuses one that doesn't.

Role checks answer 403; object scope (which family) is the access scope's job and
answers 404. Each declaration also gives the view its transaction: one for a
write, none for a read (core/transactions.py).
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

from onestory.core.transactions import per_request

PUBLIC = "public"
SIGNED_IN = "signed in"
# A parent or carer signed in to their family's own view (onestory/parents):
# no staff sign-in, and a staff sign-in does not count.
FAMILY_MEMBER = "family member"


def public(view):
    """Open to anyone, signed in or not."""
    view = per_request(login_not_required(view))
    view.onestory_permission = PUBLIC
    return view


def for_family_members(view):
    """Open to no staff: the family's own view checks its own session (its
    own cookie, onestory/parents/pages.py) in the view's decorator."""
    view = per_request(login_not_required(view))
    view.onestory_permission = FAMILY_MEMBER
    return view


def signed_in(view):
    """Any signed-in member of staff."""
    view = per_request(view)
    view.onestory_permission = SIGNED_IN
    return view


def roles_required(*roles):
    """Signed-in staff holding at least one of `roles`; others get 403."""
    allowed = frozenset(roles)

    def decorator(view):
        @per_request
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed & request.user.roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.onestory_permission = allowed
        return wrapped

    return decorator
