"""``jineng seed --scale demo`` — reference data and the living demo: organizations with profiles, the demo
accounts, persons, catalogs, classes in every state, exams, claims at every stage, payments, vouchers, a plan for the
current years and the indicators' roll-ups (docs/demo.md). Idempotent. ``--scale tiny|small|province``: the bulk
generator."""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from jineng.accounts.models import Grant, User
from jineng.accounts.roles import Function
from jineng.accounts.services import grant_create, user_create
from jineng.common.errors import DomainError
from jineng.refdata.models import Occupation, Plan, Region
from jineng.rules.idcard import check_character

DEMO_PASSWORD = "Jineng-demo-2026"  # noqa: S105 - the documented demo password

# (username, display name, function, region, organization key, superuser). Each step of a claim is done by a
# different person: 受理 county, 初审 city, 复审 demo-reviewer, the batch demo-province, its return demo-finance.
DEMO_ACCOUNTS: list[tuple[str, str, str, str | None, str | None, bool]] = [
    ("admin", "系统管理员", Function.SYSADMIN, "000000", None, True),
    ("demo-security", "安全管理员", Function.SECURITY_ADMIN, "440000", None, False),
    ("demo-auditor", "审计管理员", Function.AUDIT_ADMIN, "440000", None, False),
    ("demo-province", "广东省人社厅 经办", Function.PROVINCE_OFFICIAL, "440000", None, False),
    ("demo-city", "广州市人社局 经办", Function.CITY_OFFICIAL, "440100", None, False),
    ("demo-shenzhen", "深圳市人社局 经办", Function.CITY_OFFICIAL, "440300", None, False),
    ("demo-county", "天河区人社局 经办", Function.COUNTY_OFFICIAL, "440106", None, False),
    ("demo-county2", "越秀区人社局 经办", Function.COUNTY_OFFICIAL, "440104", None, False),
    ("demo-futian", "福田区人社局 经办", Function.COUNTY_OFFICIAL, "440304", None, False),
    ("demo-provider", "天河职业培训学校 教务", Function.PROVIDER_STAFF, None, "provider", False),
    ("demo-provider-sz", "福田高级技工学校 教务", Function.PROVIDER_STAFF, None, "provider_sz", False),
    ("demo-platform", "粤技通线上平台 运营", Function.PROVIDER_STAFF, None, "platform", False),
    ("demo-enterprise", "广州智造科技 人力资源部", Function.ENTERPRISE_HR, None, "enterprise", False),
    ("demo-evaluator", "广州技能评价中心 考务", Function.EVALUATOR, None, "evaluator", False),
    ("demo-inspector", "广东省人社厅 监管检查员", Function.INSPECTOR, "440000", None, False),
    ("demo-worker", "李明", Function.WORKER, None, None, False),
    # Four eyes on money (docs/subsidies.md): the demo claims' 复审 and the payment's 回盘确认 are other people's.
    ("demo-reviewer", "广东省人社厅 复审", Function.PROVINCE_OFFICIAL, "440000", None, False),
    ("demo-finance", "广东省人社厅 财务", Function.FINANCE, "440000", None, False),
]
EXTRA_GRANTS: list[tuple[str, str, str]] = [("demo-province", Function.FINANCE, "440000")]


