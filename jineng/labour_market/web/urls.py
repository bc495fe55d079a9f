from django.urls import path

from jineng.labour_market.web import views

app_name = "labour"

urlpatterns = [
    path("", views.demand, name="demand"),
    path("wages/", views.wages, name="wages"),
    path("wages.xlsx", views.wages_export, name="wages_export"),
    path("catalogs/", views.catalogs, name="catalogs"),
    path("catalogs/<uuid:catalog_id>/", views.catalog, name="catalog"),
]
