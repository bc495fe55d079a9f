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
]