class Command(BaseCommand):
    help = "Load reference data and the demo data set (make demo runs it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["demo", "tiny", "small", "province"], default="demo")
        parser.add_argument("--seed", type=int, default=2026)
        # tiny | small | province: the bulk generator (jineng.synthetic), see bench/README.md.
        parser.add_argument("--anomalies", action="store_true", help="inject labeled fraud patterns")
        parser.add_argument("--ground-truth", default="", help="where the anomalies' JSON lines go")
        parser.add_argument("--persons", type=int, default=0, help="override the scale's number of persons")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        started, cpu = time.monotonic(), time.process_time()
        self._handle(options)
        # The seed's own wall and CPU time (docs/demo.md: the wall time is the machine's load on a shared machine).
        self.stdout.write(
            f"Seeded in {time.monotonic() - started:.0f} s wall, {time.process_time() - cpu:.0f} s CPU "
            f"(scale {options['scale']})."
        )

    def _handle(self, options: dict[str, Any]) -> None:
        self.started_at = timezone.now()
        if not (
            Region.objects.filter(code="440106").exists() and Occupation.objects.exists() and Plan.objects.exists()
        ):
            call_command("refdata", "load", stdout=self.stdout)
        if options["scale"] != "demo":
            self._synthetic(options)
            return
        from jineng.providers.demo import DEMO_ORGS, seed_catalogs, seed_organizations

        with transaction.atomic():
            orgs = seed_organizations()  # with their profiles (机构档案)
            hashed = ""
            for username, display, function, region, org_key, superuser in DEMO_ACCOUNTS:
                user = User.objects.filter(username=username).first()
                if user is None:
                    if not hashed:  # the first account's password is set (and checked) by the service
                        user = user_create(actor="seed", username=username, password=DEMO_PASSWORD,
                                           display_name=display)  # fmt: skip
                        hashed = user.password
                    else:
                        # Every demo account has the same documented password: its hash is computed once (the
                        # password hasher's work was an eighth of the seed's CPU time) and given to the others.
                        user = user_create(actor="seed", username=username, password=None, display_name=display)
                        User.objects.filter(pk=user.pk).update(password=hashed, password_changed_at=timezone.now())
                    if superuser:
                        User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
                if not Grant.objects.filter(user=user, function=function, revoked_at__isnull=True).exists():
                    grant_create(
                        actor="seed",
                        user=user,
                        function=function,
                        region_code=region,
                        organization=orgs.get(org_key or ""),
                    )
            for username, function, region in EXTRA_GRANTS:
                user = User.objects.get(username=username)
                if not Grant.objects.filter(
                    user=user, function=function, region_id=region, revoked_at__isnull=True
                ).exists():
                    grant_create(actor="seed", user=user, function=function, region_code=region)
            _link_demo_worker()
            from jineng.accounts.demo import seed_demo_second_factors

            totp_secret = seed_demo_second_factors(username for username, *_rest in DEMO_ACCOUNTS)
        from jineng.synthetic.demo import demo_person_numbers, seed_demo_persons

        seed_demo_persons(seed=options["seed"], stdout=self.stdout)  # through the registry's service
        _register_pool_persons()
        seed_catalogs(orgs, stdout=self.stdout)  # listings, programs, teachers, bases
        from jineng.portal.demo import seed_demo as seed_open_data

        seed_open_data(self.stdout, days_back=30)  # open data v1: the catalogs as first listed
        _national_bases(orgs)
        from jineng.training.demo import seed_demo as seed_training

        worker_number = DEMO_WORKER_ID[:17] + check_character(DEMO_WORKER_ID[:17])
        # Classes in every state, rosters of the demo persons, attendance, apprenticeships.
        seed_training(
            orgs=orgs,
            person_numbers=demo_person_numbers(seed=options["seed"]),
            worker_id_number=worker_number,
            stdout=self.stdout,
        )
        from jineng.certificates.demo import seed_demo as seed_certificates

        issued = seed_certificates(evaluator=orgs["evaluator"])  # after training's: its completed classes sit the exam
        if issued:
            self.stdout.write(f"Demo exam session: {len(issued)} certificates issued.")
        from jineng.labour_market.demo import seed_demo as seed_labour

        # Before subsidies: its Guangdong policies float by the published shortage catalog (ADR 0022).
        seed_labour(seed=options["seed"], stdout=self.stdout)
        from jineng.subsidies.demo import seed_demo as seed_subsidies

        # After the training and certificates demo data: it claims for them.
        seed_subsidies(self.stdout, worker_id_number=worker_number)
        _worker_self_service(self.stdout)  # demo-worker's vouchers to apply for and a join request to accept
        from jineng.subsidies.demo import seed_batch_awaiting_return

        seed_batch_awaiting_return(self.stdout)  # demo-finance's 回盘确认 to do
        from jineng.learning.demo import seed_demo as seed_learning

        seed_learning(orgs["platform"], self.stdout)  # the online platform's LRS credential and statements
        from jineng.competitions.demo import seed_demo as seed_competitions

        # After the certificates demo data: its passed candidates' 中级工 is the prerequisite of a promotion.
        seed_competitions(
            organizer=orgs["provider"],
            worker_id_number=worker_number,
            enterprise=orgs["enterprise"],
            stdout=self.stdout,
        )
        _this_years_records(orgs, self.stdout)  # apprentices, 高级工 certificates, textbooks of the current year
        from jineng.subsidies.demo import seed_apprenticeship_advances

        seed_apprenticeship_advances(self.stdout)  # after this year's apprentices: their advances
        from jineng.credits.demo import seed_demo as seed_credits

        seed_credits(worker_id_number=worker_number, stdout=self.stdout)  # after every record it counts
        _demo_plan()
        _far_check_ins()
        from jineng.supervision.demo import seed_demo as seed_supervision

        seed_supervision(self.stdout)  # after every record it reads: planted fraud, then a full scan
        from jineng.inspections.demo import seed_demo as seed_inspections

        seed_inspections(self.stdout)  # after the scan: the draw weights 天河's providers by their risk
        from jineng.complaints.demo import seed_demo as seed_complaints

        seed_complaints(self.stdout)  # four complaints in 天河 for demo-county, one with its answer overdue
        dated = _date_registrations(
            since=self.started_at
        )  # before the roll-ups: persons registered this year are counted by that date
        if dated:
            self.stdout.write(f"Demo registrations dated before their first record: {dated} persons.")
        call_command("indicators", "recompute", stdout=self.stdout)  # the dashboard reads the roll-ups
        seed_open_data(self.stdout)  # open data v2 where the rows grew
        _size_demo_plan(self.stdout)  # the demo plan's targets at the demo's scale (after the roll-ups)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, display, function, region_code, org_key, _superuser in DEMO_ACCOUNTS:
            names = {o.key: o.name for o in DEMO_ORGS}
            scope = str(region_code or (names[org_key] if org_key else "本人"))
            self.stdout.write(f"  {username:<16} {Function(function).label:<10} {scope}  ({display})")
        self.stdout.write(
            f"Second factor (动态口令) of every demo account but demo-worker: TOTP secret {totp_secret} "
            "(add it to an authenticator app, or print the current code: jineng otp code USERNAME)."
        )

    def _synthetic(self, options: dict[str, Any]) -> None:
        """A synthetic province at a scale (bulk paths: COPY on PostgreSQL), resumable; see jineng.synthetic."""
        from jineng.synthetic.runner import InsufficientDisk, seed_province

        try:
            result = seed_province(
                scale=options["scale"],
                seed=options["seed"],
                anomalies=options["anomalies"],
                persons=options["persons"] or None,
                ground_truth=options["ground_truth"] or None,
                progress=not options["no_progress"],
                out=self.stdout,
            )
        except InsufficientDisk as exc:
            raise CommandError(str(exc)) from None
        for stage, rows in result.rows.items():
            self.stdout.write(f"  {stage:<14} {rows:>12,} rows  {result.seconds.get(stage, 0):8.1f} s")
        if result.ground_truth:
            self.stdout.write(f"  anomalies' ground truth: {result.ground_truth}")


