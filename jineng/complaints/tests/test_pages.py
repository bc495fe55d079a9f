"""The pages: the public form (its refusals, the honeypot, the rate limit), the status page by code (nothing personal),
reopening, and the handler's list (overdue flag), detail, actions and reveal; the workbench to-do."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import dumps

from jineng.complaints import services
from jineng.complaints.models import Complaint, Status
from jineng.complaints.web.forms import SALT

pytestmark = pytest.mark.django_db
NEW = "/public/complaints/new/"
STATUS = "/public/complaints/status/"


def _form(**changes: Any) -> dict[str, Any]:
    return {"object_kind": "provider", "object_name": "天河示范职业培训学校", "category": "fees",
            "content": "结业时要求交 1200 元考证费。", "anonymous": "on", "region": "", "class_ref": "", "name": "",
            "phone": "", "website": "", "started": dumps({"t": time.time() - 60}, salt=SALT), **changes}  # fmt: skip


def _code(html: str) -> str:
    found = re.search(r'data-testid="tracking-code">([0-9A-Z-]{14})<', html)
    assert found, html[:2000]
    return found.group(1)


def test_the_form_files_a_complaint_and_shows_its_code_once(client: Any, world: Any) -> None:
    assert client.get(NEW).status_code == 200
    pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(NEW, {**_form(), "attachments": [pdf]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    code = _code(response.content.decode())
    complaint = Complaint.objects.get()
    assert complaint.region_id == "440106" and services.complaint_by_code(code) == complaint
    assert len(services.complaint_attachments(complaint)) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"content": ""}, "请填写投诉举报的内容"), ({"object_name": "无名工作室"}, "请选择对象所在的地区")],
)
def test_the_form_says_what_is_wrong(client: Any, world: Any, changes: dict[str, str], message: str) -> None:
    response = client.post(NEW, _form(**changes))
    assert response.status_code == 422 and message in response.content.decode()
    assert not Complaint.objects.exists()


def test_an_oversized_attachment_is_refused_on_the_form(client: Any, world: Any) -> None:
    big = SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = client.post(NEW, {**_form(), "attachments": [big]})
    assert response.status_code == 422 and "不得超过 5 MB" in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("changes", [{"website": "http://spam.example"}, {"started": "forged"}])
def test_the_honeypot_and_the_form_clock_turn_robots_away(client: Any, world: Any, changes: dict[str, str]) -> None:
    response = client.post(NEW, _form(**changes))
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_a_form_sent_back_too_fast_is_refused(client: Any, world: Any, settings: Any) -> None:
    settings.JINENG_COMPLAINT_MIN_SECONDS = 3
    response = client.post(NEW, _form(started=dumps({"t": time.time()}, salt=SALT)))
    assert response.status_code == 400 and not Complaint.objects.exists()


def _started(html: str) -> str:
    found = re.search(r'name="started" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


def test_a_form_corrected_after_a_refusal_may_be_sent_back_at_once(client: Any, world: Any, settings: Any) -> None:
    """The walk: content left empty, the form shown again, filled in and sent within 3 s — refused "提交过快"."""
    settings.JINENG_COMPLAINT_MIN_SECONDS = 3
    refused = client.post(NEW, _form(content=""))
    assert refused.status_code == 422
    again = client.post(NEW, _form(started=_started(refused.content.decode())))
    assert again.status_code == 200 and _code(again.content.decode())
    # a robot's too-fast form shown again earns no pass: sent back at once, it is refused again
    fast = client.post(NEW, _form(started=dumps({"t": time.time()}, salt=SALT), content=""))
    assert fast.status_code == 400
    assert client.post(NEW, _form(started=_started(fast.content.decode()))).status_code == 400
    assert Complaint.objects.count() == 1


def test_the_form_marks_its_content_required_and_styles_every_input(client: Any, world: Any) -> None:
    html = client.get(NEW).content.decode()
    label = re.search(r'<label class="form-label" for="id_content">(.*?)</label>', html, re.S)
    assert label and "*" in label.group(1)
    for name, css in (("object_kind", "form-select"), ("category", "form-select"), ("class_ref", "form-control"),
                      ("content", "form-control"), ("name", "form-control"), ("phone", "form-control"),
                      ("attachments", "form-control"), ("anonymous", "form-check-input")):  # fmt: skip
        tag = re.search(rf'<(?:select|input|textarea)[^>]*name="{name}"[^>]*>', html)
        assert tag and css in tag.group(0), (name, tag and tag.group(0))


def test_submissions_are_rate_limited_per_address(client: Any, world: Any, settings: Any) -> None:
    settings.JINENG_COMPLAINT_RATE = "2/hour"
    assert [client.post(NEW, _form()).status_code for _ in range(3)] == [200, 200, 429]
    assert Complaint.objects.count() == 2


def test_status_checks_are_rate_limited_too(client: Any, world: Any, settings: Any) -> None:
    settings.JINENG_COMPLAINT_STATUS_RATE = "2/minute"
    codes = [client.post(STATUS, {"code": "ABCD-EFGH-JKMN"}).status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_the_status_page_shows_the_status_and_answer_and_nothing_personal(client: Any, world: Any,
                                                                          file_one: Any) -> None:  # fmt: skip
    complaint, code = file_one()
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已责令退还考证费。")
    html = client.post(STATUS, {"code": code}).content.decode()
    assert "已答复" in html and "已责令退还考证费。" in html and "申请重新办理" in html
    for secret in ("周建华", "周*华", "137", world.school.name, "800 元", complaint.number):
        assert secret not in html
    bad = client.post(STATUS, {"code": "nonsense"})
    assert bad.status_code == 404 and "查询码不正确" in bad.content.decode()


def test_a_wrong_tracking_code_is_refused_in_the_readers_language(client: Any) -> None:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch (Accept-Language is not consulted)
    bad = client.post(STATUS, {"code": "nonsense"})
    html = bad.content.decode()
    assert bad.status_code == 404 and "tracking code" in html and "查询码不正确" not in html


def test_reopen_once_on_the_status_page(client: Any, world: Any, file_one: Any) -> None:
    complaint, code = file_one()
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已核查。")
    first = client.post("/public/complaints/reopen/", {"code": code, "reason": "钱还没退。"})
    assert first.status_code == 200 and "已申请重新办理" in first.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.ACKNOWLEDGED
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已退款。")
    again = client.post("/public/complaints/reopen/", {"code": code, "reason": "再来"})
    assert again.status_code == 409 and "已重新办理过一次" in again.content.decode()


def _text_of(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</', html, re.S)
    return found.group(1).strip() if found else ""


def test_a_reopened_complaint_shows_its_first_answer_apart_from_the_new_deadline(client: Any, world: Any,
                                                                                   file_one: Any) -> None:  # fmt: skip
    """The walk: "答复期限 2027-01-05 · 已答复 2026-11-28" — the new deadline beside the old answer's date."""
    complaint, code = file_one()
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已核查。")
    html = client.post("/public/complaints/reopen/", {"code": code, "reason": "钱还没退。"}).content.decode()
    assert "首次答复" in html and _text_of(html, "first-reply") == "已核查。"
    assert "已答复" not in _text_of(html, "answer-due") and "尚未重新答复" in _text_of(html, "answer-due")
    assert 'data-testid="reply"' not in html  # the old answer is not shown as the answer of the new round
    complaint.refresh_from_db()
    services.complaint_reply(actor=world.handler, complaint=complaint, text="已退款。")
    html = client.post(STATUS, {"code": code}).content.decode()
    assert "已重新答复" in _text_of(html, "answer-due")
    assert _text_of(html, "reply") == "已退款。" and _text_of(html, "first-reply") == "已核查。"


