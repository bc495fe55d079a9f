"""Home page cards per role — only real numbers from the database. Apps register their own cards here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import Function, Grant, Organization, User, principal_for, visible
from jineng.common.jobs.models import Job, JobStatus
from jineng.common.models import AuditEntry
from jineng.credits.api import balance_of
from jineng.refdata.api import RegionSetting


@dataclass(frozen=True)
class Card:
    """One home tile. ``value`` is a number (shown large) or a short text such as an organization's name."""

    title: str
    value: Any
    hint: str = ""
    url: str = ""


CardSource = Callable[[Any], list[Card]]
_SOURCES: list[tuple[str | None, CardSource]] = []


def register_home_cards(permission: str | None, source: CardSource) -> None:
    _SOURCES.append((permission, source))


def home_cards(user: Any) -> list[Card]:
    p = principal_for(user)
    cards: list[Card] = []
    for permission, source in _SOURCES:
        if permission is None or p.has(permission):
            cards.extend(source(user))
    return cards


def _kernel_cards(user: Any) -> list[Card]:
    since = timezone.now() - timedelta(days=7)
    return [
        Card(
            str(_("近7天审计事件")),
            visible(AuditEntry, user, "audit.view").filter(at__gte=since).count(),
            "",
            "/audit/",
        ),
        Card(
            str(_("运行中的作业")),
            visible(Job, user, "jobs.view").filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).count(),
            "",
            "/jobs/",
        ),
    ]


# The kernel counts are an administrator's: everyone else's workbench shows their to-dos (jineng.web.todos).
register_home_cards("admin.access", _kernel_cards)


def _settings_cards(user: Any) -> list[Card]:
    today = timezone.localdate()
    in_force = (
        visible(RegionSetting, user, "settings.view").filter(valid_from__lte=today).exclude(valid_to__lt=today).count()
    )
    return [Card(str(_("现行参数调整")), in_force, str(_("本辖区现行的地区参数版本")), "/settings/")]


def _users_cards(user: Any) -> list[Card]:
    count = visible(User, user, "users.manage").filter(is_active=True).count()
    return [Card(str(_("辖区内用户")), count, str(_("启用中的账号")), "/users/")]


def _active_grants() -> Any:
    now = timezone.now()
    return Grant.objects.filter(revoked_at__isnull=True, valid_from__lte=now).exclude(valid_until__lte=now)


def _organization_cards(user: Any) -> list[Card]:
    """For provider staff, enterprise HR and evaluators: the organizations they act for and who else does."""
    org_ids = principal_for(user).orgs_with("org.view")
    cards: list[Card] = []
    for org in Organization.objects.filter(pk__in=org_ids).select_related("region").order_by("name"):
        cards.append(Card(str(_("所属机构")), org.name, f"{org.get_kind_display()} · {org.region.name}"))
        staff = _active_grants().filter(organization=org).values("user_id").distinct().count()
        cards.append(Card(str(_("本机构账号")), staff, org.name))
    return cards


def _worker_cards(user: Any) -> list[Card]:
    """For workers: whether the account is linked to their real-name record, which everything they see hangs on, and
    then their own records, each card a link to its page (issue 15: on a phone, where the sidebar is folded away, the
    worker's home led nowhere)."""

    from jineng.certificates.api import Certificate
    from jineng.registry.api import Person
    from jineng.subsidies.api import own_claims, vouchers_of_person
    from jineng.training.api import enrollments_of, joinable_classes, near_region

    if not _active_grants().filter(user=user, function=Function.WORKER).exists():
        return []
    linked = user.person_id is not None
    cards = [
        Card(
            str(_("实名档案")),
            str(_("已关联")) if linked else str(_("未关联")),
            str(_("可查看本人的培训、证书和补贴记录")) if linked else str(_("关联实名档案后才能查看本人记录")),
            reverse("registry:my_archive") if linked else "",
        )
    ]
    if not linked:
        return cards
    person = user.person_id
    total = sum(balance_of(person).values())
    home = Person.objects.filter(pk=person).select_related("residence_region").first()
    near = near_region(home.residence_region if home is not None else None)  # what 找培训 opens on
    return cards + [
        Card(str(_("找培训")), joinable_classes(today=timezone.localdate(), region=near).count(),
             str(_("即将开班的培训班：预计补贴，在线报名")), reverse("training:find")),
        Card(str(_("我的培训")), enrollments_of(person).count(), str(_("培训班、学时与结业结果")), reverse("training:mine")),
        Card(str(_("我的证书")), Certificate.objects.filter(person_id=person).count(), str(_("职业技能等级证书等")),
             reverse("certificates:mine")),
        Card(str(_("我的培训券")), vouchers_of_person(person).count(), str(_("领取与使用情况")),
             reverse("subsidies:my_vouchers")),
        Card(str(_("我的补贴")), own_claims(user).count(), str(_("补贴申请与发放")),
             reverse("subsidies:mine")),
        Card(str(_("我的学分")), total, _credit_hint(user), reverse("credits:mine")),
    ]  # fmt: skip


def _credit_hint(user: Any) -> str:
    """The credits card's line: a conversion waiting for the worker's online consent is said first."""
    from jineng.credits.api import conversions_awaiting_consent

    waiting = conversions_awaiting_consent(user).count()
    if waiting:
        return str(_("%(n)s 项学分转换待您确认") % {"n": waiting})
    return str(_("可用技能学分，可申请互认或转换"))


def _competition_official_cards(user: Any) -> list[Card]:
    """Officials: events waiting for their office's approval, and results waiting for 审核, 公示 or 确认."""
    from jineng.competitions.api import official_steps

    steps = official_steps(user)
    # Every results step the to-do list shows (审核, 公示, 确认, 异议, 晋级名单), so the tile counts what it lists.
    n_results = sum(qs.count() for step, qs in steps.items() if step != "approve")
    if not steps["approve"].exists() and not n_results:
        return []
    return [
        Card(str(_("赛事待批准")), steps["approve"].count(), str(_("职业技能竞赛报备")), "/competitions/?status=filed"),
        Card(
            str(_("竞赛成绩待办")),
            n_results,
            str(_("待审核、待公示、公示期满待确认、异议与晋级名单")),
            "/competitions/?status=approved",
        ),
    ]


def _competition_org_cards(user: Any) -> list[Card]:
    """Enterprises and providers: events their workers may be registered for; organizers: results to enter."""
    from jineng.competitions.api import events_open_to, organizer_steps, registering_organization

    org = registering_organization(user)
    cards = []
    if org is not None:
        cards.append(Card(str(_("可报名的竞赛")), events_open_to(org).count(), org.name, "/competitions/open/"))
    pending = organizer_steps(user)["results"].count()
    if pending:
        cards.append(Card(str(_("竞赛成绩待录入")), pending, str(_("赛事已结束、尚有选手无成绩")), "/competitions/"))
    return cards


register_home_cards("records.review", _competition_official_cards)
register_home_cards("org.edit", _competition_org_cards)
register_home_cards("admin.access", _settings_cards)
register_home_cards("users.manage", _users_cards)
register_home_cards("org.view", _organization_cards)
register_home_cards("self.view", _worker_cards)
