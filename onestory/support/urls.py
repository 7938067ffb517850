from django.urls import path

from onestory.support import triage_views, views

app_name = "support"
family = "families/<uuid:family_id>/"
urlpatterns = [
    path(f"{family}level/", views.change_level, name="change_level"),
    path(f"{family}lead/", views.transfer_lead, name="transfer_lead"),
    path(f"{family}team/add/", views.add_to_team, name="add_to_team"),
    path(f"{family}team/join/", views.join_team, name="join_team"),
    path(f"{family}contacts/new/", views.record_contact, name="record_contact"),
    path(f"{family}contacts/arrange/", views.arrange_contact, name="arrange_contact"),
    path(
        f"{family}contacts/arranged/<uuid:arranged_id>/cancel/",
        views.cancel_arranged_contact,
        name="cancel_arranged_contact",
    ),
    path(f"{family}close/", views.close_episode, name="close_episode"),
    path(
        f"{family}consultations/new/", views.ask_consultation, name="ask_consultation"
    ),
    path(
        f"{family}consultations/<uuid:consultation_id>/",
        views.show_consultation,
        name="show_consultation",
    ),
    path("consultations/", views.consultation_inbox, name="consultation_inbox"),
    path(f"{family}plan/", views.show_plan, name="show_plan"),
    path(f"{family}plan/print/", views.print_plan, name="print_plan"),
    path(f"{family}plan/save/", views.update_plan, name="update_plan"),
    path(f"{family}plan/goals/", views.add_goal, name="add_goal"),
    path(f"{family}plan/actions/", views.add_plan_action, name="add_plan_action"),
    path(
        f"{family}plan/actions/<int:action_id>/done/",
        views.mark_action_done,
        name="mark_action_done",
    ),
    path(f"{family}requests/new/", triage_views.make_request, name="make_request"),
    path(
        f"{family}requests/<uuid:request_id>/",
        triage_views.show_request,
        name="show_request",
    ),
    path("triage/", triage_views.triage_home, name="triage_home"),
    path(
        "triage/meetings/new/",
        triage_views.schedule_meeting,
        name="schedule_meeting",
    ),
    path(
        "triage/meetings/<uuid:meeting_id>/",
        triage_views.show_meeting,
        name="show_meeting",
    ),
    path(
        "triage/meetings/<uuid:meeting_id>/print/",
        triage_views.print_meeting,
        name="print_meeting",
    ),
    path(
        "triage/meetings/<uuid:meeting_id>/families/<uuid:family_id>/",
        triage_views.decide,
        name="decide",
    ),
]
