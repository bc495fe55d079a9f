from django.urls import path

from jineng.registry.web import corrections, views

app_name = "registry"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("me/", views.my_archive, name="my_archive"),
    path("me/corrections/", corrections.my_corrections, name="my_corrections"),
    path("corrections/", corrections.corrections, name="corrections"),
    path("corrections/<uuid:correction_id>/answer/", corrections.correction_answer_view, name="correction_answer"),
    path("new/", views.person_new, name="person_new"),
    path("find/", views.person_find, name="person_find"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("<uuid:person_id>/merge/", views.merge, name="merge"),
    path("<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("<uuid:person_id>/reveal/", views.person_reveal_page, name="person_reveal"),
]
