from django.urls import path

from onestory.parents import staff_views, views

app_name = "parents"

FAMILY = "families/<uuid:family_id>/family-view/"

urlpatterns = [
    # A parent's or carer's own pages.
    path("your-family/", views.home, name="home"),
    path("your-family/sign-in/", views.sign_in, name="sign_in"),
    path("your-family/sign-in/sent/", views.link_sent, name="link_sent"),
    path("your-family/sign-in/<str:token>/", views.use_link, name="use_link"),
    path("your-family/sign-out/", views.sign_out, name="sign_out"),
    path("your-family/signed-out/", views.signed_out, name="signed_out"),
    path("your-family/story/", views.our_story, name="our_story"),
    path("your-family/story/suggest/", views.suggest, name="suggest"),
    path("your-family/plan/", views.our_plan, name="our_plan"),
    path(
        "your-family/plan/actions/<int:action_id>/done/",
        views.action_done,
        name="action_done",
    ),
    path("your-family/progress/", views.our_progress, name="our_progress"),
    path("your-family/coming-up/", views.coming_up, name="coming_up"),
    path("your-family/questionnaires/", views.questionnaires, name="questionnaires"),
    path(
        "your-family/questionnaires/<int:point_id>/",
        views.fill_in,
        name="fill_in",
    ),
    path("your-family/who-can-see/", views.who_can_see, name="who_can_see"),
    path(
        "your-family/who-can-see/<uuid:consent_id>/stop/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
    # The staff side, on the family's record.
    path(FAMILY, staff_views.family_view_access, name="family_view_access"),
    path(f"{FAMILY}invite/<uuid:person_id>/", staff_views.invite, name="invite"),
    path(f"{FAMILY}pause/<uuid:person_id>/", staff_views.pause, name="pause"),
    path(f"{FAMILY}resume/<uuid:person_id>/", staff_views.resume, name="resume"),
    path(
        f"{FAMILY}suggestions/<uuid:suggestion_id>/",
        staff_views.decide_suggestion,
        name="decide_suggestion",
    ),
]
