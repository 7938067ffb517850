from django.urls import path

from onestory.core import views

app_name = "core"
urlpatterns = [
    path("", views.start, name="start"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("downloads/", views.my_downloads, name="my_downloads"),
    path("downloads/<uuid:download_id>/", views.download, name="download"),
    path(
        "downloads/<uuid:download_id>/file", views.download_file, name="download_file"
    ),
    path(
        "downloads/<uuid:download_id>/again",
        views.download_again,
        name="download_again",
    ),
    path(
        "accessibility/", views.accessibility_statement, name="accessibility_statement"
    ),
]
