from django.urls import path, re_path

from jineng.portal.web import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("bases/", views.bases, name="bases"),
    path("standards/", views.standards, name="standards"),
    path("standards/<str:pk>/", views.standard, name="standard"),
    path("statistics/", views.statistics, name="statistics"),
    path("data/", views.data_page, name="data"),
    path("data/catalog.schema.json", views.catalog_schema, name="catalog_schema"),
    re_path(r"^data/(?P<identifier>[a-z0-9-]{1,60})\.(?P<fmt>csv|xlsx|json)$", views.download, name="download"),
]
