from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("onestory.core.urls")),
    path("", include("onestory.accounts.urls")),
    path("families/", include("onestory.families.urls")),
    path("", include("onestory.measures.urls")),
    path("", include("onestory.support.urls")),
    path("development/", include("onestory.workforce.urls")),
    path("", include("onestory.programmes.urls")),
    path("insights/", include("onestory.insights.urls")),
    path("notify/", include("onestory.notify.urls")),
    path("", include("onestory.parents.urls")),
    path("incidents/", include("onestory.incidents.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "onestory.core.views.bad_request"
handler403 = "onestory.core.views.permission_denied"
handler404 = "onestory.core.views.page_not_found"
handler500 = "onestory.core.views.server_error"
