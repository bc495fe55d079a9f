"""The portal home's registry of public services (ADR 0029): each entry names a site path, and the home shows it
only when the path resolves to a view of this site — a service another app has not shipped yet (complaints,
inspection results, the blacklist) appears by itself the day its URL is mounted, and the home never links a 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Group:
    key: str
    title: Any


@dataclass(frozen=True)
class PortalLink:
    path: str
    title: Any
    description: Any
    group: str


GROUPS = (
    Group("find", _("找机构、找项目")),
    Group("check", _("查证书、查补贴")),
    Group("market", _("就业与技能需求")),
    Group("watch", _("监督与投诉")),
    Group("plans", _("规划进展与开放数据")),
)

LINKS: tuple[PortalLink, ...] = (
    PortalLink("/catalog/providers/", _("培训机构目录"), _("纳入目录的培训机构、培训范围与有效期"), "find"),
    PortalLink("/catalog/programs/", _("培训项目目录"), _("可享受补贴的培训项目，按地区、职业筛选"), "find"),
    PortalLink("/catalog/evaluators/", _("评价机构名录"), _("开展职业技能等级认定的评价机构及其地区"), "find"),
    PortalLink(
        "/public/bases/", _("实训基地与大师工作室"), _("各级公共实训基地、高技能人才培训基地、技能大师工作室"), "find"
    ),
    PortalLink("/public/competitions/", _("职业技能竞赛"), _("竞赛、获奖与技术能手"), "find"),
    PortalLink("/verify", _("证书查询"), _("按证书编号和姓名核验职业技能等级证书"), "check"),
    PortalLink("/public/standards/", _("补贴标准"), _("各地现行的职业技能培训补贴标准及政策依据"), "check"),
    PortalLink("/publicity/", _("补贴公示"), _("补贴发放名单公示（姓名、证件号码脱敏）"), "check"),
    PortalLink("/shortage/", _("急需紧缺职业目录"), _("目录内职业（工种）的培训补贴按规定上浮"), "market"),
    PortalLink("/shortage/wages/", _("工资价位"), _("分职业、分等级的工资价位"), "market"),
    PortalLink("/public/employment/", _("培训就业情况"), _("参训人员的就业去向（汇总）"), "market"),
    PortalLink("/public/inspections/", _("检查结果公开"), _("双随机、一公开的抽查结果"), "watch"),
    PortalLink("/public/blacklist/", _("失信名单"), _("受到处理的机构与期限"), "watch"),
    PortalLink("/public/complaints/new/", _("我要投诉"), _("对培训、评价、补贴的投诉举报"), "watch"),
    PortalLink("/public/complaints/status/", _("投诉进度查询"), _("凭受理编号查询办理进度"), "watch"),
    PortalLink("/indicators/public/", _("规划指标完成情况"), _("各项规划指标的目标与完成进度"), "plans"),
    PortalLink("/public/plans/", _("规划与指标原文"), _("各级规划文件及其指标"), "plans"),
    PortalLink("/public/statistics/", _("统计数据"), _("证书按地区、等级的汇总（小数抑制）"), "plans"),
    PortalLink("/public/data/", _("开放数据"), _("数据集目录与 CSV、JSON 下载"), "plans"),
    PortalLink("/public/reference/", _("基础数据"), _("行政区划、职业分类、技能等级、产业标签"), "plans"),
)


def resolves(path: str) -> bool:
    """Whether ``path`` is served by a view of this site."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def available_links() -> list[tuple[Group, list[PortalLink]]]:
    """The groups of the home with the links whose paths resolve (a group with none is left out)."""
    shown = [link for link in LINKS if resolves(link.path)]
    out = []
    for group in GROUPS:
        links = [link for link in shown if link.group == group.key]
        if links:
            out.append((group, links))
    return out
