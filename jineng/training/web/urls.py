from django.urls import path

from jineng.training.web import views

app_name = "training"

urlpatterns = [
    path("classes/", views.class_list, name="classes"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<uuid:class_id>/", views.class_detail, name="class_detail"),
    path("classes/<uuid:class_id>/attendance/", views.class_attendance, name="class_attendance"),
    path("classes/<uuid:class_id>/submit/", views.class_submit, name="class_submit"),
    path("classes/<uuid:class_id>/review/", views.class_review, name="class_review"),
    path("classes/<uuid:class_id>/start/", views.class_start, name="class_start"),
    path("classes/<uuid:class_id>/cancel/", views.class_cancel, name="class_cancel"),
    path("classes/<uuid:class_id>/complete/", views.class_complete, name="class_complete"),
    path("review/", views.review_queue, name="review_queue"),
    path("mine/", views.mine, name="mine"),
]
