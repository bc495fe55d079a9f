"""Public URLs at the site root: /verify, /verify/credential and /.well-known/jwks.json."""

from django.urls import path

from jineng.certificates.web import public_views

app_name = "verify"

urlpatterns = [
    path("verify", public_views.verify, name="verify"),
    path("verify/credential", public_views.verify_credential, name="credential"),
    path(".well-known/jwks.json", public_views.jwks, name="jwks"),
]
