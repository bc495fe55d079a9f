"""证书查询 — public verification, no login, rate limited per client address (``JINENG_VERIFY_RATE``).

- ``GET /api/v1/public/certificates/verify?number=…&name=…`` → ``valid`` / ``revoked`` / ``not_found`` with the
  holder's name masked. Both are required, so numbers cannot be enumerated; a wrong name answers ``not_found``
  exactly like an unknown number.
- ``POST /api/v1/public/credentials/verify`` with a credential (compact JWS) → valid, or invalid with a reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema
from pydantic import Field

from jineng.certificates import credentials, selectors
from jineng.certificates.errors import TooManyRequests
from jineng.certificates.ratelimit import rate_limit_hit
from jineng.common.errors import FieldError, ValidationFailed
from jineng.common.middleware import client_address
from jineng.common.rest.errors import domain_error_response
from jineng.common.rest.schemas import InputSchema
from jineng.common.rest.types import CODE_MAX, NAME_MAX

public_router = Router(auth=None, tags=["public 公开"])


class VerifyOut(Schema):
    status: str = Field(..., description="valid | revoked | not_found")
    number: str | None
    holder: str | None = Field(None, description="持证人姓名（脱敏）")
    kind: str | None
    occupation: str | None
    level: str | None
    issuer: str | None
    issued_on: str | None


class CredentialIn(InputSchema):
    credential: str = Field(..., max_length=credentials.MAX_TOKEN_LENGTH)


class PublicCertificate(Schema):
    number: str
    status: str
    holder: str
    kind: str
    occupation: str
    level: str
    issuer: str
    issued_on: str


class PublicTranscript(Schema):
    issued_on: str = Field(..., description="签发日期")
    as_of: str = Field(..., description="学分截至日期")
    holder: str = Field(..., description="持有人姓名（脱敏）")
    balance: dict[str, str] = Field(..., description="各类学分")
    total: str = Field(..., description="学分合计")


class CredentialVerifyOut(Schema):
    valid: bool
    reason: str = Field(..., description="'' when valid; else malformed, unsupported_alg, unknown_kid, "
                        "bad_signature, not_yet_valid, expired, unknown_certificate, revoked")  # fmt: skip
    message: str
    kid: str
    header: dict[str, Any]
    credential: dict[str, Any] | None
    certificate: PublicCertificate | None
    transcript: PublicTranscript | None = Field(None, description="技能学分证明（学分银行）的内容")


def limited(request: HttpRequest, bucket: str) -> HttpResponse | None:
    """None when the request is within the limit; else the 429 answer in the one error format."""
    decision = rate_limit_hit(bucket, client_address(request))
    if decision.allowed:
        return None
    response = domain_error_response(TooManyRequests(decision.retry_after, decision.rate))
    response["Retry-After"] = str(decision.retry_after)
    return response


@public_router.get(
    "/certificates/verify",
    response={200: VerifyOut, 429: dict[str, Any]},
    summary="证书查询（公开）Verify a certificate by number and holder's name",
)
def public_certificate_verify(
    request: HttpRequest,
    number: Annotated[str, Field(min_length=1, max_length=CODE_MAX)],
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)],
) -> Any:
    missing = [
        FieldError(field, "required", f"请填写{label}。")
        for field, label, value in (("number", "证书编号", number), ("name", "持证人姓名", name))
        if not value.strip()
    ]
    if missing:  # an empty or blank number or name: 422, as the documentation says
        raise ValidationFailed("请填写证书编号和持证人姓名。", missing)
    refused = limited(request, "verify")
    if refused is not None:
        return refused
    # The answer is built from plain strings by the selector, so it is rendered as is: validating it against
    # VerifyOut (still what the OpenAPI document declares; the tests check the answer against it) was a third of
    # this busiest public endpoint's time.
    return JsonResponse(selectors.certificate_verify_public(number, name), json_dumps_params={"ensure_ascii": False})


@public_router.post(
    "/credentials/verify",
    response={200: CredentialVerifyOut, 429: dict[str, Any]},
    summary="凭证验证（公开）Verify a credential (vc+jwt) on the server",
)
def public_credential_verify(request: HttpRequest, payload: CredentialIn) -> Any:
    refused = limited(request, "credential")
    if refused is not None:
        return refused
    return credentials.credential_verify(payload.credential).as_dict()
