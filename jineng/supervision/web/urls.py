from django.urls import path

from jineng.supervision.web import views

app_name = "supervision"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case"),
    path("cases/<uuid:case_id>/decide/", views.case_decide, name="case_decide"),
    path("risk/", views.risk_list, name="risk"),
    path("rules/", views.rule_list, name="rules"),
    path("scans/", views.scan_list, name="scans"),
    path("cases/<uuid:case_id>/recover/", views.case_recover, name="case_recover"),
    path("sanctions/", views.sanction_list, name="sanctions"),
    path("sanctions/<uuid:sanction_id>/", views.sanction_detail, name="sanction"),
    path("sanctions/<uuid:sanction_id>/lift/", views.sanction_lift, name="sanction_lift"),
    path("sanctions/<uuid:sanction_id>/decision/", views.sanction_decision, name="sanction_decision"),
]
