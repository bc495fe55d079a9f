from django.urls import path

from jineng.complaints.web import views

app_name = "complaints_public"

urlpatterns = [
    path("new/", views.public_new, name="new"),
    path("status/", views.public_status, name="status"),
    path("reopen/", views.public_reopen, name="reopen"),
    path("suggest/objects/", views.public_objects, name="objects"),
    path("suggest/regions/", views.public_regions, name="regions"),
]
