from django.urls import path

from onestory.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incidents, name="incidents"),
    path("declare/", views.declare, name="declare"),
    path("<uuid:incident_id>/", views.incident, name="incident"),
    path("<uuid:incident_id>/families/", views.families, name="families"),
    path("<uuid:incident_id>/families.csv", views.export_families, name="export"),
    path("<uuid:incident_id>/families/print/", views.print_families, name="print"),
    path("<uuid:incident_id>/my-checks/", views.my_checks, name="my_checks"),
    path(
        "<uuid:incident_id>/checks/<uuid:check_id>/",
        views.welfare_check,
        name="welfare_check",
    ),
    path("<uuid:incident_id>/areas/add/", views.add_area, name="add_area"),
    path("<uuid:incident_id>/areas/<uuid:area_id>/widen/", views.widen, name="widen"),
    path("<uuid:incident_id>/staff/", views.staff, name="staff"),
    path("<uuid:incident_id>/rest-centres/", views.rest_centres, name="rest_centres"),
    path(
        "<uuid:incident_id>/rest-centres/<uuid:centre_id>/check-in/",
        views.check_in,
        name="check_in",
    ),
    path("<uuid:incident_id>/stand-down/", views.stand_down, name="stand_down"),
    path("<uuid:incident_id>/report/", views.report, name="report"),
]
