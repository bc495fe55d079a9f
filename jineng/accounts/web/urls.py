from django.urls import path

from jineng.accounts.web import oidc_views

app_name = "accounts"

urlpatterns = [
    path("start", oidc_views.oidc_start, name="oidc_start"),
    path("callback", oidc_views.oidc_callback, name="oidc_callback"),
]
