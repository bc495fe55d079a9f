"""The public blacklist (page and API, no login) never shows a trainee's ID number, phone or bank account that a
decider quoted in the sanction's reason."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jineng.common.masking import scrub_public_text as public_text

REASON = "学员张伟（身份证 440106199001011234，电话 138-0013-8000，卡号 6222020200098765432）被虚构签到"


def test_public_text_masks_what_identifies_a_person_and_keeps_the_rest():
    shown = public_text(REASON)
    assert "440106199001011234" not in shown and "0013" not in shown and "6222020200098765432" not in shown
    assert "被虚构签到" in shown and "5432" in shown  # the facts stay readable; an account keeps its last digits
    assert public_text("粤人社罚〔2026〕7号 JDBZ2026440106000003") == "粤人社罚〔2026〕7号 JDBZ2026440106000003"


@pytest.mark.django_db
def test_the_public_blacklist_masks_a_quoted_id_phone_and_account(api, make_user, make_org):
    provider = make_org(kind="provider")
    province = api(make_user("province_official", region="440000"))
    body = {"organization": str(provider.pk), "kind": "blacklist", "reason": REASON, "years": 2,
            "document_number": "粤人社罚〔2026〕9号"}  # fmt: skip
    r = province.post("/api/v1/supervision/sanctions", body, content_type="application/json")
    assert r.status_code == 201
    second = api(make_user("province_official", region="440000"))
    decision = second.post(f"/api/v1/supervision/sanctions/{r.json()['id']}/decision", {"approve": True},
                           content_type="application/json")  # fmt: skip
    assert decision.status_code == 200
    anonymous = Client()
    page = anonymous.get("/public/blacklist/").content.decode()
    data = json.dumps(anonymous.get("/api/v1/public/blacklist").json(), ensure_ascii=False)
    for shown in (page, data):
        assert provider.name in shown and "被虚构签到" in shown
        for secret in ("440106199001011234", "13800138000", "138-0013-8000", "6222020200098765432"):
            assert secret not in shown
