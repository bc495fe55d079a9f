"""``jineng seed --scale demo`` — reference data, demo organizations and the demo accounts. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from jineng.accounts.models import Grant, Organization, OrganizationKind, User
from jineng.accounts.roles import Function
from jineng.accounts.services import grant_create, user_create
from jineng.common.codes import credit_code_check_char
from jineng.refdata.models import Occupation, Plan, Region

DEMO_PASSWORD = "Jineng-demo-2026"  # noqa: S105 - the documented demo password

# (username, display name, function, region, organization key, superuser)
DEMO_ACCOUNTS: list[tuple[str, str, str, str | None, str | None, bool]] = [
    ("admin", "系统管理员", Function.SYSADMIN, "000000", None, True),
    ("demo-province", "广东省人社厅 经办", Function.PROVINCE_OFFICIAL, "440000", None, False),
    ("demo-city", "广州市人社局 经办", Function.CITY_OFFICIAL, "440100", None, False),
    ("demo-county", "天河区人社局 经办", Function.COUNTY_OFFICIAL, "440106", None, False),
    ("demo-county2", "越秀区人社局 经办", Function.COUNTY_OFFICIAL, "440104", None, False),
    ("demo-provider", "天河职业培训学校 教务", Function.PROVIDER_STAFF, None, "provider", False),
    ("demo-enterprise", "广州智造科技 人力资源部", Function.ENTERPRISE_HR, None, "enterprise", False),
    ("demo-evaluator", "广州技能评价中心 考务", Function.EVALUATOR, None, "evaluator", False),
    ("demo-inspector", "广东省人社厅 监管检查员", Function.INSPECTOR, "440000", None, False),
    ("demo-worker", "李明", Function.WORKER, None, None, False),
    # Four eyes on money (docs/subsidies.md): the demo claims' 复审 and the payment's 回盘确认 are other people's.
    ("demo-reviewer", "广东省人社厅 复审", Function.PROVINCE_OFFICIAL, "440000", None, False),
    ("demo-finance", "广东省人社厅 财务", Function.FINANCE, "440000", None, False),
]
EXTRA_GRANTS: list[tuple[str, str, str]] = [("demo-province", Function.FINANCE, "440000")]


def _credit_code(region: str, serial: str) -> str:
    first17 = "52" + region + serial
    return first17 + credit_code_check_char(first17)


DEMO_ORGS = {
    "provider": (OrganizationKind.PROVIDER, "广州市天河区职业培训学校", "440106", "MJL000001"),
    "enterprise": (OrganizationKind.ENTERPRISE, "广州智造科技有限公司", "440104", "MA5000002"),
    "evaluator": (OrganizationKind.EVALUATOR, "广州市职业技能评价中心", "440100", "MB0000003"),
}


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
        if not (
            Region.objects.filter(code="440106").exists() and Occupation.objects.exists() and Plan.objects.exists()
        ):
            call_command("refdata", "load", stdout=self.stdout)
        if options["scale"] != "demo":
            self._synthetic(options)
            return
        with transaction.atomic():
            orgs = {}
            for key, (kind, name, org_region, serial) in DEMO_ORGS.items():
                orgs[key], _ = Organization.objects.get_or_create(
                    credit_code=_credit_code(org_region, serial),
                    defaults={"kind": kind, "name": name, "region_id": org_region},
                )
            for username, display, function, region, org_key, superuser in DEMO_ACCOUNTS:
                user = User.objects.filter(username=username).first()
                if user is None:
                    user = user_create(actor="seed", username=username, password=DEMO_PASSWORD, display_name=display)
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
        from jineng.synthetic.demo import seed_demo_persons

        seed_demo_persons(seed=options["seed"], stdout=self.stdout)  # through the registry's service
        from jineng.certificates.demo import seed_demo as seed_certificates

        issued = seed_certificates(evaluator=orgs["evaluator"])  # after training's: its completed classes sit the exam
        if issued:
            self.stdout.write(f"Demo exam session: {len(issued)} certificates issued.")
        from jineng.subsidies.demo import seed_demo as seed_subsidies

        seed_subsidies(self.stdout)  # after the training and certificates demo data: it claims for them
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, display, function, region_code, org_key, _superuser in DEMO_ACCOUNTS:
            scope = str(region_code or (DEMO_ORGS[org_key][1] if org_key else "本人"))
            self.stdout.write(f"  {username:<16} {Function(function).label:<10} {scope}  ({display})")

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


def _link_demo_worker() -> None:
    """Register the demo worker's person (idempotent) and link the demo-worker account to it."""
    from jineng.registry.api import person_create, person_resolve
    from jineng.rules.idcard import check_character

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
            source="manual",
            check_permission=False,
        )
    User.objects.filter(username="demo-worker", person_id__isnull=True).update(person_id=person.pk)
