from django.urls import path

from jineng.indicators.web import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("records/", views.records, name="records"),
    path("export.xlsx", views.export, name="export"),
    path("public/", views.public, name="public"),
]
