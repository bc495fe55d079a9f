from django.urls import path

from jineng.labour_market.web import views

app_name = "shortage"

urlpatterns = [
    path("", views.public_catalog, name="catalog"),
    path("wages/", views.public_wages, name="wages"),
]
