"""Scope cases of the certificates app's URLs, registered into tests/scope_cases.py by ``register_certificate_cases``.

Each factory makes a record attributed to the given region directly through the ORM (the scope test makes many).
Markers are ASCII (the JSON of the API escapes Chinese).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _org(region: str) -> Any:
    from jineng.accounts.models import Organization
    from jineng.common.codes import credit_code_check_char

    serial = str(uuid4().int % 10**9).zfill(9)
    first17 = f"52{region}{serial}"
    return Organization.objects.create(
        kind="evaluator", name=f"探针评价机构P{serial}", region_id=region,
        credit_code=first17 + credit_code_check_char(first17),
    )  # fmt: skip


def _filing(region: str) -> Any:
    from jineng.certificates.models import EvaluatorFiling
    from jineng.refdata.models import Occupation

    org = _org(region)
    filing = EvaluatorFiling.objects.create(
        organization=org, route="social", occupation=Occupation.objects.get(code="4-04-05-01", level="occupation"),
        level_id="grade4", region_id=region, valid_from=dt.date(2020, 1, 1),
    )  # fmt: skip
    filing.marker = org.name.split("P")[-1]
    return filing


def _session(region: str) -> Any:
    from django.utils import timezone

    from jineng.certificates.models import ExamSession

    filing = _filing(region)
    starts = timezone.now() - dt.timedelta(days=1)
    session = ExamSession.objects.create(
        code=f"KSPROBE{uuid4().hex[:10].upper()}", organization=filing.organization, filing=filing, route="social",
        certificate_kind_id="skill_level", occupation=filing.occupation, level_id="grade4", venue_region_id=region,
        venue_address="探针考点", starts_at=starts, exam_date=timezone.localtime(starts).date(), duration_minutes=90,
    )  # fmt: skip
    session.marker = filing.marker
    return session


def _certificate(region: str) -> Any:
    from django.utils import timezone

    from jineng.certificates.models import Certificate
    from jineng.registry.models import Person

    person = Person.objects.create(name="探针持证人")
    org = _org(region)
    return Certificate.objects.create(
        number=f"PROBE{uuid4().hex[:16].upper()}", kind_id="skill_level", person=person, holder_name=person.name,
        occupation_name="计算机程序设计员", level_id="grade4", issuer=org, issuer_name=org.name,
        issued_on=timezone.localdate(), region_id=region, source="exam",
    )  # fmt: skip


WRITE = "write; permission and scope checked by the service (require/get_visible), tested in jineng/certificates/tests"
PUBLIC = "public (no login): verification by exact number and name, credentials, published keys; rate limited"


def register_certificate_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    api = "/api/v1"
    number = lambda o: o.number  # noqa: E731
    for name, make, url, kind, permission, marker in [
        ("api:filing_list", _filing, lambda o: f"{api}/evaluation/filings?page_size=500", "list", "records.view",
         lambda o: str(o.pk)),
        ("api:session_list", _session, lambda o: f"{api}/exam-sessions?page_size=500", "list", "records.view",
         lambda o: str(o.pk)),
        ("api:session_detail", _session, lambda o: f"{api}/exam-sessions/{o.pk}", "detail", "records.view", None),
        ("api:session_supervision", _session, lambda o: f"{api}/exam-sessions/{o.pk}/supervision", "detail",
         "records.view", None),
        ("api:session_available_examiners", _session, lambda o: f"{api}/exam-sessions/{o.pk}/available-examiners",
         "detail", "org.edit", None),
        ("api:supervision", _session, lambda o: f"{api}/evaluation/supervision", "list", "records.view",
         lambda o: o.marker),
        ("api:certificate_list", _certificate, lambda o: f"{api}/certificates?page_size=500", "list", "records.view",
         number),
        ("api:certificate_detail", _certificate, lambda o: f"{api}/certificates/{o.number}", "detail", "records.view",
         None),
        ("api:certificate_credential", _certificate, lambda o: f"{api}/certificates/{o.number}/credential", "detail",
         "records.view", None),
        ("api:certificate_pdf", _certificate, lambda o: f"{api}/certificates/{o.number}/pdf", "detail",
         "records.view", None),
        ("certificates:list", _certificate, lambda o: "/certificates/", "list", "records.view", number),
        ("certificates:detail", _certificate, lambda o: f"/certificates/{o.number}/", "detail", "records.view", None),
        ("certificates:sessions", _session, lambda o: "/evaluation/sessions/", "list", "records.view",
         lambda o: o.code),
        ("certificates:session", _session, lambda o: f"/evaluation/sessions/{o.pk}/", "detail", "records.view", None),
        ("certificates:supervision", _session, lambda o: "/evaluation/supervision/", "list", "records.view",
         lambda o: o.marker),
        ("certificates:filings", _filing, lambda o: "/evaluation/filings/", "list", "records.view",
         lambda o: o.marker),
    ]:  # fmt: skip
        if marker is None:
            register(name, case(kind, make, url, permission))
        else:
            register(name, case(kind, make, url, permission, marker))
    for name in (
        "api:filing_create_view", "api:filing_revoke_view", "api:pass_rule_create", "api:session_create_view",
        "api:session_examiner_add", "api:session_candidate_add", "api:session_candidates_from_class",
        "api:session_result_record", "api:session_close_view", "api:session_cancel_view", "api:session_certificates_issue",
        "api:certificate_revoke_view", "api:certificate_correct_view", "certificates:session_examiner_add",
        "certificates:session_candidate_add", "certificates:session_from_class", "certificates:session_result",
        "certificates:session_close", "certificates:session_cancel", "certificates:session_issue", "certificates:revoke", "certificates:correct",
        "certificates:filing_revoke", "api:session_roster_reopen_view", "certificates:session_roster_reopen",
    ):  # fmt: skip
        register(name, exempt(WRITE))
    register("certificates:session_new", exempt("form for the evaluation organization's own staff (404 for others)"))
    register("certificates:mine", exempt("the signed-in worker's own certificates (tested in certificates tests)"))
    register("api:pass_rule_list", exempt("合格标准 are published standards, no regional records"))
    for name in ("api:public_certificate_verify", "api:public_credential_verify", "verify:verify",
                 "verify:credential", "verify:jwks"):  # fmt: skip
        register(name, exempt(PUBLIC))