def test_the_suggestions_offer_published_names_and_served_regions_only(client: Any, world: Any, make_org: Any,
                                                                      list_in_catalog: Any) -> None:  # fmt: skip
    make_org("440106", name="天河示范技能工作室")  # an organization, not in the catalog
    make_org("440106", kind="evaluator", name="天河示范评价中心")
    list_in_catalog(world.school)
    for kind in ("provider", "class", ""):
        names = client.get("/public/complaints/suggest/objects/", {"object_name": "天河示范", "object_kind": kind})
        html = names.content.decode()
        assert world.school.name in html and "工作室" not in html and "评价中心" not in html
    # an evaluation organization: from the public 评价机构名录 (names and regions only), not the providers
    evaluators = client.get(
        "/public/complaints/suggest/objects/", {"object_name": "天河示范", "object_kind": "evaluator"}
    )
    html = evaluators.content.decode()
    assert "天河示范评价中心" in html and world.school.name not in html and "工作室" not in html
    listed = client.get("/catalog/evaluators/", {"q": "天河示范"}).content.decode()
    assert "天河示范评价中心" in listed and world.school.name not in listed
    [row] = client.get("/api/v1/public/evaluators", {"q": "天河示范"}).json()["items"]
    assert row["name"] == "天河示范评价中心" and row["region"] == "440106"
    assert set(row) == {"name", "evaluator_type", "evaluator_type_label", "region", "region_name"}
    regions = client.get("/public/complaints/suggest/regions/", {"region": "天河"}).content.decode()
    assert 'value="440106"' in regions
    beijing = client.get("/public/complaints/suggest/regions/", {"region": "1101"}).content.decode()
    assert "value=" not in beijing  # Beijing's districts: outside the province served


