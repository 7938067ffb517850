from django.urls import path

from onestory.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path(
        "accessibility/", views.accessibility_statement, name="accessibility_statement"
    ),
]
