"""Scope cases of the credit bank's URLs, registered into tests/scope_cases.py by ``register_credit_cases``. Each
factory makes a record attributed to the given region through the ORM: a person residing there with one entry
attributed there, or a recognition request of that region."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any
from uuid import uuid4


def _person(region: str) -> Any:
    from jineng.registry.services.persons import person_create
    from jineng.rules.idcard import check_character

    born = dt.date(1960, 1, 1) + dt.timedelta(days=random.randint(0, 15000))
    body = f"{region}{born:%Y%m%d}{random.randint(0, 999):03d}"
    return person_create(actor=None, name="探针学分", id_number=body + check_character(body), residence_region=region,
                         check_permission=False)  # fmt: skip


def _entry(region: str) -> Any:
    from jineng.credits.models import CreditEntry

    person = _person(region)
    CreditEntry.objects.create(person=person, region_id=region, category="certificate", kind="earn", credits=2,
                               source_key=f"certificate:{uuid4()}", source_label="探针证书", on=dt.date(2026, 1, 5))  # fmt: skip
    return person


def _recognition(region: str) -> Any:
    from jineng.credits.models import Recognition

    other = "430100" if not region.startswith("43") else "440100"
    return Recognition.objects.create(person=_person(region), region_id=region, from_region_id=other,
                                      record_ref=f"PROBE-{uuid4().hex[:10]}", issuer="探针单位", description="探针记录",
                                      category="training", credits=1, earned_on=dt.date(2025, 1, 1))  # fmt: skip


def _conversion(region: str) -> Any:
    from jineng.credits.models import Conversion, CreditRuleSet

    rule_set = CreditRuleSet.objects.filter(region_id="440000").first() or CreditRuleSet.objects.create(
        region_id="440000", version=999, valid_from=dt.date(2020, 1, 1), basis="探针规则", rules={}
    )
    return Conversion.objects.create(person=_person(region), region_id=region, target="module_hours",
                                     target_label=f"探针模块{uuid4().hex[:8]}", credits=1, rule_set=rule_set,
                                     reason="探针", consent_method="signed_form", consent_ref="PROBE",
                                     consent_on=dt.date(2026, 1, 1))  # fmt: skip


def register_credit_cases(register: Callable[[str, Any], None], case: Any, exempt: Any) -> None:
    register("credits:list", case("list", _entry, lambda o: "/credits/", "records.view", lambda o: str(o.pk)))
    register("credits:person", case("detail", _entry, lambda o: f"/credits/persons/{o.pk}/", "records.view"))
    register("credits:recognitions", case("list", _recognition, lambda o: "/credits/recognitions/", "records.view",
                                          lambda o: o.record_ref))  # fmt: skip
    register("credits:recognition", case("detail", _recognition, lambda o: f"/credits/recognitions/{o.pk}/",
                                         "records.view"))  # fmt: skip
    register("credits:conversions", case("list", _conversion, lambda o: "/credits/conversions/", "records.view",
                                         lambda o: o.target_label))  # fmt: skip
    register("credits:conversion", case("detail", _conversion, lambda o: f"/credits/conversions/{o.pk}/",
                                        "records.view"))  # fmt: skip
    register("credits:mine", exempt("the worker's own account only (person_id of the signed-in user; tested)"))
    register("credits:transcript", exempt("the worker's own account only, as a signed credential (tested)"))
    register("credits:verify", exempt("public verifier: shows only what the pasted transcript itself says (tested)"))
    register("credits:rules", exempt("credit rules are published policy without personal data (public=True)"))
    register("credits:recognition_new", exempt("form page; the service checks records.review over the region"))
    write = "POST only; get_visible then the service's permission (tested)"
    for name in ("credits:derive", "credits:convert", "credits:recognition_decide", "credits:conversion_decide"):
        register(name, exempt(write))
    api = "/api/v1"
    register("api:my_account", exempt("the caller's own account only (person_id of the signed-in user; tested)"))
    register("api:person_account", case("detail", _entry, lambda o: f"{api}/credits/persons/{o.pk}", "records.view"))
    register("api:conversion_list", case("list", _conversion, lambda o: f"{api}/credits/conversions?page_size=200",
                                         "records.view", lambda o: str(o.pk)))  # fmt: skip
    register("credits:transcript_pdf", exempt("the worker's own account only, as a PDF (tested)"))
    register("credits:issuers", exempt("trusted issuers: names and public keys of other deployments, no personal data"))
    for name in ("credits:rules_new", "credits:rules_draft", "credits:rules_decide", "credits:issuer_deactivate"):
        register(name, exempt("credit rules and issuers are policy without personal data; writes check settings.edit"))
    imports = ("scoped by accounts.visible over the import's region (selectors.imports_visible); making one needs a "
               "signed transcript of another deployment, exercised in test_exchange.py")  # fmt: skip
    for name in ("credits:imports", "credits:import"):
        register(name, exempt(imports))
    register("credits:import_new", exempt("form page; the service checks records.review over the chosen region"))
    register("credits:consent", exempt("POST only; the worker's own conversion (person_id of the signed-in user)"))
    for name in ("api:recognition_create", "api:recognition_decision", "api:conversion_create",
                 "api:conversion_decision", "api:rules_draft", "api:rules_decision", "api:issuer_create",
                 "api:issuer_deactivate", "api:import_create"):  # fmt: skip
        register(name, exempt("POST only; the service checks the permission over the record's region (tested)"))
    for name in ("api:my_conversions", "api:my_consent", "api:my_transcript", "api:my_transcript_pdf"):
        register(name, exempt("the caller's own account only (person_id of the signed-in user; tested)"))
    register("api:rules_list", exempt("credit rules are published policy without personal data (public=True)"))
    register("api:issuer_list", exempt("trusted issuers: names and public keys of other deployments, no personal data"))
    register("api:recognition_list", case("list", _recognition, lambda o: f"{api}/credits/recognitions?page_size=200",
                                          "records.view", lambda o: o.record_ref))  # fmt: skip
