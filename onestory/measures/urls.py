from django.urls import path

from onestory.measures import link_views, programme_views, views

app_name = "measures"
family = "families/<uuid:family_id>/"
urlpatterns = [
    path(
        f"{family}questionnaires/",
        views.choose_questionnaire,
        name="choose_questionnaire",
    ),
    path(
        f"{family}people/<uuid:person_id>/questionnaires/<str:code>/",
        views.record_questionnaire,
        name="record_questionnaire",
    ),
    path(
        f"{family}questionnaires/<uuid:response_id>/",
        views.show_questionnaire,
        name="show_questionnaire",
    ),
    path(
        f"{family}questionnaires/<uuid:response_id>/amend/",
        views.amend_questionnaire,
        name="amend_questionnaire",
    ),
    path(
        f"{family}questionnaires/<uuid:response_id>/risk-action/",
        views.record_risk_action,
        name="record_risk_action",
    ),
    path(
        f"{family}questionnaires/<uuid:response_id>/reviewed/",
        views.mark_questionnaire_reviewed,
        name="mark_questionnaire_reviewed",
    ),
    path(
        f"{family}interventions/new/",
        programme_views.start_intervention,
        name="start_intervention",
    ),
    path(
        f"{family}people/<uuid:person_id>/progress/<str:code>/",
        views.show_progress,
        name="show_progress",
    ),
    path(
        f"{family}progress-sheet/",
        views.print_progress_sheet,
        name="print_progress_sheet",
    ),
    path(
        f"{family}questionnaires/send/",
        link_views.send_questionnaire_link,
        name="send_questionnaire_link",
    ),
    path(
        f"{family}programmes/<uuid:enrolment_id>/",
        programme_views.update_enrolment,
        name="update_enrolment",
    ),
    path("q/done/", link_views.questionnaire_done, name="questionnaire_done"),
    # The area the answered link came from, for its name and contact.
    path(
        "q/done/<uuid:local_authority_id>/",
        link_views.questionnaire_done,
        name="questionnaire_done",
    ),
    path(
        "q/<str:token>/",
        link_views.complete_questionnaire,
        name="complete_questionnaire",
    ),
]
