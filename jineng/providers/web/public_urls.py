from django.urls import path

from jineng.providers.web import views

app_name = "catalog"

urlpatterns = [
    path("providers/", views.public_providers_page, name="providers"),
    path("providers/<uuid:listing_id>/", views.public_provider_page, name="provider"),
    path("programs/", views.public_programs_page, name="programs"),
    path("evaluators/", views.public_evaluators_page, name="evaluators"),
]
