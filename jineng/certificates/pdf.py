"""The certificate as a PDF: Chinese text in an embedded TrueType CJK font (WenQuanYi Zen Hei, as the registry's
archive PDF) and a QR code (ReportLab's own QR widget, no extra dependency) that opens the verification page
``/verify?number=…`` for it. The holder's ID number is not printed."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from jineng.certificates.models import Certificate, CertificateStatus
from jineng.common.pdf import cjk_font
from jineng.rules.certificates import display_number


def verify_url(certificate: Certificate, base_url: str) -> str:
    return f"{base_url}/verify?number={quote(certificate.number)}"


def _qr(value: str, size: float) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def certificate_pdf_bytes(certificate: Certificate, base_url: str) -> bytes:
    font = cjk_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{certificate.kind.name} {certificate.number}")
    pdf.setAuthor(certificate.issuer_name)
    pdf.setSubject(certificate.kind.name)
    # Frame
    pdf.setStrokeColor(colors.HexColor("#1d4f91"))
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setLineWidth(0.8)
    pdf.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    # Title
    pdf.setFillColor(colors.HexColor("#1d4f91"))
    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, certificate.kind.name)
    pdf.setFillColor(colors.black)
    level = certificate.level.label if certificate.level else "—"
    rows = [
        ("姓　　名", certificate.holder_name),
        ("职业（工种）", certificate.occupation_name or "—"),
        ("等　　级", level),
        ("证书编号", display_number(certificate.number)),
        ("发证机构", certificate.issuer_name),
        ("发证日期", f"{certificate.issued_on:%Y年%m月%d日}"),
    ]
    y = height - 70 * mm
    for label, value in rows:
        pdf.setFont(font, 13)
        pdf.setFillColor(colors.HexColor("#555555"))
        pdf.drawString(40 * mm, y, label)
        pdf.setFillColor(colors.black)
        pdf.setFont(font, 16)
        pdf.drawString(80 * mm, y, value[:40])
        y -= 14 * mm
    if certificate.status == CertificateStatus.REVOKED:
        pdf.saveState()
        pdf.setFillColor(colors.HexColor("#c0392b"))
        pdf.setFont(font, 40)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(20)
        pdf.drawCentredString(0, 0, "已撤销")
        pdf.restoreState()
    # QR code to the verification page
    qr_size = 45 * mm
    url = verify_url(certificate, base_url)
    drawing = _qr(url, qr_size)
    drawing.drawOn(pdf, width - 40 * mm - qr_size, 38 * mm)
    pdf.setFont(font, 9)
    pdf.setFillColor(colors.HexColor("#555555"))
    pdf.drawCentredString(width - 40 * mm - qr_size / 2, 32 * mm, "扫码查验证书真伪")
    pdf.drawString(40 * mm, 32 * mm, f"查验：{base_url}/verify（证书编号 + 持证人姓名）")
    pdf.drawString(
        40 * mm,
        26 * mm,
        f"本证书电子版由平台生成于 {timezone.localtime():%Y-%m-%d %H:%M}，可验证凭证见平台“我的证书”。",
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
