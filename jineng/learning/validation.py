"""xAPI statement validation (1.0.3 and 2.0.0): pure functions that raise ``XapiInvalid`` naming the property and the
rule it breaks. No library on the package index validates statements to the conformance suite's strictness (ralph's
pydantic models accept unknown properties; tincan is a client), see ADR 0021; this follows the xAPI specification's
data section property by property."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
IRI_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s]*$")
MAILTO_RE = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2_RE = re.compile(r"^[0-9a-fA-F]{56,128}$")
LANG_RE = re.compile(
    r"^(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|\d{3}))?"
    r"(?:-(?:[a-zA-Z0-9]{5,8}|\d[a-zA-Z0-9]{3}))*(?:-[0-9a-wy-zA-WY-Z](?:-[a-zA-Z0-9]{2,8})+)*(?:-x(?:-[a-zA-Z0-9]{1,8})+)?$"
    r"|^x(?:-[a-zA-Z0-9]{1,8})+$"
)
TIMESTAMP_RE = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?"
    r"(Z|[+-]([01]\d|2[0-3]):?[0-5]\d|[+-]([01]\d|2[0-3]))?$"
)
DURATION_RE = re.compile(
    r"^P(?!$)(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?D)?"
    r"(T(?=\d)(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?$|^P\d+(?:[.,]\d+)?W$"
)
VERSION_RE = re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")
MIME_RE = re.compile(r"^[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;.*)?$")
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
INTERACTION_TYPES = {
    "true-false": set(),
    "choice": {"choices"},
    "fill-in": set(),
    "long-fill-in": set(),
    "matching": {"source", "target"},
    "performance": {"steps"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "numeric": set(),
    "other": set(),
}
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


MAX_DEPTH = 64  # nesting levels of objects and arrays in one statement; far past any real extension


class XapiInvalid(ValueError):
    """A statement or parameter that breaks a rule of the specification: answered 400 with this message."""


def fail(path: str, reason: str) -> XapiInvalid:
    return XapiInvalid(f"{path}: {reason}")


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(path, "must be a JSON object")
    return value


def _keys(value: Mapping[str, Any], allowed: Iterable[str], path: str, required: Iterable[str] = ()) -> None:
    allowed_set = set(allowed)
    for key, item in value.items():
        if key not in allowed_set:
            raise fail(f"{path}.{key}", "is not a property of this object")
        if item is None:
            raise fail(f"{path}.{key}", "must not be null")
    for key in required:
        if key not in value:
            raise fail(f"{path}.{key}", "is required")


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise fail(path, "must be a string")
    return value


def _bool(value: Any, path: str) -> None:
    if not isinstance(value, bool):
        raise fail(path, "must be true or false")


def _num(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(path, "must be a number")
    return float(value)


def _matching(value: Any, path: str, pattern: re.Pattern[str], reason: str) -> str:
    text = _str(value, path)
    if not pattern.match(text):
        raise fail(path, reason)
    return text


def iri(value: Any, path: str) -> str:
    return _matching(value, path, IRI_RE, "must be an absolute IRI")


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(UUID_RE.match(value))


def uuid_value(value: Any, path: str) -> str:
    if not is_uuid(value):
        raise fail(path, "must be a UUID")
    return str(value)


def lang_tag(value: Any, path: str) -> str:
    return _matching(value, path, LANG_RE, "must be an RFC 5646 language tag")


def language_map(value: Any, path: str) -> None:
    for key, item in _obj(value, path).items():
        lang_tag(key, f"{path}[{key}]")
        _str(item, f"{path}.{key}")


def timestamp(value: Any, path: str) -> str:
    text = _str(value, path)
    if not TIMESTAMP_RE.match(text) or text.endswith("-00:00") or text.endswith("-0000") or text.endswith("-00"):
        raise fail(path, "must be an ISO 8601 date and time with a time zone other than -00:00")
    return text


def duration(value: Any, path: str) -> None:
    _matching(value, path, DURATION_RE, "must be an ISO 8601 duration")


def extensions(value: Any, path: str) -> None:
    for key in _obj(value, path):
        iri(key, f"{path}[{key}]")


def _ifis(value: Mapping[str, Any], path: str) -> int:
    count = 0
    if "mbox" in value:
        count += 1
        if not MAILTO_RE.match(_str(value["mbox"], f"{path}.mbox")):
            raise fail(f"{path}.mbox", "must be a mailto: IRI")
    if "mbox_sha1sum" in value:
        count += 1
        if not SHA1_RE.match(_str(value["mbox_sha1sum"], f"{path}.mbox_sha1sum")):
            raise fail(f"{path}.mbox_sha1sum", "must be a SHA-1 hex digest")
    if "openid" in value:
        count += 1
        iri(value["openid"], f"{path}.openid")
    if "account" in value:
        count += 1
        account = _obj(value["account"], f"{path}.account")
        _keys(account, ("homePage", "name"), f"{path}.account", ("homePage", "name"))
        iri(account["homePage"], f"{path}.account.homePage")
        _str(account["name"], f"{path}.account.name")
    return count


AGENT_KEYS = ("objectType", "name", "mbox", "mbox_sha1sum", "openid", "account")


def agent(value: Any, path: str, *, object_type_required: bool = False) -> None:
    value = _obj(value, path)
    _keys(value, AGENT_KEYS, path)
    if object_type_required and "objectType" not in value:
        raise fail(f"{path}.objectType", "is required")
    if value.get("objectType", "Agent") != "Agent":
        raise fail(f"{path}.objectType", "must be Agent")
    if "name" in value:
        _str(value["name"], f"{path}.name")
    if _ifis(value, path) != 1:
        raise fail(path, "an Agent has exactly one identifier (mbox, mbox_sha1sum, openid or account)")


def group(value: Any, path: str) -> None:
    value = _obj(value, path)
    _keys(value, (*AGENT_KEYS, "member"), path, ("objectType",))
    if value["objectType"] != "Group":
        raise fail(f"{path}.objectType", "must be Group")
    if "name" in value:
        _str(value["name"], f"{path}.name")
    count = _ifis(value, path)
    if count > 1:
        raise fail(path, "a Group has at most one identifier")
    if "member" in value:
        members = value["member"]
        if not isinstance(members, list):
            raise fail(f"{path}.member", "must be an array of Agents")
        for index, member in enumerate(members):
            agent(member, f"{path}.member[{index}]")
    if count == 0 and not value.get("member"):
        raise fail(f"{path}.member", "an anonymous Group lists its members")


def actor(value: Any, path: str) -> None:
    value = _obj(value, path)
    if value.get("objectType") == "Group":
        group(value, path)
    else:
        agent(value, path)


def authority(value: Any, path: str) -> None:
    """An Agent, or (OAuth) an anonymous Group of exactly two Agents."""
    value = _obj(value, path)
    if value.get("objectType") != "Group":
        agent(value, path)
        return
    group(value, path)
    if _ifis(value, path) or len(value.get("member") or []) != 2:
        raise fail(path, "an authority Group is anonymous with exactly two Agents")


def verb(value: Any, path: str) -> None:
    value = _obj(value, path)
    _keys(value, ("id", "display"), path, ("id",))
    iri(value["id"], f"{path}.id")
    if "display" in value:
        language_map(value["display"], f"{path}.display")


def _components(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(value):
        where = f"{path}[{index}]"
        component = _obj(component, where)
        _keys(component, ("id", "description"), where, ("id",))
        ident = _str(component["id"], f"{where}.id")
        if ident in seen:
            raise fail(f"{where}.id", "interaction component ids are unique within the list")
        seen.add(ident)
        if "description" in component:
            language_map(component["description"], f"{where}.description")


def definition(value: Any, path: str) -> None:
    value = _obj(value, path)
    _keys(
        value,
        (
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
            *COMPONENT_LISTS,
        ),
        path,
    )
    for key in ("name", "description"):
        if key in value:
            language_map(value[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in value:
            iri(value[key], f"{path}.{key}")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    kind = value.get("interactionType")
    if kind is not None and (not isinstance(kind, str) or kind not in INTERACTION_TYPES):
        raise fail(f"{path}.interactionType", "is not an xAPI interaction type")
    if "correctResponsesPattern" in value:
        if kind is None:
            raise fail(f"{path}.correctResponsesPattern", "needs an interactionType")
        pattern = value["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(item, str) for item in pattern):
            raise fail(f"{path}.correctResponsesPattern", "must be an array of strings")
    for key in COMPONENT_LISTS:
        if key in value:
            if kind is None or key not in INTERACTION_TYPES[kind]:
                raise fail(f"{path}.{key}", "is not allowed for this interactionType")
            _components(value[key], f"{path}.{key}")


def activity(value: Any, path: str) -> None:
    value = _obj(value, path)
    _keys(value, ("objectType", "id", "definition"), path, ("id",))
    if value.get("objectType", "Activity") != "Activity":
        raise fail(f"{path}.objectType", "must be Activity")
    iri(value["id"], f"{path}.id")
    if "definition" in value:
        definition(value["definition"], f"{path}.definition")


def statement_ref(value: Any, path: str) -> None:
    value = _obj(value, path)
    _keys(value, ("objectType", "id"), path, ("objectType", "id"))
    if value["objectType"] != "StatementRef":
        raise fail(f"{path}.objectType", "must be StatementRef")
    uuid_value(value["id"], f"{path}.id")


def statement_object(value: Any, path: str, *, sub: bool) -> str:
    value = _obj(value, path)
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        activity(value, path)
    elif kind == "Agent":
        agent(value, path, object_type_required=True)
    elif kind == "Group":
        group(value, path)
    elif kind == "StatementRef":
        statement_ref(value, path)
    elif kind == "SubStatement" and not sub:
        body(value, path, sub=True)
    else:
        raise fail(f"{path}.objectType", "is not an allowed object type here")
    return str(kind)


def result(value: Any, path: str) -> None:
    value = _obj(value, path)
    _keys(value, ("score", "success", "completion", "response", "duration", "extensions"), path)
    if "score" in value:
        score = _obj(value["score"], f"{path}.score")
        _keys(score, ("scaled", "raw", "min", "max"), f"{path}.score")
        numbers = {key: _num(score[key], f"{path}.score.{key}") for key in score}
        if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
            raise fail(f"{path}.score.scaled", "must be between -1 and 1")
        low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
        if low is not None and high is not None and low >= high:
            raise fail(f"{path}.score.min", "must be less than max")
        if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
            raise fail(f"{path}.score.raw", "must lie between min and max")
    for key in ("success", "completion"):
        if key in value:
            _bool(value[key], f"{path}.{key}")
    if "response" in value:
        _str(value["response"], f"{path}.response")
    if "duration" in value:
        duration(value["duration"], f"{path}.duration")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")


def _activities(value: Any, path: str) -> None:
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        activity(item, f"{path}[{index}]")


def _relevant_types(value: Any, path: str) -> None:
    if not isinstance(value, list) or not value:
        raise fail(path, "must be a non-empty array of IRIs")
    for index, item in enumerate(value):
        iri(item, f"{path}[{index}]")


def context(value: Any, path: str, *, object_kind: str, v2: bool) -> None:
    value = _obj(value, path)
    allowed = [
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    ]
    if v2:
        allowed += ["contextAgents", "contextGroups"]
    _keys(value, allowed, path)
    if "registration" in value:
        uuid_value(value["registration"], f"{path}.registration")
    if "instructor" in value:
        actor(value["instructor"], f"{path}.instructor")
    if "team" in value:
        group(value["team"], f"{path}.team")
    if "contextActivities" in value:
        activities = _obj(value["contextActivities"], f"{path}.contextActivities")
        _keys(activities, ("parent", "grouping", "category", "other"), f"{path}.contextActivities")
        for key, item in activities.items():
            _activities(item, f"{path}.contextActivities.{key}")
    for key in ("revision", "platform"):
        if key in value:
            _str(value[key], f"{path}.{key}")
            if object_kind != "Activity":
                raise fail(f"{path}.{key}", "is only used when the object is an Activity")
    if "language" in value:
        lang_tag(value["language"], f"{path}.language")
    if "statement" in value:
        statement_ref(value["statement"], f"{path}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{path}.extensions")
    for key, kind, inner in (("contextAgents", "contextAgent", "agent"), ("contextGroups", "contextGroup", "group")):
        if key not in value:
            continue
        items = value[key]
        if not isinstance(items, list):
            raise fail(f"{path}.{key}", "must be an array")
        for index, item in enumerate(items):
            where = f"{path}.{key}[{index}]"
            item = _obj(item, where)
            _keys(item, ("objectType", inner, "relevantTypes"), where, ("objectType", inner))
            if item["objectType"] != kind:
                raise fail(f"{where}.objectType", f"must be {kind}")
            if inner == "agent":
                agent(item[inner], f"{where}.agent")
            else:
                group(item[inner], f"{where}.group")
            if "relevantTypes" in item:
                _relevant_types(item["relevantTypes"], f"{where}.relevantTypes")


def attachments(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise fail(path, "must be an array")
    for index, item in enumerate(value):
        where = f"{path}[{index}]"
        item = _obj(item, where)
        _keys(
            item,
            ("usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"),
            where,
            ("usageType", "display", "contentType", "length", "sha2"),
        )
        iri(item["usageType"], f"{where}.usageType")
        language_map(item["display"], f"{where}.display")
        if "description" in item:
            language_map(item["description"], f"{where}.description")
        if not MIME_RE.match(_str(item["contentType"], f"{where}.contentType")):
            raise fail(f"{where}.contentType", "must be an Internet media type")
        if isinstance(item["length"], bool) or not isinstance(item["length"], int) or item["length"] < 0:
            raise fail(f"{where}.length", "must be a non-negative integer")
        if not SHA2_RE.match(_str(item["sha2"], f"{where}.sha2")):
            raise fail(f"{where}.sha2", "must be a SHA-2 hex digest")
        if "fileUrl" in item:
            iri(item["fileUrl"], f"{where}.fileUrl")


def body(value: dict[str, Any], path: str, *, sub: bool = False, v2: bool = True) -> None:
    """The properties a statement and a sub-statement share, and the statement's own."""
    if sub:
        _keys(
            value,
            ("objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"),
            path,
            ("actor", "verb", "object"),
        )
    else:
        _keys(
            value,
            (
                "id",
                "actor",
                "verb",
                "object",
                "result",
                "context",
                "timestamp",
                "stored",
                "authority",
                "version",
                "attachments",
                "objectType",
            ),
            path,
            ("actor", "verb", "object"),
        )
        if "objectType" in value:
            raise fail(f"{path}.objectType", "is not a property of a statement")
        if "id" in value:
            uuid_value(value["id"], f"{path}.id")
        if "stored" in value:
            timestamp(value["stored"], f"{path}.stored")
        if "authority" in value:
            authority(value["authority"], f"{path}.authority")
        if "version" in value and not VERSION_RE.match(_str(value["version"], f"{path}.version")):
            raise fail(f"{path}.version", "must be a 1.0.x or 2.0.x version")
    actor(value["actor"], f"{path}.actor")
    verb(value["verb"], f"{path}.verb")
    kind = statement_object(value["object"], f"{path}.object", sub=sub)
    if value["verb"]["id"] == VOIDED and not sub and kind != "StatementRef":
        raise fail(f"{path}.object", "a voiding statement's object is a StatementRef")
    if "result" in value:
        result(value["result"], f"{path}.result")
    if "context" in value:
        context(value["context"], f"{path}.context", object_kind=kind, v2=v2)
    if "timestamp" in value:
        timestamp(value["timestamp"], f"{path}.timestamp")
    if "attachments" in value:
        attachments(value["attachments"], f"{path}.attachments")


def shallow(value: Any, path: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` (checked without recursion, so no depth can break it)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if level + 1 > limit:
                    raise fail(path, f"nested too deep (more than {limit} levels)")
                stack.append((child, level + 1))


def statement(value: Any, *, v2: bool, path: str = "statement") -> dict[str, Any]:
    checked = _obj(value, path)
    shallow(checked, path)
    body(checked, path, v2=v2)
    return checked


def agent_param(value: Any, path: str = "agent") -> dict[str, Any]:
    """An Agent (or identified Group) given as a query parameter."""
    checked = _obj(value, path)
    if checked.get("objectType") == "Group":
        group(checked, path)
    else:
        agent(checked, path)
    return checked


def new_uuid() -> str:
    return str(uuid.uuid4())
