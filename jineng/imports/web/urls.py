from django.urls import path

from jineng.imports.web import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:import_id>/", views.detail, name="detail"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
]
