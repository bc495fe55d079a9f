from django.urls import path

from jineng.complaints.web import views

app_name = "complaints"

urlpatterns = [
    path("", views.handler_list, name="list"),
    path("<uuid:complaint_id>/", views.handler_detail, name="detail"),
    path("<uuid:complaint_id>/reveal/", views.handler_reveal, name="reveal"),
    path("<uuid:complaint_id>/<slug:action>/", views.handler_action, name="action"),
]
