from django.urls import path

from jineng.credits.web import views

app_name = "credits"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("mine/transcript/", views.my_transcript, name="transcript"),
    path("mine/transcript.pdf", views.my_transcript_pdf, name="transcript_pdf"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rules_new, name="rules_new"),
    path("rules/<uuid:rule_set_id>/", views.rules_draft, name="rules_draft"),
    path("rules/<uuid:rule_set_id>/<slug:decision>/", views.rules_decide, name="rules_decide"),
    path("issuers/", views.issuer_list, name="issuers"),
    path("issuers/<uuid:issuer_id>/deactivate/", views.issuer_deactivate, name="issuer_deactivate"),
    path("imports/", views.import_list, name="imports"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<uuid:import_id>/", views.import_detail, name="import"),
    path("verify/", views.transcript_verify, name="verify"),
    path("persons/<uuid:person_id>/", views.person_detail, name="person"),
    path("persons/<uuid:person_id>/derive/", views.person_derive, name="derive"),
    path("persons/<uuid:person_id>/convert/", views.person_convert, name="convert"),
    path("conversions/", views.conversion_list, name="conversions"),
    path("conversions/<uuid:conversion_id>/", views.conversion_detail, name="conversion"),
    path("conversions/<uuid:conversion_id>/consent/<slug:decision>/", views.conversion_consent, name="consent"),
    path("conversions/<uuid:conversion_id>/<slug:decision>/", views.conversion_decide, name="conversion_decide"),
    path("recognitions/", views.recognition_list, name="recognitions"),
    path("recognitions/new/", views.recognition_new, name="recognition_new"),
    path("recognitions/<uuid:recognition_id>/", views.recognition_detail, name="recognition"),
    path("recognitions/<uuid:recognition_id>/<slug:decision>/", views.recognition_decide, name="recognition_decide"),
]
