from django.urls import path

from onestory.families import emergency_views, record_views, rights_views, views

app_name = "families"
urlpatterns = [
    path("", views.my_caseload, name="my_caseload"),
    path(
        "caseload.<str:file_format>",
        views.export_caseload,
        name="export_caseload",
    ),
    path("search/", views.search_families, name="search_families"),
    path("add/", views.add_family, name="add_family"),
    path(
        "emergency-access/", emergency_views.emergency_access, name="emergency_access"
    ),
    path("subject-access/", rights_views.subject_access, name="subject_access"),
    path(
        "emergency-access/reviews/",
        emergency_views.emergency_access_reviews,
        name="emergency_access_reviews",
    ),
    path(
        "emergency-access/reviews/<uuid:grant_id>/",
        emergency_views.review_emergency_access,
        name="review_emergency_access",
    ),
    path("<uuid:family_id>/", record_views.family_record, name="family_record"),
    path(
        "<uuid:family_id>/record/members/",
        record_views.family_members,
        name="family_members",
    ),
    path(
        "<uuid:family_id>/record/story/",
        record_views.family_story,
        name="family_story",
    ),
    path(
        "<uuid:family_id>/record/consent/",
        record_views.family_consent,
        name="family_consent",
    ),
    path(
        "<uuid:family_id>/record/support/",
        record_views.family_support,
        name="family_support",
    ),
    path(
        "<uuid:family_id>/record/questionnaires/",
        record_views.family_questionnaires,
        name="family_questionnaires",
    ),
    path(
        "<uuid:family_id>/record/courses/",
        record_views.family_courses,
        name="family_courses",
    ),
    path(
        "<uuid:family_id>/record/timeline/",
        record_views.family_timeline,
        name="family_timeline",
    ),
    path("<uuid:family_id>/story/", views.edit_story, name="edit_story"),
    path("<uuid:family_id>/members/add/", views.add_member, name="add_member"),
    path(
        "<uuid:family_id>/members/<uuid:person_id>/correct/",
        rights_views.correct_person,
        name="correct_person",
    ),
    path("<uuid:family_id>/consent/", views.record_consent, name="record_consent"),
    path(
        "<uuid:family_id>/consent/<uuid:consent_id>/withdraw/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    path("<uuid:family_id>/access/", views.family_access_log, name="family_access_log"),
]
