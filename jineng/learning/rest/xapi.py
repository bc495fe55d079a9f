"""The xAPI endpoints at ``/xapi/``: Statement, State, Activity Profile, Agent Profile, Activities, Agents and About
resources, with the headers, statuses and multipart attachments the xAPI specification (1.0.3 and 2.0.0) requires.

They sit outside ``/api/v1/`` because the xAPI protocol fixes its own paths, parameters, authentication (HTTP Basic
per platform credential) and error statuses; validation, writes and reads are the app's ``validation``,
``services`` and ``selectors``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from jineng.common.rest.parsing import first_bad_text
from jineng.learning import selectors, services
from jineng.learning import validation as v
from jineng.learning.models import LrsCredential, Statement
from jineng.learning.services import DocumentKey, XapiConflict, XapiNotFound, XapiPreconditionFailed

SUPPORTED_VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"]
VERSION_HEADER = "X-Experience-API-Version"
MAX_LIMIT = 500
MAX_BATCH = 1000  # statements in one POST; the suite sends a few, a bigger batch would outlive the worker timeout
MORE_SALT = "jineng.learning.more"


class XapiUnauthorized(Exception):
    pass


class XapiTooLarge(Exception):
    """A request bigger than this LRS takes in one go: answered 413 before anything is stored."""


def _version(request: HttpRequest) -> str:
    value = request.headers.get(VERSION_HEADER)
    if value is None:
        raise v.XapiInvalid(f"The {VERSION_HEADER} header is required")
    if not re.match(r"^(1\.0(\.[0-3])?|2\.0(\.0)?)$", value.strip()):
        raise v.XapiInvalid(f"{VERSION_HEADER} {value!r} is not a supported version")
    return value.strip()


def _is_v2(version: str) -> bool:
    return version.startswith("2.")


def _authenticate(request: HttpRequest) -> LrsCredential:
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("basic "):
        raise XapiUnauthorized()
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise XapiUnauthorized() from exc
    key, _sep, secret = decoded.partition(":")
    if "\x00" in key or len(key) > 40:  # no key holds either; PostgreSQL would refuse the NUL in the lookup (a 500)
        raise XapiUnauthorized()
    credential = selectors.credential_for(key, secret)
    if credential is None:
        raise XapiUnauthorized()
    return credential


def _answer(response: HttpResponse, version: str) -> HttpResponse:
    response[VERSION_HEADER] = "2.0.0" if _is_v2(version) else "1.0.3" if version.startswith("1.") else version
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str, version: str) -> HttpResponse:
    return _answer(JsonResponse({"error": status, "message": message}, status=status), version)


def _json(value: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(value, ensure_ascii=False), status=status, content_type="application/json")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise v.XapiInvalid(f"JSON: property {key!r} appears twice")
        result[key] = value
    return result


def _refuse_bad_text(value: Any, what: str) -> None:
    """A NUL (``\\u0000``) or a lone surrogate (``\\ud800``) anywhere in a text: PostgreSQL refuses both in a column
    and in jsonb, so the request is a 400 here rather than a 500 at the save."""
    found = first_bad_text(value)
    if found:
        path, reason = found
        where = f"{what}.{path}" if path else what
        raise v.XapiInvalid(f"{where}: " + ("must not contain a NUL character" if reason == "nul" else
                                            "must not contain a lone surrogate (invalid Unicode)"))  # fmt: skip


def parse_json(raw: bytes, what: str) -> Any:
    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys)
    except RecursionError as exc:
        raise v.XapiInvalid(f"{what}: JSON nested too deep") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, v.XapiInvalid):
            raise
        raise v.XapiInvalid(f"{what}: not valid JSON") from exc
    _refuse_bad_text(data, what)
    return data


def _params(request: HttpRequest, allowed: set[str], required: set[str] = frozenset()) -> dict[str, str]:  # type: ignore[assignment]
    params: dict[str, str] = {}
    for key, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True):
        if key not in allowed:
            raise v.XapiInvalid(f"{key}: is not a parameter of this resource")
        if key in params:
            raise v.XapiInvalid(f"{key}: given twice")
        _refuse_bad_text(value, key)
        params[key] = value
    for key in required:
        if key not in params:
            raise v.XapiInvalid(f"{key}: is required")
    return params


def _agent_param(text: str) -> dict[str, Any]:
    return v.agent_param(parse_json(text.encode(), "agent"))


def _time_param(text: str, name: str) -> dt.datetime:
    v.timestamp(text, name)
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise v.XapiInvalid(f"{name}: not a date and time") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _bool_param(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise v.XapiInvalid(f"{name}: must be true or false")
    return value == "true"


# --- multipart ----------------------------------------------------------------------------------------------------


def _boundary(content_type: str) -> bytes:
    match = re.search(r'boundary="?([^";]+)"?', content_type, re.IGNORECASE)
    if not match:
        raise v.XapiInvalid("multipart/mixed without a boundary")
    return match.group(1).encode()


def _parts(raw: bytes, boundary: bytes) -> list[tuple[dict[str, str], bytes]]:
    delimiter = b"--" + boundary
    chunks = raw.split(delimiter)
    if len(chunks) < 3:
        raise v.XapiInvalid("multipart/mixed: no parts")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n")
        head, sep, content = chunk.partition(b"\r\n\r\n")
        if not sep:
            raise v.XapiInvalid("multipart/mixed: a part without headers")
        headers = {}
        for line in head.decode("latin-1").split("\r\n"):
            name, _colon, value = line.partition(":")
            if name.strip():
                headers[name.strip().lower()] = value.strip()
        parts.append((headers, content.removesuffix(b"\r\n")))
    return parts


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_signature(statement: dict[str, Any], content: bytes) -> None:
    """A signature attachment is a JWS (compact) with RS256/384/512 whose payload is the statement itself."""
    try:
        header_b64, payload_b64, _signature = content.decode("ascii").strip().split(".")
        header = json.loads(_b64url(header_b64))
        payload = json.loads(_b64url(payload_b64))
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise v.XapiInvalid("attachments: the signature is not a JWS") from exc
    if not isinstance(header, dict) or header.get("alg") not in ("RS256", "RS384", "RS512"):
        raise v.XapiInvalid("attachments: the signature's algorithm must be RS256, RS384 or RS512")
    if not isinstance(payload, dict):
        raise v.XapiInvalid("attachments: the signature's payload is not a statement")
    ignore = ("id", "stored", "authority", "attachments", "version", "timestamp")
    mine = services.comparable({key: value for key, value in statement.items() if key not in ignore})
    theirs = services.comparable({key: value for key, value in payload.items() if key not in ignore})
    if mine != theirs:
        raise v.XapiInvalid("attachments: the signed payload differs from the statement")


def _statements_and_attachments(request: HttpRequest) -> tuple[Any, dict[str, tuple[str, bytes]], bool]:
    content_type = request.META.get("CONTENT_TYPE", "")
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        return parse_json(request.body, "statements"), {}, False
    if kind != "multipart/mixed":
        raise v.XapiInvalid("Content-Type must be application/json or multipart/mixed")
    parts = _parts(request.body, _boundary(content_type))
    first_headers, first = parts[0]
    if first_headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise v.XapiInvalid("multipart/mixed: the first part must be application/json statements")
    attachments: dict[str, tuple[str, bytes]] = {}
    for headers, content in parts[1:]:
        sha2 = headers.get("x-experience-api-hash")
        if not sha2:
            raise v.XapiInvalid("multipart/mixed: a part without X-Experience-API-Hash")
        if headers.get("content-transfer-encoding", "binary").lower() != "binary":
            raise v.XapiInvalid("multipart/mixed: Content-Transfer-Encoding must be binary")
        attachments[sha2.lower()] = (headers.get("content-type", "application/octet-stream"), content)
    return parse_json(first, "statements"), attachments, True


def _check_attachments(statements: list[dict[str, Any]], parts: dict[str, tuple[str, bytes]]) -> None:
    used: set[str] = set()
    for statement in statements:
        for declared in statement.get("attachments") or []:
            sha2 = declared["sha2"].lower()
            if sha2 in parts:
                used.add(sha2)
                if declared["usageType"] == v.SIGNATURE:
                    if declared["contentType"] != "application/octet-stream":
                        raise v.XapiInvalid("attachments: a signature's contentType is application/octet-stream")
                    _check_signature(statement, parts[sha2][1])
            elif "fileUrl" not in declared:
                raise v.XapiInvalid(f"attachments: no part carries the attachment {sha2}")
    for sha2, (_content_type, content) in parts.items():
        if sha2 not in used:
            raise v.XapiInvalid(f"multipart/mixed: the part {sha2} matches no attachment of the statements")
        digests = {
            hashlib.sha256(content).hexdigest(),
            hashlib.sha384(content).hexdigest(),
            hashlib.sha512(content).hexdigest(),
            hashlib.sha224(content).hexdigest(),
        }
        if sha2 not in digests:
            raise v.XapiInvalid(f"multipart/mixed: the part's content does not hash to {sha2}")


# --- statement resource -------------------------------------------------------------------------------------------


def _authority(request: HttpRequest, credential: LrsCredential) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": credential.organization.name,
        "account": {"homePage": request.build_absolute_uri("/xapi/"), "name": credential.key},
    }


def _store(
    request: HttpRequest,
    credential: LrsCredential,
    version: str,
    statements: list[Any],
    parts: dict[str, tuple[str, bytes]],
) -> list[str]:
    checked = [
        v.statement(item, v2=_is_v2(version), path=f"statement[{index}]") for index, item in enumerate(statements)
    ]
    _check_attachments(checked, parts)
    return services.statements_store(
        organization=credential.organization,
        statements=checked,
        authority=_authority(request, credential),
        version="2.0.0" if _is_v2(version) else "1.0.0",
        attachments=parts,
    )


def _statements_put(request: HttpRequest, credential: LrsCredential, version: str) -> HttpResponse:
    params = _params(request, {"statementId"}, {"statementId"})
    statement_id = v.uuid_value(params["statementId"], "statementId")
    data, parts, _multipart = _statements_and_attachments(request)
    if not isinstance(data, dict):
        raise v.XapiInvalid("PUT takes one statement")
    if "id" in data and str(data["id"]).lower() != statement_id.lower():
        raise v.XapiInvalid("statement.id differs from statementId")
    data["id"] = statement_id
    _store(request, credential, version, [data], parts)
    return HttpResponse(status=204)


def _statements_post(request: HttpRequest, credential: LrsCredential, version: str) -> HttpResponse:
    _params(request, set())
    data, parts, _multipart = _statements_and_attachments(request)
    statements = data if isinstance(data, list) else [data]
    if not statements:
        raise v.XapiInvalid("statements: an empty batch")
    if len(statements) > MAX_BATCH:
        raise XapiTooLarge(f"statements: {len(statements)} in one batch, at most {MAX_BATCH}; send them in batches")
    return _json(_store(request, credential, version, statements, parts))


STATEMENT_PARAMS = {
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}


def _ids_agent(agent: dict[str, Any]) -> dict[str, Any]:
    out = {key: agent[key] for key in ("objectType", "mbox", "mbox_sha1sum", "openid", "account") if key in agent}
    if agent.get("objectType") == "Group" and services.agent_key(agent) is None:
        out["member"] = [_ids_agent(member) for member in agent.get("member", [])]
    return out


def _ids_object(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": obj["id"]}
    if kind in ("Agent", "Group"):
        return _ids_agent(obj)
    if kind == "SubStatement":
        return _format_ids(obj)
    return obj


def _format_ids(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out["actor"] = _ids_agent(data["actor"])
    out["verb"] = {"id": data["verb"]["id"]}
    out["object"] = _ids_object(data["object"])
    if "authority" in data:
        out["authority"] = _ids_agent(data["authority"])
    if "context" in data:
        context = dict(data["context"])
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_agent(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [{"id": item["id"]} for item in items] for key, items in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def _pick_language(value: dict[str, str], accepted: list[str]) -> dict[str, str]:
    for language in accepted:
        for key in value:
            if key.lower() == language.lower() or key.lower().split("-")[0] == language.lower():
                return {key: value[key]}
    first = next(iter(value), None)
    return {first: value[first]} if first is not None else {}


def _format_canonical(data: Any, accepted: list[str], key: str = "") -> Any:
    if isinstance(data, dict):
        if key in ("display", "name", "description") and all(isinstance(item, str) for item in data.values()):
            return _pick_language(data, accepted)
        return {name: _format_canonical(item, accepted, name) for name, item in data.items()}
    if isinstance(data, list):
        return [_format_canonical(item, accepted, key) for item in data]
    return data


def _contextactivities_arrays(data: dict[str, Any]) -> dict[str, Any]:
    """Context activities are always answered as arrays (a single activity sent is wrapped)."""
    for holder in (data, data.get("object") if isinstance(data.get("object"), dict) else None):
        if holder and isinstance(holder.get("context"), dict) and "contextActivities" in holder["context"]:
            holder["context"]["contextActivities"] = {
                key: items if isinstance(items, list) else [items]
                for key, items in holder["context"]["contextActivities"].items()
            }
    return data


def _present(row: Statement, fmt: str, accepted: list[str]) -> dict[str, Any]:
    data = _contextactivities_arrays(json.loads(json.dumps(row.data)))
    if fmt == "ids":
        return _format_ids(data)
    if fmt == "canonical":
        return _format_canonical(data, accepted)  # type: ignore[no-any-return]
    return data


def _accepted_languages(request: HttpRequest) -> list[str]:
    header = request.headers.get("Accept-Language", "")
    return [part.split(";")[0].strip() for part in header.split(",") if part.strip() and part.strip() != "*"]


def _statement_answer(
    request: HttpRequest, credential: LrsCredential, body: Any, rows: list[Statement], with_attachments: bool
) -> HttpResponse:
    text = json.dumps(body, ensure_ascii=False).encode()
    if not with_attachments:
        return HttpResponse(text, content_type="application/json")
    hashes = {a["sha2"] for row in rows for a in (row.data.get("attachments") or []) if "sha2" in a}
    from jineng.learning.models import Attachment

    stored = Attachment.objects.filter(organization=credential.organization, sha2__in=[h.lower() for h in hashes])
    boundary = "jineng-" + hashlib.sha1(text, usedforsecurity=False).hexdigest()
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), text, b"\r\n"]
    for attachment in stored:
        chunks += [
            f"--{boundary}\r\nContent-Type: {attachment.content_type}\r\nContent-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {attachment.sha2}\r\n\r\n".encode(),
            bytes(attachment.content),
            b"\r\n",
        ]
    chunks.append(f"--{boundary}--".encode())
    return HttpResponse(b"".join(chunks), content_type=f'multipart/mixed; boundary="{boundary}"')


def _statements_get(
    request: HttpRequest, credential: LrsCredential, version: str, more: dict[str, Any] | None = None
) -> HttpResponse:
    params = more["params"] if more is not None else _params(request, STATEMENT_PARAMS)
    fmt = params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise v.XapiInvalid("format: must be exact, ids or canonical")
    with_attachments = _bool_param(params, "attachments")
    accepted = _accepted_languages(request)
    single = params.get("statementId"), params.get("voidedStatementId")
    if any(single):
        if all(single):
            raise v.XapiInvalid("statementId and voidedStatementId cannot be given together")
        extra = set(params) - {"statementId", "voidedStatementId", "format", "attachments"}
        if extra:
            raise v.XapiInvalid(f"{sorted(extra)[0]}: not allowed with a statement id")
        wanted = v.uuid_value(single[0] or single[1], "statementId" if single[0] else "voidedStatementId")
        row = selectors.statement_get(credential.organization, wanted.lower(), voided=bool(single[1]))
        if row is None:
            raise XapiNotFound(f"No statement {wanted}")
        response = _statement_answer(request, credential, _present(row, fmt, accepted), [row], with_attachments)
        response["Last-Modified"] = http_date(row.stored.timestamp())
        return response
    query = selectors.StatementQuery(
        agent=services.agent_key(_agent_param(params["agent"])) if "agent" in params else None,
        verb=v.iri(params["verb"], "verb") if "verb" in params else None,
        activity=v.iri(params["activity"], "activity") if "activity" in params else None,
        registration=v.uuid_value(params["registration"], "registration").lower() if "registration" in params else None,
        related_activities=_bool_param(params, "related_activities"),
        related_agents=_bool_param(params, "related_agents"),
        since=_time_param(params["since"], "since") if "since" in params else None,
        until=_time_param(params["until"], "until") if "until" in params else None,
        ascending=_bool_param(params, "ascending"),
    )
    try:
        limit = int(params.get("limit", "0"))
    except ValueError as exc:
        raise v.XapiInvalid("limit: must be a non-negative integer") from exc
    if limit < 0:
        raise v.XapiInvalid("limit: must be a non-negative integer")
    page = min(limit or MAX_LIMIT, MAX_LIMIT)
    rows = list(
        selectors.statements_query(credential.organization, query, after_seq=more["after"] if more else None)[
            : page + 1
        ]
    )
    more_url = ""
    if len(rows) > page:
        rows = rows[:page]
        token = signing.dumps(
            {"params": params, "after": rows[-1].seq, "key": credential.key}, salt=MORE_SALT, compress=True
        )
        more_url = f"/xapi/statements/more/{token}"
    body = {"statements": [_present(row, fmt, accepted) for row in rows], "more": more_url}
    return _statement_answer(request, credential, body, rows, with_attachments)


# --- documents ----------------------------------------------------------------------------------------------------


def _document_key(request: HttpRequest, kind: str, params: dict[str, str]) -> DocumentKey:
    activity_id = v.iri(params["activityId"], "activityId") if "activityId" in params else ""
    agent = services.agent_key(_agent_param(params["agent"])) or "" if "agent" in params else ""
    registration = v.uuid_value(params["registration"], "registration").lower() if "registration" in params else ""
    return DocumentKey(kind=kind, activity_id=activity_id, agent=agent, registration=registration)


DOCUMENTS = {
    # resource: (kind, id parameter, key parameters, optional parameters)
    "activities/state": ("state", "stateId", {"activityId", "agent"}, {"registration"}),
    "activities/profile": ("activity_profile", "profileId", {"activityId"}, set()),
    "agents/profile": ("agent_profile", "profileId", {"agent"}, set()),
}


def _documents(request: HttpRequest, credential: LrsCredential, version: str, resource: str) -> HttpResponse:
    kind, id_param, required, optional = DOCUMENTS[resource]
    method = request.method or "GET"
    allowed = required | optional | {id_param} | ({"since"} if method in ("GET", "HEAD") else set())
    params = _params(request, allowed, required | ({id_param} if method in ("PUT", "POST") else set()))
    key = _document_key(request, kind, params)
    doc_id = params.get(id_param)
    organization = credential.organization
    if method in ("GET", "HEAD"):
        if doc_id is None:
            since = _time_param(params["since"], "since") if "since" in params else None
            return _json(selectors.document_ids(organization, key, since))
        if "since" in params:
            raise v.XapiInvalid(f"since: not allowed with {id_param}")
        document = selectors.document_get(organization, key, doc_id)
        if document is None:
            raise XapiNotFound(f"No document {doc_id}")
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["ETag"] = f'"{document.etag}"'
        response["Last-Modified"] = http_date(document.updated.timestamp())
        return response
    if method == "DELETE":
        if doc_id is None and kind != "state":
            raise v.XapiInvalid(f"{id_param}: is required")
        services.document_delete(
            organization=organization, key=key, doc_id=doc_id, if_match=request.headers.get("If-Match")
        )
        return HttpResponse(status=204)
    content_type = request.META.get("CONTENT_TYPE", "") or "application/octet-stream"
    services.document_write(
        organization=organization,
        key=key,
        doc_id=str(doc_id),
        content=request.body,
        content_type=content_type,
        merge=method == "POST",
        if_match=request.headers.get("If-Match"),
        if_none_match=request.headers.get("If-None-Match"),
        put_needs_precondition=_is_v2(version) or kind != "state",
        new_needs_precondition=not _is_v2(version) and kind != "state",
    )
    return HttpResponse(status=204)


def _activities(request: HttpRequest, credential: LrsCredential, version: str) -> HttpResponse:
    params = _params(request, {"activityId"}, {"activityId"})
    activity_id = v.iri(params["activityId"], "activityId")
    row = selectors.activity_get(credential.organization, activity_id)
    body: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if row is not None and row.definition:
        body["definition"] = row.definition
    return _json(body)


def _agents(request: HttpRequest, credential: LrsCredential, version: str) -> HttpResponse:
    params = _params(request, {"agent"}, {"agent"})
    agent = _agent_param(params["agent"])
    person: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for key in ("mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return _json(person)


def _about(request: HttpRequest) -> HttpResponse:
    return _json({"version": SUPPORTED_VERSIONS, "extensions": {}})


# --- dispatch -----------------------------------------------------------------------------------------------------

Handler = Callable[[HttpRequest, LrsCredential, str], HttpResponse]
ROUTES: dict[str, dict[str, Handler]] = {
    "statements": {"GET": _statements_get, "PUT": _statements_put, "POST": _statements_post},
    "activities": {"GET": _activities},
    "agents": {"GET": _agents},
}


@csrf_exempt
def endpoint(request: HttpRequest, resource: str) -> HttpResponse:
    resource = resource.strip("/")
    version = request.headers.get(VERSION_HEADER, settings.JINENG_XAPI_UNVERSIONED)
    try:
        if "method" in request.GET:
            version = _alternate_request(request)
        method = request.method or "GET"
        if resource == "about":
            if method not in ("GET", "HEAD"):
                return _error(405, "About answers GET only", version)
            return _head(request, _answer(_about(request), version))
        more_token = None
        if resource.startswith("statements/more/"):
            more_token, resource = resource.removeprefix("statements/more/"), "statements"
        handlers = ROUTES.get(resource)
        documents = resource in DOCUMENTS
        if handlers is None and not documents:
            return _error(404, f"No resource /xapi/{resource}", version)
        version = _version(request)
        credential = _authenticate(request)
        lookup = "GET" if method == "HEAD" else method
        if documents:
            if lookup not in ("GET", "PUT", "POST", "DELETE"):
                return _error(405, "Method not allowed", version)
            response = _documents(request, credential, version, resource)
        elif more_token is not None:
            if lookup != "GET":
                return _error(405, "Method not allowed", version)
            try:
                more = signing.loads(more_token, salt=MORE_SALT)
            except signing.BadSignature as exc:
                raise XapiNotFound("This more link is not valid") from exc
            if more.get("key") != credential.key:
                raise XapiNotFound("This more link is not valid")
            response = _statements_get(request, credential, version, more)
        else:
            handler = (handlers or {}).get(lookup)
            if handler is None:
                return _error(405, "Method not allowed", version)
            response = handler(request, credential, version)
        response = _answer(response, version)
    except v.XapiInvalid as exc:
        response = _error(400, str(exc), version)
    except XapiTooLarge as exc:
        response = _error(413, str(exc), version)
    except XapiUnauthorized:
        response = _error(401, "Basic authentication with a platform credential is required", version)
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    except XapiNotFound as exc:
        response = _error(404, str(exc), version)
    except XapiConflict as exc:
        response = _error(409, str(exc), version)
    except XapiPreconditionFailed as exc:
        response = _error(412, str(exc), version)
    if resource.startswith("statements") and request.method in ("GET", "HEAD"):
        response["X-Experience-API-Consistent-Through"] = timezone.now().isoformat().replace("+00:00", "Z")
    return _head(request, response)


ALTERNATE_HEADERS = {
    "Authorization": "HTTP_AUTHORIZATION",
    "X-Experience-API-Version": "HTTP_X_EXPERIENCE_API_VERSION",
    "Content-Type": "CONTENT_TYPE",
    "Content-Length": "CONTENT_LENGTH",
    "If-Match": "HTTP_IF_MATCH",
    "If-None-Match": "HTTP_IF_NONE_MATCH",
}


def _alternate_request(request: HttpRequest) -> str:
    """xAPI 1.0.3's alternate request syntax: a POST with ``?method=X`` and a form of headers, parameters and
    ``content``, turned into the request it stands for. xAPI 2.0 removed it: refused there."""
    query = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    form_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    form = (
        parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        if form_type == "application/x-www-form-urlencoded"
        else []
    )
    fields = dict(form)
    version = fields.get(VERSION_HEADER) or request.headers.get(VERSION_HEADER) or "1.0.3"
    if _is_v2(version):
        raise v.XapiInvalid("The alternate request syntax was removed in xAPI 2.0")
    method = dict(query).get("method", "").upper()
    if request.method != "POST" or len(query) != 1 or method not in ("GET", "PUT", "POST", "DELETE"):
        raise v.XapiInvalid("Alternate request syntax: a POST whose only query parameter is method")
    if form_type != "application/x-www-form-urlencoded":
        raise v.XapiInvalid("Alternate request syntax: the body is a form (application/x-www-form-urlencoded)")
    content = fields.pop("content", None)
    if method in ("PUT", "POST") and content is None:
        raise v.XapiInvalid("Alternate request syntax: the form has no content parameter")
    request.META["CONTENT_TYPE"] = "application/json"
    for header, meta in ALTERNATE_HEADERS.items():
        value = fields.pop(header, None)
        if value is not None:
            request.META[meta] = value
    request.META["QUERY_STRING"] = urlencode(fields)
    request.META["REQUEST_METHOD"] = method
    request.method = method
    request._body = (content or "").encode()  # noqa: SLF001 - the request the form stands for
    request.__dict__.pop("headers", None)
    request.__dict__.pop("GET", None)
    request.META["CONTENT_LENGTH"] = str(len(request._body))  # noqa: SLF001
    return str(request.headers.get(VERSION_HEADER, version))


def _head(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method == "HEAD":
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response
