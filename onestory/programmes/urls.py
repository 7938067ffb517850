from django.urls import path

from onestory.programmes import views

app_name = "programmes"
urlpatterns = [
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.run_course, name="run_course"),
    path("courses/<uuid:course_id>/", views.show_course, name="show_course"),
    path(
        "courses/<uuid:course_id>/sessions/<int:number>/register/",
        views.take_register,
        name="take_register",
    ),
    path(
        "courses/<uuid:course_id>/places/<uuid:place_id>/leave/",
        views.leave_course,
        name="leave_course",
    ),
    path(
        "families/<uuid:family_id>/courses/book/", views.book_place, name="book_place"
    ),
    # One link per local authority: a family sees only its own area's hubs.
    path(
        "feedback/<uuid:local_authority_id>/",
        views.give_feedback,
        name="give_feedback",
    ),
    path("feedback/thanks/", views.feedback_thanks, name="feedback_thanks"),
    path(
        "feedback/<uuid:local_authority_id>/thanks/",
        views.feedback_thanks,
        name="feedback_thanks",
    ),
    path("feedback/record/", views.record_feedback, name="record_feedback"),
    path("feedback/quotes/", views.quotes, name="quotes"),
    path("feedback/quotes/check/", views.check_quotes, name="check_quotes"),
]
