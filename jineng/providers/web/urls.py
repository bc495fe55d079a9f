from django.urls import path

from jineng.providers.web import views

app_name = "providers"

urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review, name="review"),
    path("register/", views.register, name="register"),
    path("templates/", views.import_templates, name="templates"),
    path("<uuid:profile_id>/", views.provider_detail, name="detail"),
    path("<uuid:profile_id>/edit/", views.provider_edit, name="edit"),
    path("<uuid:profile_id>/licence/", views.licence_edit, name="licence"),
    path("<uuid:profile_id>/apply/", views.application_new, name="apply"),
    path("<uuid:profile_id>/staff/", views.staff, name="staff"),
    path("applications/<uuid:app_id>/", views.application_detail, name="application"),
    path("listings/<uuid:listing_id>/decide/", views.listing_decide, name="listing_decide"),
    path("programs/", views.program_list, name="programs"),
    path("programs/mine/", views.my_programs, name="my_programs"),
    path("programs/new/", views.program_new, name="program_new"),
    path("programs/<uuid:program_id>/", views.program_detail, name="program"),
    path("teachers/", views.teacher_list, name="teachers"),
    path("teachers/new/", views.teacher_new, name="teacher_new"),
    path("teachers/<uuid:role_id>/", views.teacher_detail, name="teacher"),
    path("bases/", views.base_list, name="bases"),
    path("bases/new/", views.base_new, name="base_new"),
    path("brands/", views.brand_list, name="brands"),
    path("brands/new/", views.brand_new, name="brand_new"),
    path("standards/", views.standard_list, name="standards"),
    path("standards/new/", views.standard_new, name="standard_new"),
]
