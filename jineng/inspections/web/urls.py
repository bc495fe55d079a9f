from django.urls import path

from jineng.inspections.web import views

app_name = "inspections"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("tasks/<uuid:task_id>/", views.task_detail, name="task"),
    path("tasks/<uuid:task_id>/act/", views.task_act, name="task_act"),
    path("tasks/<uuid:task_id>/callback/", views.callback_act, name="callback_act"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("findings/<uuid:finding_id>/act/", views.finding_act, name="finding_act"),
    path("draws/", views.draw_list, name="draws"),
    path("draws/<uuid:draw_id>/", views.draw_detail, name="draw"),
    path("objects/", views.object_list, name="objects"),
    path("pool/", views.pool_list, name="pool"),
]
