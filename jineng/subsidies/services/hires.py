"""新招用职工 — an enterprise records a person it hired (the qualifying event of 以工代训补贴): the person found or
registered by ID number, the hire date, the labour contract's term and the first day insured by the enterprise.

The record is the registry's employment history (``employment_add``); a person the platform does not know yet is
registered with the group the enterprise declares (就业困难人员, 高校毕业生 …, source 企业申报), which the claim's
checks read and the county office verifies at 受理.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from jineng.accounts.api import Actor, Organization
from jineng.common.errors import Conflict, FieldError, PermissionDenied, ValidationFailed
from jineng.registry.api import EmploymentRecord, Group, employment_add, person_create, person_resolve
from jineng.subsidies.services.support import is_org_staff, today

# The groups an enterprise may declare for a hire it registers (those 以工代训 policies name).
HIRE_GROUPS = (Group.EMPLOYMENT_DIFFICULTY, Group.COLLEGE_GRADUATE, Group.UNEMPLOYED)
MAX_CONTRACT_MONTHS = 120


@dataclass(frozen=True)
class HireInput:
    organization_id: Any
    id_number: str
    hired_on: dt.date | None
    contract_months: int | None  # 0: open-ended (无固定期限)
    insured_from: dt.date | None
    name: str = ""  # required only when the person is not registered yet
    group: str = ""  # declared when the person is registered here
    graduation_year: int | None = None


@dataclass(frozen=True)
class _Membership:
    """The shape registry's person_create takes for a group membership."""

    group: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    graduation_year: int | None = None
    source: str = "企业申报"
    evidence: str = ""


def _enterprise(actor: Actor, organization_id: Any) -> Organization:
    org = Organization.objects.filter(pk=organization_id).first() if organization_id else None
    if org is None:
        raise ValidationFailed("请选择本企业。", [FieldError("organization", "required", "请选择本企业。")])
    if not is_org_staff(actor, org.pk):
        raise PermissionDenied("您不是该企业的经办人员。")
    if org.kind != "enterprise":
        raise ValidationFailed("只有企业可以登记新招用职工。",
                               [FieldError("organization", "not_enterprise", "申请单位应为企业。")])  # fmt: skip
    return org


def _check(data: HireInput, on: dt.date) -> list[FieldError]:
    errors: list[FieldError] = []
    if data.hired_on is None:
        errors.append(FieldError("hired_on", "required", "请填写招用（入职）日期。"))
    elif data.hired_on > on:
        errors.append(FieldError("hired_on", "in_future", "招用日期不能晚于今天。"))
    if data.contract_months is None:
        errors.append(FieldError("contract_months", "required", "请填写劳动合同期限（月；无固定期限填 0）。"))
    elif not 0 <= data.contract_months <= MAX_CONTRACT_MONTHS:
        errors.append(
            FieldError("contract_months", "out_of_range", f"劳动合同期限应在 0–{MAX_CONTRACT_MONTHS} 个月之间。")
        )
    if data.insured_from is None:
        errors.append(FieldError("insured_from", "required", "请填写本企业为其参加社会保险的起始日期。"))
    elif data.insured_from > on:
        errors.append(FieldError("insured_from", "in_future", "参保起始日期不能晚于今天。"))
    elif data.hired_on is not None and data.insured_from < data.hired_on:
        errors.append(FieldError("insured_from", "before_hire", "参保起始日期不能早于招用日期。"))
    if data.group and data.group not in HIRE_GROUPS:
        errors.append(FieldError("group", "unknown_group", "人员类别应为就业困难人员、高校毕业生或失业人员。"))
    if data.group == Group.COLLEGE_GRADUATE and not data.graduation_year:
        errors.append(FieldError("graduation_year", "required", "高校毕业生请填写毕业年度。"))
    return errors


def hire_record(*, actor: Actor, data: HireInput, on: dt.date | None = None) -> EmploymentRecord:
    """登记新招用职工 — checked: the actor is the enterprise's staff, dates are not in the future, the contract and the
    social insurance are declared, the same hire is not recorded twice. Registers an unknown person."""
    day = on or today()
    org = _enterprise(actor, data.organization_id)
    errors = _check(data, day)
    number = (data.id_number or "").strip().upper()
    if not number:
        errors.append(FieldError("id_number", "required", "请填写身份证件号码。"))
    if not data.name.strip():
        # Always the name with the number: a number alone turned any ID number into its holder's name and groups.
        errors.append(FieldError("name", "required", "请填写姓名。"))
    if errors:
        raise ValidationFailed("新招用职工登记不正确。", errors)
    assert data.hired_on is not None  # checked above  # noqa: S101
    with transaction.atomic():
        person = person_resolve(number)
        if person is None:
            groups = []
            if data.group:
                groups.append(_Membership(group=data.group, valid_from=data.hired_on - dt.timedelta(days=1),
                                          graduation_year=data.graduation_year))  # fmt: skip
            person = person_create(
                actor=actor, name=data.name, id_number=number, residence_region=org.region_id,
                groups=groups,  # type: ignore[arg-type]
                attribute_region=org.region_id, check_permission=False,
            )  # fmt: skip
        elif data.name.strip() != person.name:
            # Says nothing of whom the number belongs to, nor whether it is registered at all.
            raise ValidationFailed("姓名与证件号码不符，请核对。",
                                   [FieldError("name", "name_mismatch", "姓名与证件号码不符，请核对。")])  # fmt: skip
        if EmploymentRecord.objects.filter(
            person=person, employer_credit_code=org.credit_code, started_on=data.hired_on
        ).exists():
            raise Conflict("该职工的这次招用已登记。", code="hire_exists")
        return employment_add(
            actor=actor, person=person, status="employed", started_on=data.hired_on, employer_name=org.name,
            employer_credit_code=org.credit_code, source="企业登记", contract_months=data.contract_months,
            insured_from=data.insured_from,
        )  # fmt: skip


def hires_of(organization: Organization) -> QuerySet[EmploymentRecord]:
    """The enterprise's hires, newest first."""
    return (
        EmploymentRecord.objects.filter(employer_credit_code=organization.credit_code, status="employed")
        .select_related("person")
        .order_by("-started_on", "-created_at")
    )
