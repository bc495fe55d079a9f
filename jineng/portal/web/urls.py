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
    path("data/publish/", views.data_publish, name="data_publish"),
    path("data/catalog.schema.json", views.catalog_schema, name="catalog_schema"),
    re_path(r"^data/(?P<identifier>[a-z0-9-]{1,60})\.(?P<fmt>csv|xlsx|json)$", views.download, name="download"),
    re_path(r"^data/(?P<identifier>[a-z0-9-]{1,60})/$", views.dataset_page, name="dataset"),
    re_path(
        r"^data/(?P<identifier>[a-z0-9-]{1,60})/v(?P<number>[0-9]{1,9})\.(?P<fmt>csv|xlsx|json)$",
        views.version_download,
        name="version_download",
    ),
]
