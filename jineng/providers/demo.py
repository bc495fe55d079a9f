"""Demo data of the providers app (``jineng seed --scale demo``), through its own services; idempotent.

- the demo organizations with their profiles (机构档案): the 天河 training school (民办职业培训机构, licensed), a
  Shenzhen technical school (技工院校) in 福田, an online platform (线上培训平台), the 越秀 enterprise and the 广州
  evaluation centre. An organization an older seed created without a profile gets one (``profile_complete``);
- the providers listed in the 培训机构目录 through the catalog workflow (application by the staff → 初审 by the
  city → 审批 by the province: three different people), listed from 2022 so that the classes of past years were
  opened by a listed provider;
- the programs of the 培训项目目录 (one online, of the platform) listed province-wide from 2022;
- teachers of the pool affiliated with the providers, and an enterprise mentor;
- provincial public training bases (省级公共实训基地) approved 2021–today, the records behind the dashboard's
  stock indicator beyond its opening stock;
- provincial textbooks and digital resources published this year (``seed_textbooks_this_year``), the records of the
  plan's 省级重点职业技能培训教材和数字资源 in the current year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jineng.accounts.api import Operator, Organization, User
from jineng.common.codes import credit_code_check_char
from jineng.providers.models import (
    CatalogListing,
    ListingEvent,
    ListingScope,
    OrganizationProfile,
    PoolAffiliation,
    PoolRole,
    Program,
    ProviderApplication,
    ProviderListing,
    StandardWork,
    TrainingBase,
    TrainingBrand,
)
from jineng.providers.services import bases, catalog, organizations, programs, teachers

LISTED_SINCE = dt.date(2022, 1, 1)  # the demo's history starts in 2022


def credit_code(region: str, serial: str) -> str:
    first17 = "52" + region + serial
    return first17 + credit_code_check_char(first17)


@dataclass(frozen=True)
class DemoOrg:
    key: str
    kind: str
    name: str
    region: str
    serial: str
    profile: organizations.ProfileData
    licence_items: tuple[tuple[str, str], ...] = ()


DEMO_ORGS: tuple[DemoOrg, ...] = (
    DemoOrg("provider", "provider", "广州市天河区职业培训学校", "440106", "MJL000001",
            organizations.ProfileData(provider_type="private_training", legal_representative="郑国华",
                                 address="广州市天河区天河路 100 号", latitude="23.132", longitude="113.327",
                                 contact_name="教务处 何老师", contact_phone="13800138001"),
            (("4-04-05-01", "grade3"), ("4-10-01-05", "grade4"), ("4-10-01-06", "grade4"))),
    DemoOrg("provider_sz", "provider", "深圳市福田区高级技工学校", "440304", "MJL000004",
            organizations.ProfileData(provider_type="technical_school", legal_representative="罗志明",
                                 address="深圳市福田区福华路 8 号", latitude="22.536", longitude="114.055",
                                 contact_name="招生办 钟老师", contact_phone="13800138004"),
            (("6-31-01-03", "grade3"), ("4-01-06-01", "grade4"), ("4-04-05-01", "grade4"))),
    DemoOrg("platform", "provider", "粤技通线上职业技能培训平台", "440106", "MJL000005",
            organizations.ProfileData(provider_type="online_platform", legal_representative="许文杰",
                                 address="广州市天河区科韵路 16 号", website="https://example.invalid/",
                                 contact_name="平台运营 林女士", contact_phone="13800138005")),
    # listed since 2022 and put on the 黑名单 by the supervision demo (its catalog row shows the sanction's badge); no
    # staff account: it signs in nowhere and runs no class in the demo
    DemoOrg("sanctioned", "provider", "广州市海珠区速成职业技能培训中心", "440105", "618000037",
            organizations.ProfileData(provider_type="private_training", legal_representative="邓某",
                                 address="广州市海珠区工业大道中 58 号", latitude="23.093", longitude="113.281",
                                 contact_name="办公室", contact_phone="13800138006"),
            (("4-10-01-06", "grade4"),)),
    DemoOrg("enterprise", "enterprise", "广州智造科技有限公司", "440104", "MA5000002",
            organizations.ProfileData(size="medium", employees=420, is_above_scale=True, legal_representative="梁志远",
                                 address="广州市越秀区东风中路 300 号", contact_name="人力资源部 陈经理",
                                 contact_phone="13800138002")),
    DemoOrg("evaluator", "evaluator", "广州市职业技能评价中心", "440100", "MB0000003",
            organizations.ProfileData(evaluator_type="social", address="广州市天河区天河路 100 号",
                                 contact_name="考务科 吴老师", contact_phone="13800138003")),
)  # fmt: skip

# The demo providers' catalog scope: (occupation, level, training kind).
SCOPES: dict[str, list[tuple[str, str, str]]] = {
    "provider": [("4-04-05-01", "grade4", "employment"), ("4-04-05-01", "grade4", "apprenticeship"),
                 ("4-10-01-05", "grade4", "employment"), ("4-10-01-06", "grade4", "employment")],
    "provider_sz": [("6-31-01-03", "grade4", "employment"), ("4-01-06-01", "grade4", "employment"),
                    ("4-04-05-01", "grade4", "apprenticeship")],
    "platform": [("4-01-06-01", "grade4", "digital"), ("4-04-05-01", "grade4", "digital")],
    "sanctioned": [("4-10-01-06", "grade4", "employment")],
}  # fmt: skip

# (code, name, occupation, level, kind, theory hours, practice hours, delivery, category). The 学时 meet the demo's
# 职业培训补贴 standard for their level (四级/中级工: ≥110 学时, subsidies/demo_policies.py JILIN_ROWS), so a class of
# the demo can be claimed for; a class's schedule must cover them: the demo's classes are 18 days of 09:00–15:00
# (7 学时 a day credited, hours.per_day_max: 126 学时), so a trainee who misses a day still has 119.
PROGRAMS = [
    ("GD-DEMO-01", "计算机程序设计员（四级）就业技能培训", "4-04-05-01", "grade4", "employment", 40, 80, "offline", "A"),
    ("GD-DEMO-02", "养老护理员（四级）就业技能培训", "4-10-01-05", "grade4", "employment", 40, 80, "offline", "A"),
    ("GD-DEMO-03", "家政服务员（四级）就业技能培训", "4-10-01-06", "grade4", "employment", 40, 80, "offline", "B"),
    ("GD-DEMO-04", "电工（四级）就业技能培训", "6-31-01-03", "grade4", "employment", 40, 80, "offline", "A"),
    ("GD-DEMO-05", "电子商务师（四级）就业技能培训", "4-01-06-01", "grade4", "employment", 60, 60, "blended", "B"),
    ("GD-DEMO-06", "电子商务师（四级）数字技能线上培训", "4-01-06-01", "grade4", "digital", 60, 60, "online", "C"),
    ("GD-DEMO-07", "中式烹调师（四级）粤菜师傅培训", "4-03-02-01", "grade4", "employment", 40, 80, "offline", "A"),
]  # fmt: skip

# The brand catalogues (培训品牌): (region, code, name, recognized year, recognition, demo programs carrying it).
# Guangdong's three 工程 brands, Shandong's 金蓝领 and 鲁菜师傅 with 济南's 一市一品牌 (领航型), Jilin's brands.
BRANDS = [
    ("440000", "yuecai", "粤菜师傅", 2018, "粤菜师傅工程", ("GD-DEMO-07",)),
    ("440000", "guangdong-technician", "广东技工", 2019, "广东技工工程", ("GD-DEMO-04",)),
    ("440000", "nanyue-housekeeping", "南粤家政", 2019, "南粤家政工程", ("GD-DEMO-02", "GD-DEMO-03")),
    ("370000", "golden-blue-collar", "金蓝领", 2021, "山东省金蓝领培训项目", ()),
    ("370000", "lucai", "鲁菜师傅", 2022, "鲁菜师傅培训品牌", ()),
    ("370100", "jinan-leading", "泉城技工", 2023, "领航型职业技能培训品牌（一市一品牌）", ()),
    ("220000", "jilin-chef", "吉菜厨师", 2023, "吉林省职业技能培训品牌", ()),
    ("220000", "jilin-auto", "吉林汽车工匠", 2024, "吉林省职业技能培训品牌", ()),
]

# 职业标准与教材: (kind, title, developer, region, occupation, level, year or None while developing)
STANDARDS = [
    ("occupational_standard", "中式烹调师国家职业标准（2024年版）", "中国烹饪协会", "000000", "4-03-02-01", "", 2024),
    ("occupational_standard", "家政服务员国家职业标准（2023年版）", "中国家庭服务业协会", "000000", "4-10-01-06", "",
     2023),
    ("occupational_standard", "养老护理员国家职业标准（修订）", "中国社会福利与养老服务协会", "000000", "4-10-01-05", "",
     None),
    ("textbook", "粤菜师傅 中式烹调师（四级）培训教材", "广东省职业技能服务指导中心", "440000", "4-03-02-01", "grade4",
     2024),
    ("textbook", "南粤家政 家政服务员（四级）培训教材", "广东省职业技能服务指导中心", "440000", "4-10-01-06", "grade4",
     2025),
    ("digital_resource", "广东技工 电工（四级）数字课程", "广东省技工教育研究室", "440000", "6-31-01-03", "grade4", 2025),
]  # fmt: skip

# (name, ID body without its check character, providers it teaches for)
TEACHERS = [
    ("王建华", "44010619780312461", ("provider",)),
    ("李秀英", "44010619820519582", ("provider",)),
    ("张伟东", "44010619750923693", ("provider", "platform")),
    ("钟丽萍", "44030419800716124", ("provider_sz",)),
    ("罗国强", "44030419770208235", ("provider_sz",)),
]
MENTORS = [("黄淑仪", "44010419720405346")]  # the enterprise's own mentor (企业导师)

# (name, kind, approval year, region, host key or host name)
BASES = [
    ("广州市天河区公共实训基地", "public_training", 2021, "440106", "provider"),
    ("深圳市福田区公共实训基地", "public_training", 2022, "440304", "provider_sz"),
    ("广州市越秀区智能制造公共实训基地", "public_training", 2023, "440104", "广州市越秀区人力资源和社会保障局"),
    ("深圳市南山区数字技能公共实训基地", "public_training", 2024, "440305", "深圳市南山区人力资源局"),
    ("广州市黄埔区先进制造公共实训基地", "public_training", 2025, "440112", "广州市黄埔区人力资源和社会保障局"),
    ("深圳市宝安区公共实训基地", "public_training", None, "440306", "深圳市宝安区人力资源局"),  # this year
]
# High-skill bases and master studios (the one-off grants of subsidies' demo go to them): name, kind, level, year,
# region, host key.
STUDIOS = [
    ("李建华数控车工技能大师工作室", "master_studio", "national", 2024, "440106", "provider"),
    ("天河职业培训学校高技能人才培训基地", "high_skill", "provincial", 2025, "440106", "provider"),
    ("陈志强电工技能大师工作室", "master_studio", "provincial", 2025, "440304", "provider_sz"),
]


def demo_pool_persons() -> list[tuple[str, str, str]]:
    """(name, ID body without its check character, residence region) of the demo teachers and mentors."""
    return [(name, body, body[:6]) for name, body, _keys in TEACHERS] + [(n, b, b[:6]) for n, b in MENTORS]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def seed_organizations() -> dict[str, Organization]:
    """The demo organizations, each with its profile (created or completed); returns them by key."""
    today = timezone.localdate()
    out: dict[str, Organization] = {}
    for org in DEMO_ORGS:
        code = credit_code(org.region, org.serial)
        existing = Organization.objects.filter(credit_code=code).first()
        licence = None
        if org.licence_items:
            licence = organizations.LicenceData(
                number=f"人社民{org.serial[-6:]}", issuer="广州市人力资源和社会保障局"
                if org.region.startswith("4401") else "深圳市人力资源和社会保障局",
                valid_from=dt.date(2020, 1, 1), valid_until=dt.date(today.year + 4, 12, 31),
                items=list(org.licence_items),
            )  # fmt: skip
        if existing is None:
            profile = organizations.profile_create(
                actor="seed", kind=org.kind, name=org.name, credit_code=code, region_code=org.region,
                data=org.profile, licence=licence, check_permission=False,
            )  # fmt: skip
            existing = profile.organization
        elif not OrganizationProfile.objects.filter(organization=existing).exists():
            profile = organizations.profile_complete(
                actor="seed", organization=existing, data=org.profile, check_permission=False
            )
            if licence is not None:
                organizations.licence_set(actor=Operator("seed"), profile=profile, licence=licence)
        out[org.key] = existing
    return out


def _list_provider(profile: OrganizationProfile, staff: User | Operator, city: User, province: User, key: str) -> None:
    """Apply → submit (the staff) → review (the city) → approve (the province); then date the listing from 2022."""
    if ProviderListing.objects.filter(profile=profile).exists():
        return
    app = ProviderApplication.objects.filter(profile=profile).order_by("-created_at").first()
    if app is None:
        app = catalog.application_create(
            actor=staff, profile=profile, capacity_per_year=600, description="演示数据",
            scope=[catalog.ScopeInput(o, lv, k) for o, lv, k in SCOPES[key]],
        )  # fmt: skip
    catalog.application_submit(actor=staff, application=app)
    catalog.application_review(actor=city, application=app, passed=True, opinion="材料齐全，场地师资符合要求")
    app = catalog.application_decide(
        actor=province, application=app, approved=True, opinion="同意纳入目录", document_number="粤人社函〔演示〕1号"
    )
    # The demo's history begins in 2022: the listing (decided today by the workflow) is dated back to then, as an
    # import of the catalog's history would have it, so the classes of past years were opened by a listed provider.
    if app.listing_id is None:
        return
    ProviderListing.objects.filter(pk=app.listing_id).update(valid_from=LISTED_SINCE)
    ListingEvent.objects.filter(listing_id=app.listing_id).update(effective_date=LISTED_SINCE)
    ListingScope.objects.filter(listing_id=app.listing_id).update(added_on=LISTED_SINCE)


def seed_catalogs(orgs: dict[str, Organization], stdout: Any = None) -> None:
    """Listings, programs, teachers, mentors and bases (each step skipped when already there). The teachers' and
    mentors' registry persons (``demo_pool_persons()``) are registered beforehand by the caller: this app does not
    write the registry."""
    from jineng.providers.people import person_by_document
    from jineng.rules.idcard import check_character

    province, city, shenzhen = _user("demo-province"), _user("demo-city"), _user("demo-shenzhen")
    staff = {"provider": _user("demo-provider"), "provider_sz": _user("demo-provider-sz"),
             "platform": _user("demo-platform")}  # fmt: skip
    profiles = {k: OrganizationProfile.objects.get(organization=o) for k, o in orgs.items()}
    if province is None or city is None or shenzhen is None:
        return
    for key in ("provider", "provider_sz", "platform"):
        user = staff[key]
        if user is not None:
            reviewer = shenzhen if orgs[key].region_id.startswith("4403") else city
            _list_provider(profiles[key], user, reviewer, province, key)
    # the provider the supervision demo blacklists: applied by the console (it has no staff account in the demo)
    _list_provider(profiles["sanctioned"], Operator("seed"), city, province, "sanctioned")
    for code, name, occ, level, kind, theory, practice, delivery, category in PROGRAMS:
        program = Program.objects.filter(code=code).first()
        data = programs.ProgramData(
            code=code, name=name, occupation=occ, level=level, training_kind=kind, hours_theory=theory,
            hours_practice=practice, delivery=delivery, subsidy_category=category, region="440000",
            syllabus="理论教学、实操训练与考核（演示数据）",
        )  # fmt: skip
        if program is None:
            program = programs.program_create(actor=province, data=data)
        elif program.hours_total < theory + practice:  # a demo made before its programs met the subsidy's 学时
            program = programs.program_update(actor=province, program=program, data=data)
        if not CatalogListing.objects.filter(program=program).exists():
            programs.catalog_list(actor=province, region_code="440000", valid_from=LISTED_SINCE, program=program,
                                  document_number="粤人社函〔演示〕2号")  # fmt: skip

    def person(name: str, body: str, region: str) -> Any:
        return person_by_document(body + check_character(body), name)

    for name, body, keys in TEACHERS:
        who = person(name, body, body[:6])
        first = profiles[keys[0]]
        role = PoolRole.objects.filter(person=who, role="teacher").first()
        if role is None:
            role = teachers.pool_role_add(
                actor=province, person=who, organization=first.organization,
                data=teachers.RoleData(role="teacher", region=first.organization.region_id, valid_from=LISTED_SINCE,
                                       title="讲师", teacher_qualification="职业培训师（二级）"),
            )  # fmt: skip
        for key in keys:
            if not PoolAffiliation.objects.filter(role=role, profile=profiles[key]).exists():
                teachers.affiliation_add(actor=province, role=role, profile=profiles[key], kind="part_time",
                                         valid_from=LISTED_SINCE)  # fmt: skip
    for name, body in MENTORS:
        who = person(name, body, "440104")
        if not PoolRole.objects.filter(person=who, role="teacher", organization=orgs["enterprise"]).exists():
            teachers.pool_role_add(
                actor=province, person=who, organization=orgs["enterprise"],
                data=teachers.RoleData(role="teacher", region="440104", valid_from=LISTED_SINCE, title="高级技师",
                                       employer_name=orgs["enterprise"].name),
            )  # fmt: skip
    this_year = timezone.localdate().year
    for name, kind, year, region, host in BASES:
        if TrainingBase.objects.filter(name=name).exists():
            continue
        bases.base_create(
            actor=province, host=profiles.get(host),
            data=bases.BaseData(kind=kind, name=name, level="provincial", approval_year=year or this_year,
                                region=region, host_name="" if host in profiles else host,
                                approval_document="粤人社函〔演示〕3号"),
        )  # fmt: skip
    for name, kind, level, year, region, host in STUDIOS:
        if not TrainingBase.objects.filter(name=name).exists():
            bases.base_create(
                actor=province, host=profiles.get(host),
                data=bases.BaseData(kind=kind, name=name, level=level, approval_year=year, region=region,
                                    host_name="", approval_document="人社部函〔演示〕21号"),
            )  # fmt: skip
    seed_brands_and_standards(province)
    if stdout is not None:
        listed = ProviderListing.objects.filter(profile__in=profiles.values()).count()
        stdout.write(f"Providers: {listed} listed providers, {len(PROGRAMS)} programs, {len(TEACHERS)} teachers, "
                     f"{TrainingBase.objects.count()} bases.\n")  # fmt: skip


def seed_brands_and_standards(province: User) -> None:
    """The brand catalogues with the demo programs they mark, and the standards and textbooks developed (each step
    skipped when already there). Guangdong's are kept by its province official, the others by the system
    administrator (the demo has no Shandong, Jilin or national officials)."""
    from jineng.providers.services import brands

    admin = _user("admin")
    for region, code, name, year, recognition, codes in BRANDS:
        actor = province if region.startswith("44") else admin
        if actor is None:
            continue
        brand = TrainingBrand.objects.filter(region_id=region, code=code).first()
        if brand is None:
            brand = brands.brand_create(actor=actor, data=brands.BrandData(
                code=code, name=name, region=region, recognized_year=year, recognition=recognition))  # fmt: skip
        for program in Program.objects.filter(code__in=codes).exclude(brands=brand):
            brands.program_brands_set(actor=actor, program=program,
                                      brand_ids=[*program.brands.values_list("pk", flat=True), brand.pk])  # fmt: skip
    for kind, title, developer, region, occupation, level, published in STANDARDS:
        actor = province if region.startswith("44") else admin
        if actor is None or StandardWork.objects.filter(kind=kind, title=title).exists():
            continue
        brands.standard_create(
            actor=actor,
            data=brands.StandardData(kind=kind, title=title, developer=developer, region=region, occupation=occupation,
                                     level=level, year=published, status="published" if published else "developing"),
        )  # fmt: skip


# National bases approved this year (issue 15): the plans count 国家级高技能人才培训基地 and 国家级技能大师工作室 from a
# sourced opening stock; without one approved in the plan period the demo showed both at 0 % of the planned increase.
NATIONAL_BASES = [
    ("广州市高技能人才培训基地（国家级，演示）", "high_skill", "440106", "provider"),
    ("深圳市数控加工技能大师工作室（国家级，演示）", "master_studio", "440304", "provider_sz"),
]


def seed_national_bases(orgs: dict[str, Organization]) -> int:
    """Two national bases approved this year by demo-province (idempotent); returns how many were created."""
    province = _user("demo-province")
    if province is None:
        return 0
    made = 0
    for name, kind, region, host in NATIONAL_BASES:
        if TrainingBase.objects.filter(name=name).exists():
            continue
        profile = OrganizationProfile.objects.filter(organization=orgs.get(host)).first()
        bases.base_create(
            actor=province, host=profile,
            data=bases.BaseData(kind=kind, name=name, level="national", approval_year=timezone.localdate().year,
                                region=region, host_name="" if profile else host,
                                approval_document="人社部函〔演示〕1号"),
        )  # fmt: skip
        made += 1
    return made


# 省级重点职业技能培训教材和数字资源 of the current year (issue 15): the plan counts them by the year they are published,
# and the demo's other textbooks are of past years, so the demo plan showed 0 % for this year. (kind, title,
# developer, occupation, level, document number); each is registered as 开发中 and then published (颁布) this year.
TEXTBOOKS_THIS_YEAR = [
    ("textbook", "粤菜师傅 中式面点师（四级）培训教材", "广东省职业技能服务指导中心", "4-03-02-02", "grade4",
     "粤人社函〔演示〕11号"),
    ("textbook", "南粤家政 养老护理员（四级）培训教材", "广东省职业技能服务指导中心", "4-10-01-05", "grade4",
     "粤人社函〔演示〕11号"),
    ("digital_resource", "广东技工 工业机器人系统操作员（三级）数字课程", "广东省技工教育研究室", "6-31-07-03", "grade3",
     "粤人社函〔演示〕12号"),
]  # fmt: skip


def seed_textbooks_this_year() -> int:
    """Three provincial textbooks and digital resources published this year by demo-province (idempotent, by title);
    returns how many were published now."""
    from jineng.providers.services import brands

    province = _user("demo-province")
    if province is None:
        return 0
    year = timezone.localdate().year
    made = 0
    for kind, title, developer, occupation, level, document in TEXTBOOKS_THIS_YEAR:
        if StandardWork.objects.filter(kind=kind, title=title).exists():
            continue
        with transaction.atomic():  # registered and published together, or not at all
            work = brands.standard_create(actor=province, data=brands.StandardData(
                kind=kind, title=title, developer=developer, region="440000", occupation=occupation, level=level,
            ))  # fmt: skip
            brands.standard_publish(actor=province, work=work, year=year, document_number=document)
        made += 1
    return made
