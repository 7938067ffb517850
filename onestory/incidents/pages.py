"""The one way to declare a page of a major incident (docs/incidents.md).

Anyone signed in may ask; the incident is found through `queries.incidents_of`
(404 for an incident of another area or not theirs). Pages with families'
details are for those who respond to the incident (an emergency lead of its
area, or its assigned staff) and, for one welfare check, whoever it is
assigned to; once the incident is stood down they show nothing of any family.
"""

from functools import wraps

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from onestory.core.permissions import signed_in
from onestory.incidents import queries


def incident_view(*methods: str, responders=True, families=True):
    """`responders`: only those who respond to the whole incident (404 to
    others). `families`: the page shows families' details, so it is refused
    once the incident is stood down (the stood-down page, 410)."""

    def decorator(view):
        @signed_in
        @require_http_methods(list(methods))
        @wraps(view)
        def wrapped(request, incident_id, *args, **kwargs):
            incident = queries.get_incident(request.user, incident_id)
            if responders and not queries.responds_to(request.user, incident):
                raise Http404("No such incident")
            if families and not incident.is_open:
                return render(
                    request,
                    "incidents/stood_down.html",
                    {"incident": incident},
                    status=410,
                )
            return view(request, incident, *args, **kwargs)

        return wrapped

    return decorator


def render_incident(request, incident, template, **context):
    return render(
        request,
        template,
        {
            "incident": incident,
            "responds": queries.responds_to(request.user, incident),
            "is_emergency_lead": queries.is_emergency_lead(request.user),
            **context,
        },
    )