# The demo worker 李明 and their registry person (a fixed, valid, fictitious number: 天河区, 1995-06-18).
DEMO_WORKER_ID = "440106199506181234"
OIDC_DEMO_PERSON_ID = "440304198803124569"  # 王芳 (福田区, 1988-03-12), signs in through the demo identity provider


def _link_demo_worker() -> None:
    """Register the demo worker's person (idempotent) and link the demo-worker account to it."""
    from jineng.registry.api import MembershipInput, person_create, person_resolve

    number = DEMO_WORKER_ID[:17] + check_character(DEMO_WORKER_ID[:17])
    person = person_resolve(number)
    if person is None:
        person = person_create(
            actor="seed",
            name="李明",
            id_number=number,
            phone="13800138000",
            residence_region="440106",
            education="high_school",
            groups=[MembershipInput(group="unemployed", valid_from=dt.date(2021, 1, 1), source="演示数据")],
            source="manual",
            check_permission=False,
        )
    User.objects.filter(username="demo-worker", person_id__isnull=True).update(person_id=person.pk)
    # 王芳 of the demo identity provider (idp/identities.json: wangfang): a registry person with no account yet,
    # whose first sign-in through unified identity (统一身份认证) creates her worker account.
    if person_resolve(OIDC_DEMO_PERSON_ID) is None:
        person_create(
            actor="seed",
            name="王芳",
            id_number=OIDC_DEMO_PERSON_ID,
            phone="13900139000",
            residence_region="440304",
            education="technical_school",
            groups=[MembershipInput(group="unemployed", valid_from=dt.date(2025, 3, 1), source="演示数据")],
            source="manual",
            check_permission=False,
        )


