from django.urls import path

from jineng.learning.web import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/<uuid:account_id>/", views.account_detail, name="account"),
    path("credentials/new/", views.credential_create, name="credential_create"),
    path("credentials/<uuid:credential_id>/rotate/", views.credential_rotate, name="credential_rotate"),
    path("credentials/<uuid:credential_id>/revoke/", views.credential_revoke, name="credential_revoke"),
    path("sync/", views.sync, name="sync"),
    path("resources/", views.resources, name="resources"),
    path("resources/<uuid:resource_id>/rate/", views.resource_rate, name="resource_rate"),
]
