"""学分证明 as a PDF (ReportLab, the embedded CJK font of the certificates and the archive): the holder's name, the
balance by category as of today, every entry with its source, category, kind, credits, region and rule version,
and how to verify — the signed ``.jwt`` is the credential; the paper copy says where to check it. No ID number."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jineng.common.pdf import cjk_font
from jineng.credits import selectors, services
from jineng.credits.models import Category
from jineng.registry.api import Person

BLUE = colors.HexColor("#1d4f91")


def transcript_pdf_bytes(person: Person, base_url: str) -> bytes:
    font = cjk_font()
    today = timezone.localdate()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, textColor=BLUE, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=11)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title="技能学分证明", author="技能培训管理平台")  # fmt: skip
    balance = services.balance_of(person.pk, today)
    labels = dict(Category.choices)
    total = sum(balance.values(), Decimal("0"))
    story = [
        Paragraph("技能学分证明", title),
        Spacer(1, 4 * mm),
        Paragraph(f"姓名：{person.name}　　截至：{today.isoformat()}　　可用学分合计：{total}", body),
        Spacer(1, 3 * mm),
    ]
    rows = [[str(labels[c]) for c in balance] + ["合计"], [str(v) for v in balance.values()] + [str(total)]]
    summary = Table(rows, hAlign="LEFT")
    summary.setStyle(_style(font))
    story += [summary, Spacer(1, 5 * mm), Paragraph("学分明细", body), Spacer(1, 2 * mm)]
    table = [["日期", "来源", "类别", "类型", "学分", "地区", "规则版本", "失效日期"]]
    for e in selectors.entries_of(person.pk):
        version = f"{e.rule_set.region.name} 第 {e.rule_version} 版" if e.rule_set else "—"
        table.append([
            e.on.isoformat(), Paragraph(e.source_label, small), str(e.get_category_display()),
            str(e.get_kind_display()), str(e.credits), Paragraph(e.region.name, small), Paragraph(version, small),
            e.expires_on.isoformat() if e.expires_on else "—",
        ])  # fmt: skip
    if len(table) == 1:
        table.append(["—", "暂无学分记录", "", "", "", "", "", ""])
    widths = [20 * mm, 52 * mm, 15 * mm, 12 * mm, 13 * mm, 22 * mm, 26 * mm, 20 * mm]
    entries = Table(table, colWidths=widths, repeatRows=1, hAlign="LEFT")
    entries.setStyle(_style(font))
    story += [entries, Spacer(1, 6 * mm)]
    story.append(Paragraph(
        "本纸质证明供查阅。具有法律效力的是同时下载的电子学分证明（.jwt 文件，Ed25519 签名）："
        f"任何人可在 {base_url}/credits/verify/ 上传核验，或用 {base_url}/.well-known/jwks.json 公布的公钥离线核验。"
        "证明不含证件号码。", small))  # fmt: skip
    doc.build(story)
    return buffer.getvalue()


def _style(font: str) -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")), ("TEXTCOLOR", (0, 0), (-1, 0), BLUE),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa8bb")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])  # fmt: skip
