"""Every sidebar entry shows an icon of the one sprite (walk of issue 15: 竞赛, 培训品牌 and 职业标准与教材 showed a bare
dot — their emoji had no icon in static/web/icons.svg)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from jineng.web.nav import NAV
from jineng.web.templatetags.jineng_ui import ICONS, icon, icon_name

SPRITE = Path(settings.BASE_DIR) / "jineng" / "web" / "static" / "web" / "icons.svg"


def _symbols() -> set[str]:
    return set(re.findall(r'<symbol id="i-([a-z-]+)"', SPRITE.read_text(encoding="utf-8")))


def test_every_icon_name_has_a_symbol_in_the_sprite():
    assert ICONS <= _symbols()


def test_every_sidebar_entry_has_a_real_icon():
    dots = [str(item.label) for item in NAV if item.icon and icon_name(item.icon) == "dot"]
    assert dots == []


def test_competitions_brands_and_standards_have_their_own_icons():
    by_url = {item.url_name: icon_name(item.icon) for item in NAV}
    assert by_url["competitions:list"] == "trophy"
    assert by_url["providers:brands"] == "tag"
    assert by_url["providers:standards"] == "bookmark"
    assert "#i-trophy" in icon("🏆")
