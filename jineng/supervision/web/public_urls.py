from django.urls import path

from jineng.supervision.web import views

app_name = "supervision_public"

urlpatterns = [
    path("", views.public_blacklist, name="blacklist"),
]