def _far_check_ins() -> None:
    """Geocode the first demo class with attendance (its venue in 天河) and its check-ins at the venue, but one
    trainee's, 32 km north-east (代打卡 from home): the supervision demo's far_attendance case, with its map.
    Idempotent: a class already geocoded is left as it is."""
    from decimal import Decimal

    from jineng.training.models import AttendanceEvent, TrainingClass

    event = AttendanceEvent.objects.order_by("training_class__code", "enrollment_id").first()
    if event is None:
        return
    venue = TrainingClass.objects.get(pk=event.training_class_id)
    if venue.venue_latitude is not None:
        return
    lat, lon = Decimal("23.129100"), Decimal("113.361200")  # the venue's county, 天河
    TrainingClass.objects.filter(pk=venue.pk).update(venue_latitude=lat, venue_longitude=lon)
    AttendanceEvent.objects.filter(training_class_id=venue.pk).update(
        latitude=lat + Decimal("0.0004"), longitude=lon - Decimal("0.0003")
    )
    AttendanceEvent.objects.filter(enrollment_id=event.enrollment_id).update(
        latitude=lat + Decimal("0.2013"), longitude=lon + Decimal("0.2207")
    )


DEMO_PLAN = "guangdong-2026-demo"


def _demo_plan() -> None:
    """A plan for the current five years (the 十五五 plans are not loaded yet): the Guangdong 十四五 targets carried
    over to 2026–2030, marked as demo data, so the dashboard's years include the current one. Idempotent."""
    from jineng.indicators.api import DEMO_DOCUMENT
    from jineng.refdata.models import PlanTarget

    source = Plan.objects.filter(code="guangdong-2021").first()
    if source is None or Plan.objects.filter(code=DEMO_PLAN).exists():
        return
    with transaction.atomic():
        plan = Plan.objects.create(
            code=DEMO_PLAN, name="广东省职业技能培训“十五五”目标（演示）", issuer=source.issuer,
            document_number=DEMO_DOCUMENT, region_id=source.region_id, period_start=2026, period_end=2030,
            note="演示数据：沿用“十四五”规划（粤人社发〔2021〕45号）的指标口径与目标值，非正式文件",
        )  # fmt: skip
        parents: dict[int, PlanTarget] = {}
        for t in PlanTarget.objects.filter(plan=source).order_by("seq"):
            old_pk = t.pk
            t.pk = None
            t.plan = plan
            t.period_start, t.period_end = 2026, 2030
            t.parent = parents.get(t.parent_id) if t.parent_id else None
            t.note = ("演示：" + t.note)[:300]
            t.save()
            parents[old_pk] = t


def _national_bases(orgs: dict[str, Any]) -> None:
    """Two national bases approved this year (the plan's 国家级 base and studio indicators move in the demo)."""
    from jineng.providers.demo import seed_national_bases

    seed_national_bases(orgs)


