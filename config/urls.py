"""URL configuration: the API under /api/v1/, the UI shell, health, admin."""

from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api
from jineng.learning.rest import xapi
from jineng.portal.web import views as portal_views
from jineng.web import views as web_views

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^xapi/(?P<resource>.*)$", xapi.endpoint, name="xapi"),
    path("healthz", web_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("auth/oidc/", include("jineng.accounts.web.urls")),
    path("public/employment/", include("jineng.training.web.public_urls")),
    path("public/blacklist/", include("jineng.supervision.web.public_urls")),
    path("data.json", portal_views.data_catalog, name="data_catalog"),
    path("favicon.ico", portal_views.favicon, name="favicon"),
    path("public/", include("jineng.portal.web.urls")),
    path("public/complaints/", include("jineng.complaints.web.public_urls")),
    path("public/", include("jineng.refdata.web.urls")),
    path("persons/", include("jineng.registry.web.urls")),
    path("imports/", include("jineng.imports.web.urls")),
    path("providers/", include("jineng.providers.web.urls")),
    path("training/", include("jineng.training.web.urls")),
    path("learning/", include("jineng.learning.web.urls")),
    path("catalog/", include("jineng.providers.web.public_urls")),
    path("competitions/", include("jineng.competitions.web.urls")),
    path("credits/", include("jineng.credits.web.urls")),
    path("public/competitions/", include("jineng.competitions.web.public_urls")),
    path("indicators/", include("jineng.indicators.web.urls")),
    path("supervision/", include("jineng.supervision.web.urls")),
    path("inspections/", include("jineng.inspections.web.urls")),
    path("public/inspections/", include("jineng.inspections.web.public_urls")),
    path("complaints/", include("jineng.complaints.web.urls")),
    path("labour/", include("jineng.labour_market.web.urls")),
    path("shortage/", include("jineng.labour_market.web.public_urls")),
    path("subsidies/", include("jineng.subsidies.web.urls")),
    path("publicity/", include("jineng.subsidies.web.public_urls")),
    path("", include("jineng.certificates.web.urls")),
    path("", include("jineng.certificates.web.public_urls")),
    path("", include("jineng.web.urls")),
]

handler404 = "jineng.web.views.not_found"
handler500 = "jineng.web.views.server_error"
