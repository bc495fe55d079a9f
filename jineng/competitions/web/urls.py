from django.urls import path

from jineng.competitions.web import views

app_name = "competitions"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("rules/", views.rule_list, name="rules"),
    path("open/", views.open_list, name="open"),
    path("open/<uuid:event_id>/", views.open_register, name="open_register"),
    path("<uuid:event_id>/", views.event_detail, name="detail"),
    path("<uuid:event_id>/<slug:action>/", views.event_action, name="action"),
]