def test_the_handler_lists_flags_replies_and_reveals(api: Any, world: Any, file_one: Any) -> None:
    complaint, _code = file_one()
    Complaint.objects.filter(pk=complaint.pk).update(answer_due="2020-01-06", ack_due="2020-01-02")
    client = api(world.handler)
    listing = client.get("/complaints/").content.decode()
    assert complaint.number in listing and "答复逾期" in listing
    detail = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "137****1234" in detail and "13760001234" not in detail
    revealed = client.post(f"/complaints/{complaint.pk}/reveal/", {"field": "phone", "reason": "电话回访"})
    assert "13760001234" in revealed.content.decode()
    empty = client.post(f"/complaints/{complaint.pk}/reply/", {"text": ""})
    assert empty.status_code == 422 and "请填写答复意见" in empty.content.decode()
    assert client.post(f"/complaints/{complaint.pk}/reply/", {"text": "已责令整改。"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED
    assert api(world.other).get(f"/complaints/{complaint.pk}/").status_code == 404


def test_the_handlers_workbench_lists_the_complaint_to_answer(world: Any, file_one: Any) -> None:
    from jineng.web.todos import todos_for

    complaint, _code = file_one()
    mine = [t for t in todos_for(world.handler) if complaint.number in t.title]
    assert len(mine) == 1 and mine[0].due == complaint.ack_due
    assert not [t for t in todos_for(world.other) if complaint.number in t.title]


def test_the_city_and_province_workbench_do_not_list_a_countys_complaint(world: Any, file_one: Any,
                                                                          make_user: Any) -> None:  # fmt: skip
    """A complaint goes to the county's desk: the city and the province see it on the list page, not as their to-do
    (the walk: every county's complaints on demo-province's and demo-reviewer's workbench); once one of them takes it
    as its handler, it is theirs."""
    from jineng.web.todos import todos_for

    complaint, _code = file_one()
    province = make_user("province_official", region="440000")
    for official in (world.city, province):
        assert not [t for t in todos_for(official) if complaint.number in t.title]
        assert complaint.number in api_get(official, "/complaints/?status=open")
    type(complaint).objects.filter(pk=complaint.pk).update(handler=world.city)
    assert [t for t in todos_for(world.city) if complaint.number in t.title]


def api_get(user: Any, url: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(url).content.decode()


def test_the_form_does_not_tick_anonymous_for_the_complainant(client: Any) -> None:
    # ticked by default, a complainant who typed a name and phone lost them silently (the handler read 匿名)
    html = client.get(NEW).content.decode()
    box = html[html.index('id="id_anonymous"') - 200 : html.index('id="id_anonymous"') + 100]
    assert "checked" not in box
