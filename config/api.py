"""The API composition root: one NinjaAPI under /api/v1/, every app's router, one error mapping."""

from __future__ import annotations

from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from jineng.accounts.api import register_person_matcher
from jineng.accounts.rest.auth import API_AUTH
from jineng.accounts.rest.v1 import router as accounts_router
from jineng.certificates import api as certificates_api
from jineng.certificates.rest.public import public_router as certificates_public_router
from jineng.certificates.rest.v1 import router as certificates_router
from jineng.common.errors import DomainError
from jineng.common.rest.errors import (
    NOT_FOUND_IN_SCOPE,
    SERVER_ERROR,
    JinengAPI,
    bad_multipart_response,
    domain_error_response,
    error_response,
    http_error_response,
    validation_error_response,
    value_out_of_range_response,
)
from jineng.competitions.rest.v1 import public_router as competitions_public_router
from jineng.competitions.rest.v1 import router as competitions_router
from jineng.complaints.rest.v1 import public_router as complaints_public_router
from jineng.complaints.rest.v1 import router as complaints_router
from jineng.credits.rest.v1 import router as credits_router
from jineng.imports.rest.v1 import router as imports_router
from jineng.indicators.rest.v1 import public_router as indicators_public_router
from jineng.indicators.rest.v1 import router as indicators_router
from jineng.inspections.rest.v1 import router as inspections_router
from jineng.labour_market.rest.v1 import public_router as labour_public_router
from jineng.labour_market.rest.v1 import router as labour_router
from jineng.portal.rest.v1 import public_router as portal_public_router
from jineng.providers.api import persons_merged as providers_persons_merged
from jineng.providers.api import register_person_resolver
from jineng.providers.rest.public import public_router as providers_public_router
from jineng.providers.rest.v1 import router as providers_router
from jineng.refdata.rest.v1 import public_router as refdata_public_router
from jineng.registry import api as registry_api
from jineng.registry.rest.v1 import router as registry_router
from jineng.subsidies.api import register_certificate_reader
from jineng.subsidies.rest.public import public_router as subsidies_public_router
from jineng.subsidies.rest.v1 import router as subsidies_router
from jineng.supervision.rest.v1 import public_router as supervision_public_router
from jineng.supervision.rest.v1 import router as supervision_router
from jineng.training.rest.v1 import router as training_router
from jineng.web.rest.kernel import router as kernel_router

api = JinengAPI(
    title="Jineng 技能 API",
    version="1",
    description="职业技能培训实名制管理服务平台 API。Errors: {code, message, fields}. Lists: {count, page, page_size, items}.",
    urls_namespace="api",
    auth=API_AUTH,
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return domain_error_response(exc)


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return validation_error_response(list(exc.errors))


@api.exception_handler(MultiPartParserError)
def _multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    # A form upload whose body is not multipart as its Content-Type says (no boundary, cut short …).
    return bad_multipart_response()


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # The database refused a value its column cannot hold (a text longer than the column, a number out of its type's
    # range) that a schema bound let through: the caller's input, so a 422, never a 500. The transaction is rolled
    # back by the atomic block the write ran in.
    import logging

    logging.getLogger("jineng.api").warning("value refused by the database: %s", type(exc).__name__)
    return value_out_of_range_response()


@api.exception_handler(AuthenticationError)
def _auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return http_error_response(401)


@api.exception_handler(Http404)
def _404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", NOT_FOUND_IN_SCOPE)


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return http_error_response(exc.status_code, str(exc), exc.__cause__)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    import logging

    logging.getLogger("jineng.api").exception("unhandled API error")
    return error_response(500, "server_error", SERVER_ERROR)


# First: URLs resolve in order, and the public certificate verification is the busiest anonymous endpoint.
api.add_router("/public", certificates_public_router)
api.add_router("/", accounts_router)
api.add_router("/", kernel_router)
api.add_router("/public", refdata_public_router)
api.add_router("/", registry_router)
api.add_router("/", imports_router)
api.add_router("/", providers_router)
api.add_router("/", training_router)
api.add_router("/public", providers_public_router)
api.add_router("/", indicators_router)
api.add_router("/", supervision_router)
api.add_router("/", inspections_router)
api.add_router("/public", supervision_public_router)
api.add_router("/public", indicators_public_router)
api.add_router("/", certificates_router)
api.add_router("/", subsidies_router)
api.add_router("/public", subsidies_public_router)
api.add_router("/", competitions_router)
api.add_router("/public", competitions_public_router)
api.add_router("/", credits_router)
api.add_router("/", complaints_router)
api.add_router("/public", complaints_public_router)
api.add_router("/", labour_router)
api.add_router("/public", labour_public_router)
api.add_router("/public", portal_public_router)
# providers and registry are independent siblings: the composition root hands providers the person lookup.
register_person_resolver(registry_api.person_resolve)
# Unified identity (accounts, below the registry) matches a verified ID number to its person through this hook.
register_person_matcher(registry_api.person_resolve)
registry_api.register_merge_handler("providers", providers_persons_merged)
# subsidies and certificates are siblings too: subsidies reads certificates' facts through this hook.
register_certificate_reader(certificates_api.certificate_facts)


def register_router(prefix: str, router: Any) -> None:
    api.add_router(prefix, router)
