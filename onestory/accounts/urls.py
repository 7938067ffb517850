from django.urls import path

from onestory.accounts import area_views, link_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.second_factor, name="second_factor"),
    path("sign-in/set-up/", views.set_up_second_factor, name="set_up_second_factor"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("account/", views.your_account, name="your_account"),
    path("account/password/", views.change_password, name="change_password"),
    path("account/stay-signed-in/", views.stay_signed_in, name="stay_signed_in"),
    path("account/set-up/<str:token>/", link_views.set_up_link, name="set_up_link"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path(
        "administration/what-families-see/",
        area_views.change_what_families_see,
        name="change_what_families_see",
    ),
]
