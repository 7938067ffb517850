from django.urls import path

from onestory.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path(
        "accessibility/", views.accessibility_statement, name="accessibility_statement"
    ),
]
