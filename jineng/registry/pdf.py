"""The lifelong archive as a PDF with Chinese text (ReportLab, embedding the TrueType CJK font of
``jineng.common.pdf``; its path can be changed with ``JINENG_PDF_FONT``)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jineng.common.pdf import cjk_font
from jineng.registry.archive import archive_entries, archive_kind_label
from jineng.registry.models import Person
from jineng.registry.selectors import group_label, person_dict


def archive_pdf(person: Person) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    small = ParagraphStyle("small", fontName=font, fontSize=8, leading=11, textColor=colors.grey)
    data = person_dict(person)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=_("终身职业技能培训电子档案"), author=_("技能平台"),
    )  # fmt: skip
    story: list[Any] = [Paragraph(escape(_("终身职业技能培训电子档案")), title)]
    facts = [
        (_("姓名"), data["name"]),
        (_("性别"), person.get_sex_display() or "—"),
        (_("出生日期"), data["birth_date"].isoformat() if data["birth_date"] else "—"),
        (_("证件号码"), data["id_number"] or "—"),
        (_("手机号码"), data["phone"] or "—"),
        (_("居住地"), data["residence_region"] or "—"),
        (_("人员类别"), _("、").join(str(group_label(g)) for g in data["groups"]) or "—"),
    ]
    info = Table(
        [[Paragraph(escape(k), body), Paragraph(escape(_clip(str(v))), body)] for k, v in facts],
        colWidths=[30 * mm, 140 * mm],
    )
    info.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.lightgrey), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [info, Spacer(1, 6 * mm)]
    rows = [[Paragraph(escape(h), body) for h in (_("日期"), _("类别"), _("事项"), _("详情"))]]
    for e in archive_entries(person):
        rows.append([Paragraph(e.on.isoformat(), body), Paragraph(escape(archive_kind_label(e.kind)), body),
                     Paragraph(escape(_clip(str(e.title))), body), Paragraph(escape(_clip(str(e.detail))), body)])  # fmt: skip
    timeline = Table(rows, colWidths=[24 * mm, 22 * mm, 50 * mm, 74 * mm], repeatRows=1)
    timeline.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [timeline, Spacer(1, 4 * mm)]
    generated = _("生成时间：{at}　证件号码、手机号码已脱敏。").format(at=f"{timezone.localtime():%Y-%m-%d %H:%M}")
    story.append(Paragraph(escape(generated), small))
    doc.build(story)
    return buffer.getvalue()


# A table row must fit on one page (reportlab cannot split a cell): a long note or title (free text may be 2,000
# characters) is cut in the PDF, where the page and the JSON archive keep it whole. Found by fuzzing: a 500.
CELL_MAX_CHARS = 300


def _clip(text: str) -> str:
    return text if len(text) <= CELL_MAX_CHARS else text[: CELL_MAX_CHARS - 1] + "…"