def _this_years_records(orgs: dict[str, Any], stdout: Any) -> None:
    """Records of the current year for the three demo-plan indicators the rest of the demo leaves at 0 (issue 15):
    企业新型学徒制培训人次 (apprentices joining), 高级工及以上证书 (a 三级 session's certificates) and 省级重点培训教材
    (textbooks published). Each through its app's services; each skipped when already there."""
    from jineng.certificates.demo import seed_high_skill_session, seed_last_quarter_sessions
    from jineng.common.errors import DomainError
    from jineng.providers.demo import seed_textbooks_this_year
    from jineng.training.demo import seed_apprentice_cohort, seed_employment_outcomes

    steps: tuple[tuple[str, Callable[[], int]], ...] = (
        ("apprentices of this year", lambda: seed_apprentice_cohort(orgs)),
        ("高级工 certificates", lambda: len(seed_high_skill_session(evaluator=orgs["evaluator"]))),
        ("last quarter's certificates", lambda: len(seed_last_quarter_sessions(evaluator=orgs["evaluator"]))),
        ("textbooks published this year", seed_textbooks_this_year),
        # after the claims (made for the trainees while they were still looking for work)
        ("employment outcomes", lambda: seed_employment_outcomes(orgs)),
    )
    for label, step in steps:
        try:
            made = step()
        except DomainError as exc:  # the services refused: the rest of the demo still loads
            stdout.write(f"  demo {label} not created: {exc.message} {getattr(exc, 'fields', '')}")
            continue
        if made:
            stdout.write(f"Demo {label}: {made}.")


def _size_demo_plan(stdout: Any) -> None:
    """The demo plan's targets at the demo's scale (jineng.indicators.demo): set from the roll-ups just computed."""
    from jineng.indicators.api import size_demo_plan

    sized = size_demo_plan(DEMO_PLAN)
    if sized:
        stdout.write(f"Demo plan {DEMO_PLAN}: {sized} targets set at the demo's scale.")


def _register_pool_persons() -> None:
    """The demo teachers' and mentors' registry persons (the providers app does not write the registry)."""
    from jineng.providers.demo import demo_pool_persons
    from jineng.registry.api import person_create, person_resolve

    for name, body, region in demo_pool_persons():
        number = body + check_character(body)
        if person_resolve(number) is None:
            person_create(actor="seed", name=name, id_number=number, residence_region=region, source="manual",
                          check_permission=False)  # fmt: skip


def _date_registrations(*, since: dt.datetime | None = None) -> int:
    """The demo persons' 登记入库 (and their identity document's 登记证件) on a working day a little before their
    earliest record — a membership, an employment, an enrollment, a certificate, an exam, a competition, a role in
    the teachers' and examiners' pool — not on the day the seed ran (issue 15: the archive read “2026-12-07 登记入库”
    above classes of 2022). A person this run registered without any record (an agent of the supervision demo) is
    dated on a working day of 2022–2024 drawn from their id. Only moves dates back; idempotent. Returns how many
    persons were re-dated."""
    from jineng.certificates.models import Candidate, Certificate
    from jineng.competitions.models import Contestant
    from jineng.providers.models import PoolRole
    from jineng.registry.models import EmploymentRecord, GroupMembership, IdentityDocument, Person
    from jineng.training.models import Apprentice, Enrollment

    earliest: dict[Any, dt.date] = {}
    sources = (
        GroupMembership.objects.values_list("person_id", "valid_from"),
        EmploymentRecord.objects.values_list("person_id", "started_on"),
        Enrollment.objects.values_list("person_id", "enrolled_on"),
        Certificate.objects.values_list("person_id", "issued_on"),
        Apprentice.objects.values_list("person_id", "joined_on"),
        Candidate.objects.values_list("person_id", "session__exam_date"),
        Contestant.objects.values_list("person_id", "event__starts_on"),
        PoolRole.objects.values_list("person_id", "valid_from"),
    )
    for rows in sources:
        for person_id, on in rows:
            if on is not None and (person_id not in earliest or on < earliest[person_id]):
                earliest[person_id] = on
    if since is not None:
        first_day, span = dt.date(2022, 1, 4), (dt.date(2024, 12, 31) - dt.date(2022, 1, 4)).days
        for person_id in (
            Person.objects.filter(created_at__gte=since).exclude(pk__in=list(earliest)).values_list("pk", flat=True)
        ):
            # The day registered falls 3–27 days before this "earliest" day (below).
            earliest[person_id] = first_day + dt.timedelta(days=zlib.crc32(str(person_id).encode("ascii")) % span)
    tz = timezone.get_current_timezone()
    dated = 0
    for person_id, created_at in Person.objects.filter(pk__in=list(earliest)).values_list("pk", "created_at"):
        h = zlib.crc32(str(person_id).encode())
        day = earliest[person_id] - dt.timedelta(days=3 + h % 25)
        while day.weekday() >= 5:  # the service desk's working days
            day -= dt.timedelta(days=1)
        at = dt.datetime(day.year, day.month, day.day, 9 + h % 7, h % 60, tzinfo=tz)
        if at >= created_at:
            continue
        Person.objects.filter(pk=person_id).update(created_at=at)
        IdentityDocument.objects.filter(person_id=person_id, created_at__gt=at).update(created_at=at)
        dated += 1
    return dated


