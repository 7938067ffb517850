from django.urls import path

from onestory.notify import views

app_name = "notify"
urlpatterns = [
    path("receipts/", views.delivery_receipt, name="delivery_receipt"),
]
