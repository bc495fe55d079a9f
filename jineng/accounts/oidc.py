"""Unified identity (统一身份认证): sign-in through the province's OpenID Connect provider.

Authorization code flow with PKCE (S256), state and nonce, by Authlib's Django client. The ID token is verified by
Authlib against the provider's published keys (JWKS), issuer, audience (our client id), expiry and the nonce kept in
the session for that state; a nonce that already signed someone in is refused here as well (``UsedNonce``), so an
ID token cannot sign in twice.

Who signs in:
- an identity already linked (``ExternalIdentity``: issuer + subject) is that user; a linked worker's verified ID
  number must still be their registry person's;
- otherwise the verified ID-number claim (``JINENG_OIDC_ID_NUMBER_CLAIM``, with ``JINENG_OIDC_ID_VERIFIED_CLAIM``
  true) is looked up in the registry by its keyed hash — never by name — through the matcher the composition root
  registers (``register_person_matcher``: the registry's ``person_resolve``). The person's worker account signs in,
  created at the first sign-in with the worker function; an identity matching no person is offered registration and
  reaches no one's record.

Every outcome is audited (``user.oidc_sign_in`` / ``user.oidc_refused``) and kept as a sign-in record.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from joserfc.errors import JoseError

from jineng.accounts.backends import is_worker_account
from jineng.accounts.events import Event
from jineng.accounts.models import ExternalIdentity, UsedNonce, User
from jineng.accounts.roles import Function
from jineng.accounts.services import grant_create, sign_in_record, user_create
from jineng.common.audit.services import audit_event
from jineng.common.errors import DomainError

ACTOR = "统一身份认证"  # the actor named in the audit trail for accounts made at a first sign-in
_CLIENT_NAME = "province"
_clients: dict[tuple[str, ...], Any] = {}
_person_matcher: Callable[[str], Any] | None = None

# What can go wrong between the provider and us: refused, tampered, expired, unreachable, malformed.
TOKEN_ERRORS: tuple[type[Exception], ...] = (
    OAuthError,
    JoseError,
    requests.RequestException,
    ValueError,
    KeyError,
    TypeError,
)


def register_person_matcher(matcher: Callable[[str], Any]) -> None:
    """The composition root registers the registry's ``person_resolve``: a verified ID number → the person or None
    (a DomainError for a number that is not valid)."""
    global _person_matcher
    _person_matcher = matcher


def issuer() -> str:
    return str(settings.JINENG_OIDC_ISSUER)


def enabled() -> bool:
    return bool(settings.JINENG_OIDC_ISSUER and settings.JINENG_OIDC_CLIENT_ID)


def client() -> Any:
    """Authlib's client for the configured provider (its discovery document and keys are fetched once, then kept)."""
    issuer = settings.JINENG_OIDC_ISSUER.rstrip("/")
    key = (issuer, settings.JINENG_OIDC_CLIENT_ID, settings.JINENG_OIDC_CLIENT_SECRET, settings.JINENG_OIDC_SCOPE)
    app = _clients.get(key)
    if app is None:
        app = OAuth().register(
            name=_CLIENT_NAME,
            client_id=settings.JINENG_OIDC_CLIENT_ID,
            client_secret=settings.JINENG_OIDC_CLIENT_SECRET,
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": settings.JINENG_OIDC_SCOPE, "code_challenge_method": "S256", "timeout": 10},
        )
        _clients.clear()
        _clients[key] = app
    return app


def authorization_redirect(request: HttpRequest, redirect_uri: str) -> HttpResponse:
    """302 to the provider's authorization endpoint (response_type=code, client_id, redirect_uri, scope, state,
    nonce, code_challenge, code_challenge_method=S256); the state, nonce and code verifier stay in the session."""
    response: HttpResponse = client().authorize_redirect(request, redirect_uri)
    return response


@dataclass(frozen=True)
class Outcome:
    """What a callback came to: ``user`` signed in, or ``no_match`` (offered registration), or ``refused``."""

    kind: str  # "signed_in" | "no_match" | "refused"
    user: User | None = None
    reason: str = ""
    name: str = ""  # the provider's name for the identity (shown masked on the registration page)


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def nonce_consume(nonce: str) -> bool:
    """Mark an ID token's nonce used; False when it already was (a replayed token)."""
    if not nonce:
        return False
    try:
        with transaction.atomic():
            UsedNonce.objects.create(digest=_digest(nonce))
    except IntegrityError:
        return False
    return True


def verified_claims(request: HttpRequest) -> dict[str, Any]:
    """Exchange the callback's code (with the PKCE verifier) and return the verified ID token's claims.

    Raises one of ``TOKEN_ERRORS`` for anything refused: an error from the provider, an unknown state, a bad
    signature, a wrong issuer or audience, an expired token, a nonce not this session's or already used."""
    token = client().authorize_access_token(request, leeway=settings.JINENG_OIDC_LEEWAY_SECONDS)
    claims = token.get("userinfo")
    if not claims:
        raise OAuthError(error="missing_id_token", description="the provider returned no ID token")
    if not nonce_consume(str(claims.get("nonce") or "")):
        raise OAuthError(error="replayed_nonce", description="this ID token's nonce was already used")
    return dict(claims)


