"""The one CJK font every PDF of the platform embeds (the registry's archive, the certificate).

ReportLab cannot embed the CFF-based Noto CJK fonts; WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``) is TrueType.
The font path can be changed with the setting ``JINENG_PDF_FONT``.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT_NAME = "JinengCJK"


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the font with ReportLab once per process and answer its name for styles and canvases."""
    path = getattr(settings, "JINENG_PDF_FONT", DEFAULT_FONT)
    pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
    return FONT_NAME
