from django.urls import path

from jineng.credits.web import views

app_name = "credits"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("mine/transcript/", views.my_transcript, name="transcript"),
    path("rules/", views.rule_list, name="rules"),
    path("verify/", views.transcript_verify, name="verify"),
    path("persons/<uuid:person_id>/", views.person_detail, name="person"),
    path("persons/<uuid:person_id>/derive/", views.person_derive, name="derive"),
    path("persons/<uuid:person_id>/convert/", views.person_convert, name="convert"),
    path("conversions/", views.conversion_list, name="conversions"),
    path("conversions/<uuid:conversion_id>/", views.conversion_detail, name="conversion"),
    path("conversions/<uuid:conversion_id>/<slug:decision>/", views.conversion_decide, name="conversion_decide"),
    path("recognitions/", views.recognition_list, name="recognitions"),
    path("recognitions/new/", views.recognition_new, name="recognition_new"),
    path("recognitions/<uuid:recognition_id>/", views.recognition_detail, name="recognition"),
    path("recognitions/<uuid:recognition_id>/<slug:decision>/", views.recognition_decide, name="recognition_decide"),
]