def _refused(request: HttpRequest, *, subject: str, reason: str, name: str = "") -> Outcome:
    issuer = settings.JINENG_OIDC_ISSUER
    audit_event(Event.USER_OIDC_REFUSED, actor=ACTOR, after={"issuer": issuer, "subject": subject[:255]}, reason=reason)
    sign_in_record(username=f"oidc:{subject}"[:150], user=None, succeeded=False, address=_address(request))
    return Outcome("refused", reason=reason, name=name)


def _address(request: HttpRequest) -> str:
    from jineng.common.middleware import client_address

    return client_address(request)


def resolve(request: HttpRequest, claims: dict[str, Any]) -> Outcome:
    """The account these verified claims sign in (made at a worker's first sign-in), or why not."""
    issuer = settings.JINENG_OIDC_ISSUER
    subject = str(claims.get("sub") or "")
    name = str(claims.get("name") or "")[:100]
    raw_number = claims.get(settings.JINENG_OIDC_ID_NUMBER_CLAIM)
    number = raw_number.strip().upper() if isinstance(raw_number, str) and len(raw_number) <= 32 else ""
    verified = claims.get(settings.JINENG_OIDC_ID_VERIFIED_CLAIM) is True
    if not subject:
        return _refused(request, subject="", reason="no_subject")
    person = None
    if number and verified:
        if _person_matcher is None:
            return _refused(request, subject=subject, reason="no_registry")
        try:
            person = _person_matcher(number)
        except DomainError:
            return _refused(request, subject=subject, reason="invalid_id_number", name=name)
    link = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if link is not None:
        user = link.user
        if user.person_id is not None and (person is None or person.pk != user.person_id):
            return _refused(request, subject=subject, reason="person_mismatch", name=name)
        if not user.is_active:
            return _refused(request, subject=subject, reason="inactive", name=name)
        ExternalIdentity.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
        return _signed_in(user, subject=subject, created=False)
    if not (number and verified):
        return _refused(request, subject=subject, reason="no_verified_id_number", name=name)
    if person is None:
        audit_event(
            Event.USER_OIDC_REFUSED, actor=ACTOR, after={"issuer": issuer, "subject": subject}, reason="no_person"
        )
        return Outcome("no_match", name=name)
    account: User | None = User.objects.filter(person_id=person.pk).first()
    if account is not None and (not is_worker_account(account) or not account.is_active):
        # an official's or a disabled account tied to this person: it signs in only through its own link
        return _refused(request, subject=subject, reason="not_a_worker_account", name=name)
    created = account is None
    try:
        with transaction.atomic():
            if account is None:
                account = user_create(
                    actor=ACTOR,
                    username=f"p-{person.pk.hex}",
                    password=None,
                    display_name=str(getattr(person, "name", "") or name)[:100],
                )
                User.objects.filter(pk=account.pk).update(person_id=person.pk)
                account.person_id = person.pk
                grant_create(actor=ACTOR, user=account, function=Function.WORKER)
            ExternalIdentity.objects.create(user=account, issuer=issuer, subject=subject, last_used_at=timezone.now())
    except (IntegrityError, DomainError):  # the same first sign-in twice at once: the other one made the account
        return _refused(request, subject=subject, reason="concurrent_first_sign_in", name=name)
    return _signed_in(account, subject=subject, created=created)


def _signed_in(user: User, *, subject: str, created: bool) -> Outcome:
    audit_event(
        Event.USER_OIDC_SIGN_IN,
        actor=user,
        object_id=user.pk,
        after={"issuer": settings.JINENG_OIDC_ISSUER, "subject": subject, "account_created": created},
    )
    return Outcome("signed_in", user=user)


def link_identity(*, actor: Any, user: User, subject: str) -> ExternalIdentity:
    """Link an identity at the configured provider to an existing account (an official's), audited."""
    from jineng.common.errors import FieldError, ValidationFailed

    subject = subject.strip()
    if not subject or len(subject) > 255:
        message = "统一身份认证账号标识不能为空，且不超过 255 个字符。"
        raise ValidationFailed(message, [FieldError("subject", "invalid", message)])
    if not settings.JINENG_OIDC_ISSUER:
        message = "未配置统一身份认证（JINENG_OIDC_ISSUER）。"
        raise ValidationFailed(message, [FieldError("issuer", "not_configured", message)])
    with transaction.atomic():
        link, _ = ExternalIdentity.objects.update_or_create(
            issuer=settings.JINENG_OIDC_ISSUER, subject=subject, defaults={"user": user}
        )
        audit_event(Event.USER_OIDC_LINK, actor=actor, object_id=user.pk, after={"subject": subject})
    return link
