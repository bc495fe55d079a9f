from django.urls import path

from jineng.competitions.web import views

app_name = "competitions"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/<uuid:rule_set_id>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<uuid:rule_set_id>/<slug:action>/", views.rule_action, name="rule_action"),
    path("objections/<str:code>/", views.objection_raise, name="objection_raise"),
    path("open/", views.open_list, name="open"),
    path("open/<uuid:event_id>/", views.open_register, name="open_register"),
    path("open/<uuid:event_id>/withdraw/", views.open_withdraw, name="open_withdraw"),
    path("<uuid:event_id>/", views.event_detail, name="detail"),
    path("<uuid:event_id>/<slug:action>/", views.event_action, name="action"),
]
