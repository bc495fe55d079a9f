from django.urls import path

from jineng.training.web import apprenticeship_views as appr
from jineng.training.web import joins, projects, views

app_name = "training"

urlpatterns = [
    path("classes/", views.class_list, name="classes"),
    path("enrollments/", views.enrollment_list, name="enrollments"),
    path("classes/new/", views.class_new, name="class_new"),
    path("classes/<uuid:class_id>/", views.class_detail, name="class_detail"),
    path("classes/<uuid:class_id>/attendance/", views.class_attendance, name="class_attendance"),
    path("classes/<uuid:class_id>/roll-call/", views.roll_call, name="roll_call"),
    path("classes/<uuid:class_id>/enrollments/new/", views.enrollment_new, name="enrollment_new"),
    path("classes/<uuid:class_id>/submit/", views.class_submit, name="class_submit"),
    path("classes/<uuid:class_id>/review/", views.class_review, name="class_review"),
    path("classes/<uuid:class_id>/start/", views.class_start, name="class_start"),
    path("classes/<uuid:class_id>/cancel/", views.class_cancel, name="class_cancel"),
    path("classes/<uuid:class_id>/complete/", views.class_complete, name="class_complete"),
    path("classes/<uuid:class_id>/evidence/", views.class_evidence_upload, name="class_evidence"),
    path("enrollments/<uuid:enrollment_id>/dropout/", views.enrollment_dropout, name="enrollment_dropout"),
    path("enrollments/<uuid:enrollment_id>/postponement/", views.enrollment_postpone, name="enrollment_postpone"),
    path("enrollments/<uuid:enrollment_id>/transfer/", views.enrollment_transfer, name="enrollment_transfer"),
    path("review/", views.review_queue, name="review_queue"),
    path("mine/", views.mine, name="mine"),
    path("find/", joins.find, name="find"),
    path("find/<uuid:class_id>/", joins.join, name="join"),
    path("join-requests/", joins.requests, name="join_requests"),
    path("join-requests/<uuid:request_id>/withdraw/", joins.withdraw, name="join_withdraw"),
    path("join-requests/<uuid:request_id>/<slug:action>/", joins.decide, name="join_decide"),
    path("apprenticeships/", appr.apprenticeship_list, name="apprenticeships"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<uuid:project_id>/", projects.project_detail, name="project"),
    path("projects/<uuid:project_id>/<slug:action>/", projects.project_action, name="project_action"),
    path("apprenticeships/new/", appr.apprenticeship_new, name="apprenticeship_new"),
    path("apprenticeships/<uuid:plan_id>/", appr.apprenticeship_detail, name="apprenticeship_detail"),
    path("apprenticeships/<uuid:plan_id>/apprentices/", appr.apprentice_add, name="apprentice_add"),
    path("apprenticeships/<uuid:plan_id>/progress/", appr.apprentice_progress, name="apprentice_progress"),
    path("apprenticeships/<uuid:plan_id>/evaluation/", appr.apprentice_evaluate, name="apprentice_evaluate"),
    path(
        "apprenticeships/<uuid:plan_id>/apprentices/<uuid:apprentice_id>/termination/",
        appr.apprentice_terminate,
        name="apprentice_terminate",
    ),
]
