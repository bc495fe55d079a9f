"""项目制培训 — training projects the bureau buys from a provider (政府购买服务; Shandong's "一县一项目"): the project
with its budget, price per trainee, size and employment target; the provider's classes run under it; its settlement
on the trainees who finished (``jineng.rules.projects.settle``).

Who: an official with ``records.review`` over the buying region creates the project, links classes and settles it;
the one who created a project may not settle it (four eyes on money). Classes linked are the contracted provider's
own, held in the buying region or below it, running wholly within the project's period (开班 on or after its start,
结业 on or before its end), not linked to another project; a project settled or cancelled takes no more classes.
Settlement counts only the finished trainees of linked classes that lie within the period. The money is paid through
subsidies (a higher app, ADR 0007): the hook it registers (``register_settlement_hook``) turns a settlement into one
职业培训补贴 claim per trainee who finished, reviewed by yet another person and paid by the bank like any claim — the
subsidies ledger posts each paid line; a settlement the hook refuses (no payee account, no policy in force, a trainee
already claimed for) is not made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Actor, Organization, actor_user, require
from jineng.common.audit.services import audit_event
from jineng.common.errors import Conflict, PermissionDenied, invalid
from jineng.common.ids import uuid_or_none
from jineng.refdata.api import region_subtree, region_validate
from jineng.rules.projects import settle
from jineng.training.errors import Code, TransitionRefused
from jineng.training.events import Event
from jineng.training.models import (
    EmploymentOutcome,
    Enrollment,
    EnrollmentStatus,
    ProjectStatus,
    TrainingClass,
    TrainingForm,
    TrainingProject,
)
from jineng.training.services.support import REVIEW, next_serial

# A project's money, bounded (¥1 亿 a project, ¥10 万 a trainee): a typo cannot buy a province.
MAX_BUDGET_FEN = 10_000_000_000
MAX_PRICE_FEN = 10_000_000
MAX_TRAINEES = 100_000
OLDEST_PROJECT = dt.date(2000, 1, 1)
YEARS_AHEAD = 5  # a project runs at most to the end of the year five years from now


@dataclass(frozen=True)
class ProjectInput:
    name: str
    region: str
    organization_id: Any
    contract_number: str
    budget_fen: Any
    price_per_trainee_fen: Any
    target_trainees: Any
    start_date: dt.date
    end_date: dt.date
    theme: str = ""
    target_employment_percent: Any = 0


def _int(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(field=field, code=Code.OUT_OF_RANGE, message=f"{label}应为 {low} 至 {high} 的整数。")
    return int(value)


def project_create(*, actor: Actor, data: ProjectInput) -> TrainingProject:
    """立项 — refusals name the field: ``required`` (name, contract), ``unknown_region``, ``not_a_provider``,
    ``out_of_range`` (money, size, percent), ``bad_date`` (before 2000 or past this year + 5), ``bad_range``
    (dates)."""
    region = region_validate(data.region, field="region")
    require(actor, REVIEW, region_code=region.code)
    name, contract = (data.name or "").strip(), (data.contract_number or "").strip()
    if not name:
        raise invalid(field="name", code=Code.REQUIRED, message="请填写项目名称。")
    if not contract:
        raise invalid(field="contract_number", code=Code.REQUIRED, message="请填写政府购买服务合同编号。")
    org_id = uuid_or_none(data.organization_id)  # a name or any non-id text is no organization, never a 500
    org = Organization.objects.filter(pk=org_id).first() if org_id else None
    if org is None or org.kind != "provider":
        raise invalid(field="organization", code=Code.NOT_A_PROVIDER, message="承接机构应为培训机构。")
    budget = _int(data.budget_fen, field="budget_fen", label="项目预算（分）", low=1, high=MAX_BUDGET_FEN)
    price = _int(data.price_per_trainee_fen, field="price_per_trainee_fen", label="人均结算标准（分）", low=1,
                 high=MAX_PRICE_FEN)  # fmt: skip
    size = _int(data.target_trainees, field="target_trainees", label="计划培训人数", low=1, high=MAX_TRAINEES)
    percent = _int(data.target_employment_percent, field="target_employment_percent", label="就业率目标", low=0,
                   high=100)  # fmt: skip
    latest = dt.date(timezone.localdate().year + YEARS_AHEAD, 12, 31)
    for field, day, label in (("start_date", data.start_date, "开始日期"), ("end_date", data.end_date, "结束日期")):
        if not OLDEST_PROJECT <= day <= latest:
            raise invalid(field=field, code=Code.BAD_DATE,
                          message=f"{label}应在 {OLDEST_PROJECT:%Y-%m-%d} 至 {latest:%Y-%m-%d} 之间。")  # fmt: skip
    if data.end_date < data.start_date:
        raise invalid(field="end_date", code=Code.BAD_RANGE, message="结束日期不能早于开始日期。")
    with transaction.atomic():
        year = data.start_date.year
        project = TrainingProject.objects.create(
            code=f"XM{year}{region.code}{next_serial('XM' + region.code, year):04d}", name=name[:200],
            region_id=region.code, organization=org, contract_number=contract[:60], theme=(data.theme or "")[:200],
            budget_fen=budget, price_per_trainee_fen=price, target_trainees=size, target_employment_percent=percent,
            start_date=data.start_date, end_date=data.end_date, created_by=actor_user(actor),
        )  # fmt: skip
        audit_event(Event.PROJECT_CREATE, actor=actor, object_id=project.pk, region_code=region.code,
                    after={"code": project.code, "provider": org.name, "budget_fen": budget, "price_fen": price,
                           "trainees": size})  # fmt: skip
    return project


def project_add_class(*, actor: Actor, project: TrainingProject, training_class: TrainingClass) -> TrainingClass:
    """纳入项目 — a class of the contracted provider in the project's region joins the project (its 组织形式 becomes
    项目制)."""
    require(actor, REVIEW, region_code=project.region_id)
    with transaction.atomic():
        project = TrainingProject.objects.select_for_update().get(pk=project.pk)
        cls: TrainingClass = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if project.status != ProjectStatus.CONTRACTED:
            raise TransitionRefused("项目已结算或撤销，不能再纳入班级。", code=Code.PROJECT_CLOSED)
        if cls.organization_id != project.organization_id:
            raise invalid(field="class", code=Code.NOT_PROJECT_PROVIDER, message="只能纳入承接机构自己的班级。")
        if not TrainingClass.objects.filter(pk=cls.pk, region_id__in=region_subtree(project.region_id)).exists():
            raise invalid(field="class", code=Code.OUTSIDE_PROJECT_REGION, message="班级不在项目购买地区内。")
        if cls.start_date < project.start_date or cls.end_date > project.end_date:
            raise invalid(field="class", code=Code.OUTSIDE_PROJECT_PERIOD,
                          message=f"班级 {cls.code}（{cls.start_date}至{cls.end_date}）不在项目周期"
                                  f"（{project.start_date}至{project.end_date}）内。")  # fmt: skip
        if cls.project_id is not None and cls.project_id != project.pk:
            raise Conflict("该班级已属于另一个项目。", code=Code.CLASS_IN_OTHER_PROJECT)
        cls.project = project
        cls.training_form = TrainingForm.PROJECT
        cls.save(update_fields=["project", "training_form", "updated_at"])
        audit_event(Event.PROJECT_CLASS_ADD, actor=actor, object_id=project.pk, region_code=project.region_id,
                    after={"class": cls.code})  # fmt: skip
    return cls


# What happens to a settlement's money: subsidies registers its claims maker when it loads (``hook(actor=,
# project=, payee_bank=, payee_account=)``, called inside the settlement's transaction; its refusal undoes it).
SettlementHook = Callable[..., Any]
_settlement_hooks: list[SettlementHook] = []


def register_settlement_hook(hook: SettlementHook) -> None:
    _settlement_hooks[:] = [hook]


def project_finished_enrollments(project: TrainingProject) -> Any:
    """The enrollments a settlement pays for: finished, in the project's classes held within its period."""
    in_period = project.classes.filter(start_date__gte=project.start_date, end_date__lte=project.end_date)
    return Enrollment.objects.filter(training_class__in=in_period, status=EnrollmentStatus.FINISHED)


