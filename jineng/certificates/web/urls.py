"""Signed-in pages: certificates under /certificates/, evaluation (sessions, supervision, filings) under
/evaluation/."""

from django.urls import path

from jineng.certificates.web import views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.certificate_list, name="list"),
    path("certificates/mine/", views.my_certificates, name="mine"),
    path("certificates/<str:number>/", views.certificate_detail, name="detail"),
    path("certificates/<str:number>/revoke/", views.certificate_revoke, name="revoke"),
    path("certificates/<str:number>/correct/", views.certificate_correct, name="correct"),
    path("evaluation/sessions/", views.session_list, name="sessions"),
    path("evaluation/sessions/new/", views.session_new, name="session_new"),
    path("evaluation/sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("evaluation/sessions/<uuid:session_id>/examiners/", views.session_examiner_add, name="session_examiner_add"),
    path(
        "evaluation/sessions/<uuid:session_id>/candidates/", views.session_candidate_add, name="session_candidate_add"
    ),
    path(
        "evaluation/sessions/<uuid:session_id>/from-class/",
        views.session_candidates_from_class,
        name="session_from_class",
    ),
    path("evaluation/sessions/<uuid:session_id>/results/", views.session_result, name="session_result"),
    path("evaluation/sessions/<uuid:session_id>/close/", views.session_close, name="session_close"),
    path("evaluation/sessions/<uuid:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path(
        "evaluation/sessions/<uuid:session_id>/roster-reopen/",
        views.session_roster_reopen,
        name="session_roster_reopen",
    ),
    path("evaluation/sessions/<uuid:session_id>/issue/", views.session_issue, name="session_issue"),
    path("evaluation/supervision/", views.supervision, name="supervision"),
    path("evaluation/filings/", views.filing_list, name="filings"),
    path("evaluation/filings/<uuid:filing_id>/revoke/", views.filing_revoke, name="filing_revoke"),
]