DEMO_OPEN_ISSUE = "天河区职业培训券（通用）"
DEMO_SECOND_ISSUE = "广州市数字技能培训券"


def _demo_issue(official: Any, region: str, title: str, content: str, yuan: int) -> Any:
    from jineng.subsidies.models import VoucherIssue
    from jineng.subsidies.services import vouchers as voucher_services

    found = VoucherIssue.objects.filter(region_id=region, title=title).first()
    if found is not None:
        return found
    today = timezone.localdate()
    return voucher_services.voucher_issue_create(actor=official, data=voucher_services.IssueData(
        region_code=region, kind="general", title=title, content=content, face_value_fen=yuan * 100,
        valid_from=today - dt.timedelta(days=10), valid_until=today + dt.timedelta(days=180), quantity=500,
    ))  # fmt: skip


def _worker_self_service(stdout: Any) -> None:
    """The demo worker's self-service (issue 25): vouchers open to apply for, one taken up, and a request to join an
    upcoming class of the demo provider with it — demo-worker sees it waiting, demo-provider has it in the to-do to
    accept (the voucher is used then). Idempotent; through the services."""
    from jineng.subsidies.models import Voucher
    from jineng.subsidies.services import vouchers as voucher_services
    from jineng.training.api import JoinRequest, joinable_classes
    from jineng.training.services import joins as join_services

    worker = User.objects.filter(username="demo-worker").first()
    county = User.objects.filter(username="demo-county").first()
    city = User.objects.filter(username="demo-city").first()
    if worker is None or county is None or city is None or worker.person_id is None:
        return
    first = _demo_issue(county, "440106", DEMO_OPEN_ISSUE, "天河区目录内任一职业技能培训项目，报名时使用", 1000)
    _demo_issue(city, "440100", DEMO_SECOND_ISSUE, "目录内数字技能类培训项目（可在线申领）", 600)
    voucher = Voucher.objects.filter(issue=first, person_id=worker.person_id).first()
    try:
        if voucher is None:
            voucher = voucher_services.voucher_apply(actor=worker, issue=first)
        if JoinRequest.objects.filter(person_id=worker.person_id).exists():
            return
        for tc in joinable_classes(today=timezone.localdate()).filter(organization__name="广州市天河区职业培训学校"):
            try:
                join_services.join_request_create(actor=worker, training_class=tc, pledge=True,
                                                  voucher_code=voucher.code, note="工作日晚上和周末都可以参加")  # fmt: skip
            except DomainError as exc:
                stdout.write(f"  worker: no join request for {tc.code}: {exc.message}")
                continue
            stdout.write(f"Demo join request: demo-worker asks to join {tc.code} with voucher {voucher.code}.")
            return
    except DomainError as exc:
        stdout.write(f"  worker self-service not seeded: {exc.message}")