def project_figures(project: TrainingProject) -> dict[str, int]:
    """Trainees who finished the project's classes held within its period and those of them with an employment
    outcome; a class linked before the period rule (or moved out of the period since) earns nothing."""
    in_period = project.classes.filter(start_date__gte=project.start_date, end_date__lte=project.end_date)
    finished = project_finished_enrollments(project)
    employed = EmploymentOutcome.objects.filter(enrollment__in=finished).values("enrollment_id").distinct().count()
    return {"finished": finished.count(), "employed": employed, "classes": in_period.count()}


def project_settle(
    *, actor: Actor, project: TrainingProject, payee_bank: str = "", payee_account: str = ""
) -> TrainingProject:
    """结算 — on the trainees who finished: the lower of the budget and price × finished, with the employment rate
    against the target; by an official other than the one who created the project. The amount is paid to the
    provider's account (``payee_bank``, ``payee_account``) through subsidies' claims (the registered hook)."""
    require(actor, REVIEW, region_code=project.region_id)
    with transaction.atomic():
        project = TrainingProject.objects.select_for_update().get(pk=project.pk)
        if project.status != ProjectStatus.CONTRACTED:
            raise TransitionRefused("项目已结算或撤销。", code=Code.PROJECT_CLOSED)
        user = actor_user(actor)
        if user is not None and project.created_by_id == user.pk:
            raise PermissionDenied("立项人不能结算本项目（须由另一人结算）。")
        figures = project_figures(project)
        result = settle(budget_fen=project.budget_fen, price_fen=project.price_per_trainee_fen,
                        finished=figures["finished"], employed=figures["employed"],
                        target_percent=project.target_employment_percent)  # fmt: skip
        project.status = ProjectStatus.SETTLED
        project.settled_trainees, project.settled_employed = result.trainees, result.employed
        project.settled_fen = result.amount_fen
        project.settled_at, project.settled_by = timezone.now(), user
        project.save()
        for hook in _settlement_hooks:
            hook(actor=actor, project=project, payee_bank=payee_bank, payee_account=payee_account)
        audit_event(Event.PROJECT_SETTLE, actor=actor, object_id=project.pk, region_code=project.region_id,
                    after={"trainees": result.trainees, "employed": result.employed, "amount_fen": result.amount_fen,
                           "capped": result.capped, "employment_percent": result.employment_percent,
                           "target_met": result.target_met})  # fmt: skip
    return project
