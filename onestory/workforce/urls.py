from django.urls import path

from onestory.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.my_development, name="my_development"),
    path("training/add/", views.record_training, name="record_training"),
    path(
        "staff/<uuid:user_id>/training/add/",
        views.record_training,
        name="record_training_for",
    ),
    path("needs/add/", views.record_need, name="record_need"),
    path("needs/<uuid:need_id>/met/", views.meet_need, name="meet_need"),
    path("supervision/add/", views.record_supervision, name="record_supervision"),
    path("supervision/given/", views.supervision_given, name="supervision_given"),
    path(
        "supervision/<uuid:supervision_id>/",
        views.show_supervision,
        name="show_supervision",
    ),
    path("team/", views.team, name="team"),
    path(
        "training/<uuid:record_id>/confirm/",
        views.confirm_training,
        name="confirm_training",
    ),
]
