"""Public pages (no login): certificate lookup ``/verify``, credential verification ``/verify/credential``, and
the issuer keys at ``/.well-known/jwks.json``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jineng.certificates import credentials, selectors
from jineng.certificates.ratelimit import rate_limit_hit
from jineng.certificates.web.forms import VerifyForm
from jineng.common.middleware import client_address
from jineng.rules.certificates import display_number


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """证书查询 — by number and holder's name; the QR code on a certificate opens it with the number filled in."""
    asked = "number" in request.GET and "name" in request.GET
    form = VerifyForm(request.GET if asked else None, initial={"number": request.GET.get("number", "")})
    context: dict[str, object] = {"form": form}
    status = 200
    if asked and form.is_valid():
        decision = rate_limit_hit("verify", client_address(request))
        if not decision.allowed:
            context["limited"] = decision
            status = 429
        else:
            result = selectors.certificate_verify_public(form.cleaned_data["number"], form.cleaned_data["name"])
            if result.get("number"):
                result["number_display"] = display_number(str(result["number"]))
            context["result"] = result
    response = render(request, "certificates/verify.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(context["limited"].retry_after)  # type: ignore[attr-defined]
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def verify_credential(request: HttpRequest) -> HttpResponse:
    """凭证验证 — paste (or open, or scan) a credential: the browser checks the signature against the published
    keys, and the server checks it too, with the certificate's status."""
    return render(request, "certificates/verify_credential.html")


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The issuer's public keys (JWK Set), retired keys included so that old credentials stay verifiable."""
    if not credentials.jwks()["keys"]:
        credentials.issuer_key_active()  # publish a key before the first credential is asked for
    response = JsonResponse(credentials.jwks())
    response["Content-Type"] = "application/jwk-set+json"
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
