"""The platform's URLs plus two bench-only views served by the same Django, middleware and server:

- ``/bench/hello`` — a minimal JSON view, the baseline of the verification benchmark;
- ``/bench/verify-unlimited`` — the verification lookup without the per-address rate counter, to tell the lookup's
  cost from the counter's in the profile (bench/README.md).

Only the benchmark's own server uses this URLconf (``bench.server_settings``).
"""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def verify_unlimited(request: HttpRequest) -> JsonResponse:
    from jineng.certificates.selectors import certificate_verify_public

    result = certificate_verify_public(request.GET.get("number", ""), request.GET.get("name", ""))
    return JsonResponse(result, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/hello", hello),
    path("bench/verify-unlimited", verify_unlimited),
    path("", include("config.urls")),
]
