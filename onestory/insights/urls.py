from django.urls import path

from onestory.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.service_report, name="service_report"),
    path("print/", views.print_report, name="print_report"),
    path("download.<str:file_format>", views.export_report, name="export_report"),
    path("learning/", views.learning_log, name="learning_log"),
    path("learning/add/", views.record_learning, name="record_learning"),
]
