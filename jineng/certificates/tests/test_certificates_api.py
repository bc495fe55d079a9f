"""The certificates API and pages: the list officials use (number and holder's name, never an ID number), the
whole exam flow through the API, revocation and correction with reasons and audit, the PDF, the worker's pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from jineng.certificates.models import Certificate, CertificateCorrection
from jineng.certificates.tests.conftest import PROGRAMMER, make_person
from jineng.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_officials_list_certificates_in_scope_with_number_and_holder_name(world, passed_certificate, api, openapi):
    response = api(world.city).get("/api/v1/certificates?page_size=5")
    assert response.status_code == 200
    openapi.validate(response)
    body = response.json()
    assert body["count"] == 1 and body["page_size"] == 5
    item = body["items"][0]
    assert item["number"] == passed_certificate.number
    assert item["holder_name"] == "李四"
    text = response.content.decode()
    from jineng.registry.models import IdentityDocument

    number = IdentityDocument.objects.get(person=passed_certificate.person).number_masked
    assert number[:4] + "**" in number  # the stored mask
    assert "id_number" not in item and number not in text
    for outsider in (world.yuexiu, world.shenzhen):
        assert api(outsider).get("/api/v1/certificates").json()["count"] == 0
        assert api(outsider).get(f"/api/v1/certificates/{passed_certificate.number}").status_code == 404
    assert api(world.staff).get("/api/v1/certificates").json()["count"] == 1  # the issuing organization


def test_the_exam_flow_through_the_api(world, api, openapi):
    client = api(world.staff)
    starts = (timezone.now() - dt.timedelta(hours=3)).isoformat()
    response = client.post(
        "/api/v1/exam-sessions",
        {"occupation": PROGRAMMER, "level": "grade4", "venue_region": "440106", "venue_address": "天河区某考点 2 楼",
         "starts_at": starts, "duration_minutes": 120, "terminals": ["T-1"]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    openapi.validate(response)
    session_id = response.json()["id"]
    base = f"/api/v1/exam-sessions/{session_id}"
    available = client.get(f"{base}/available-examiners").json()
    assert {a["name"] for a in available} == {"王考评", "赵考评"}
    booking = client.post(
        f"{base}/examiners", {"pool_role_id": str(world.examiner.pk)}, content_type="application/json"
    )
    assert booking.status_code == 201
    # The exam started three hours ago: the roster was due a week before, so the city allows late candidates.
    late = client.post(f"{base}/candidates", {"person_id": str(world.examiner2.person_id)},
                       content_type="application/json")  # fmt: skip
    assert late.status_code == 409 and late.json()["code"] == "roster_closed"
    reopened = api(world.city).post(f"{base}/roster-reopen", {"reason": "考生漏报，经核实补报"},
                                    content_type="application/json")  # fmt: skip
    assert reopened.status_code == 200, reopened.content
    assert openapi.validate(reopened)["roster_reopened"] is True
    client = api(world.staff)
    person = make_person(name="周五")
    from jineng.registry.models import IdentityDocument
    from jineng.registry.services.persons import find_document  # noqa: F401  (the document number is only in the test)

    doc = IdentityDocument.objects.get(person=person)
    from jineng.common.crypto import decrypt
    from jineng.registry.identity import DOC_CONTEXT

    candidate = client.post(f"{base}/candidates", {"id_number": decrypt(doc.number_enc, context=DOC_CONTEXT)},
                            content_type="application/json")  # fmt: skip
    assert candidate.status_code == 201, candidate.content
    openapi.validate(candidate)
    candidate_id = candidate.json()["id"]
    bad = client.post(f"{base}/results", {"candidate_id": candidate_id, "examiner_id": booking.json()["id"],
                                          "theory_score": 130, "practical_score": 80}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["code"] == "score_out_of_range" and bad.json()["fields"][0]["field"] == "theory_score"
    ok = client.post(f"{base}/results", {"candidate_id": candidate_id, "examiner_id": booking.json()["id"],
                                         "theory_score": 86, "practical_score": 90, "terminal": "T-1"},
                     content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["result"] == "passed"
    assert client.post(f"{base}/close").json()["status"] == "closed"
    issued = client.post(f"{base}/certificates", {}, content_type="application/json")
    assert issued.status_code == 201
    openapi.validate(issued)
    number = issued.json()[0]["number"]
    supervision = api(world.county).get(f"{base}/supervision")
    assert supervision.status_code == 200
    openapi.validate(supervision)
    data = supervision.json()
    assert data["session"]["pass_rate"] == "100.0"
    assert data["examiners"][0]["examiner"] == "王考评" and data["examiners"][0]["candidates"][0]["name"] == "周五"
    assert api(world.county).get(f"/api/v1/certificates/{number}").json()["holder_name"] == "周五"
    # An official may look but not run the session.
    assert api(world.county).post(f"{base}/close").status_code in (403, 409)


def test_revocation_needs_a_reason_and_is_audited(world, passed_certificate, api):
    url = f"/api/v1/certificates/{passed_certificate.number}/revoke"
    assert api(world.yuexiu).post(url, {"reason": "违规发证"}, content_type="application/json").status_code == 404
    response = api(world.county).post(url, {"reason": " "}, content_type="application/json")
    assert response.status_code == 422 and response.json()["fields"][0]["code"] == "reason_required"
    assert Certificate.objects.get(pk=passed_certificate.pk).status == "valid"
    response = api(world.county).post(url, {"reason": "考试替考，撤销证书"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    entry = AuditEntry.objects.get(action="certificate.revoke")
    assert entry.reason == "考试替考，撤销证书" and entry.region_code == "440106"
    again = api(world.county).post(url, {"reason": "再次撤销"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "certificate_revoked"


def test_correction_keeps_the_number_and_records_before_and_after(world, passed_certificate, api):
    url = f"/api/v1/certificates/{passed_certificate.number}/correct"
    response = api(world.staff).post(url, {"holder_name": "李泗", "reason": "姓名录入错误"},
                                     content_type="application/json")  # fmt: skip
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["number"] == passed_certificate.number and data["holder_name"] == "李泗"
    assert data["corrections"][0]["changes"] == {"holder_name": ["李四", "李泗"]}
    correction = CertificateCorrection.objects.get()
    assert correction.reason == "姓名录入错误"
    entry = AuditEntry.objects.get(action="certificate.correct")
    assert entry.before == {"holder_name": "李四"} and entry.after == {"holder_name": "李泗"}
    nothing = api(world.staff).post(url, {"holder_name": "李泗", "reason": "重复"}, content_type="application/json")
    assert nothing.status_code == 422 and nothing.json()["fields"][0]["code"] == "nothing_changed"


def test_the_pdf_certificate(world, passed_certificate, api, settings):
    settings.JINENG_PUBLIC_BASE_URL = "https://jineng.example.cn"
    response = api(world.county).get(f"/api/v1/certificates/{passed_certificate.number}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # an embedded TrueType font (the CJK subset)
    assert AuditEntry.objects.filter(action="certificate.pdf").exists()
    from jineng.certificates.pdf import verify_url

    assert verify_url(passed_certificate, "https://jineng.example.cn") == (
        f"https://jineng.example.cn/verify?number={passed_certificate.number}"
    )


def test_the_qr_code_encodes_the_verification_url(passed_certificate):
    from jineng.certificates.pdf import _qr, verify_url

    url = verify_url(passed_certificate, "https://jineng.example.cn")
    drawing = _qr(url, 100)
    assert drawing.contents[0].value == url


def test_the_worker_sees_and_downloads_their_own_certificates(world, passed_certificate, make_user, client):
    from jineng.accounts.models import User

    worker = make_user("worker")
    User.objects.filter(pk=worker.pk).update(person_id=passed_certificate.person_id)
    worker.refresh_from_db()
    other = make_user("worker")
    User.objects.filter(pk=other.pk).update(person_id=make_person(name="别人").pk)
    client.force_login(worker)
    page = client.get("/certificates/mine/")
    assert page.status_code == 200
    assert passed_certificate.number in page.content.decode()
    assert client.get(f"/api/v1/certificates/{passed_certificate.number}/pdf").status_code == 200
    credential = client.get(f"/api/v1/certificates/{passed_certificate.number}/credential?download=true")
    assert credential.status_code == 200 and "attachment" in credential["Content-Disposition"]
    assert client.get("/api/v1/certificates").json()["count"] == 1
    client.force_login(other)
    assert passed_certificate.number not in client.get("/certificates/mine/").content.decode()
    assert client.get(f"/api/v1/certificates/{passed_certificate.number}/pdf").status_code == 404
    assert client.get("/api/v1/certificates").json()["count"] == 0


def test_pages_for_officials_and_evaluators(world, passed_certificate, client):
    client.force_login(world.county)
    for url in ("/certificates/", "/evaluation/sessions/", "/evaluation/supervision/", "/evaluation/filings/",
                f"/certificates/{passed_certificate.number}/",
                f"/evaluation/sessions/{passed_certificate.candidate.session_id}/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.content.decode()
    assert "李四" in client.get("/certificates/").content.decode()
    assert "100.0%" in client.get("/evaluation/supervision/").content.decode()
    client.force_login(world.staff)
    assert client.get("/evaluation/sessions/new/").status_code == 200


def test_an_evaluator_runs_a_session_through_the_pages(world, client):
    client.force_login(world.staff)
    starts = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    response = client.post("/evaluation/sessions/new/", {
        "occupation": PROGRAMMER, "level": "grade4", "venue_region": "440106", "venue_address": "天河区考点 1 号",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 90, "terminals": "T-1, T-2",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    from jineng.certificates.models import ExamSession

    session = ExamSession.objects.get()
    assert session.terminals == ["T-1", "T-2"]
    base = f"/evaluation/sessions/{session.pk}"
    client.post(f"{base}/examiners/", {"pool_role_id": str(world.examiner.pk)})
    person = make_person(name="孙六")
    from jineng.certificates import services

    # Held two hours ago, so past its roster deadline: the page says so until the city allows late candidates.
    assert "roster-closed" in client.get(f"{base}/").content.decode()
    session = services.session_roster_reopen(actor=world.city, session=session, reason="考生漏报，经核实补报")

    candidate = services.candidate_add(actor=world.staff, session=session, person=person)
    booking = session.examiners.get()
    page = client.post(f"{base}/results/", {"candidate_id": str(candidate.pk), "examiner_id": str(booking.pk),
                                            "theory_score": "150", "practical_score": "80"}, follow=True)  # fmt: skip
    assert "0–100" in page.content.decode()  # the refusal, with the range
    client.post(f"{base}/results/", {"candidate_id": str(candidate.pk), "examiner_id": str(booking.pk),
                                     "theory_score": "70", "practical_score": "80"})  # fmt: skip
    client.post(f"{base}/close/", {"confirm": "yes"})  # 确认成绩 goes through its confirmation page
    client.post(f"{base}/issue/")
    assert Certificate.objects.filter(person=person).count() == 1


def test_historical_certificates_import_from_the_command_line(world, tmp_path):
    from django.core.management import call_command

    from jineng.common.crypto import decrypt
    from jineng.registry.identity import DOC_CONTEXT
    from jineng.registry.models import IdentityDocument

    person = make_person(name="吴七")
    number = decrypt(IdentityDocument.objects.get(person=person).number_enc, context=DOC_CONTEXT)
    rows = [
        "证书编号,姓名,身份证号码,证书类别,职业（工种）,职业编码,等级,发证机构,发证日期,归属地区",
        f"GD2019000123,吴七,{number},职业技能等级证书,焊工,6-18-02-04,四级,广东省职业技能鉴定中心,2019-06-30,440106",
        f"GD2019000124,吴八,{number},职业技能等级证书,焊工,6-18-02-04,四级,广东省职业技能鉴定中心,2019-06-30,440106",
        f"GD2019000125,吴七,{number},职业技能等级证书,焊工,6-18-02-04,九级,广东省职业技能鉴定中心,2019-06-30,440106",
    ]
    path = tmp_path / "certs.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "certificates", str(path), "--mode", "partial", stdout=out)
    assert exit_.value.code == 1  # two rows refused: a name that does not match, an unknown level
    certificate = Certificate.objects.get(number="GD2019000123")
    assert certificate.source == "import" and certificate.level_id == "grade4" and certificate.region_id == "440106"
    assert certificate.occupation.code == "6-18-02-04"
    # Re-importing creates nothing twice.
    path.write_text("\n".join(rows[:2]), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("import", "certificates", str(path), "--mode", "partial", stdout=io.StringIO())
    assert Certificate.objects.filter(number="GD2019000123").count() == 1


def test_historical_certificates_import_keeps_to_the_importers_scope(world, tmp_path):
    """越秀 cannot attach a certificate to a 天河 resident by naming their ID number (issue 14): the row is refused
    exactly as for a number nobody registered, and the person stays out of 越秀's view."""
    from django.core.management import call_command

    from jineng.accounts.api import visible
    from jineng.common.crypto import decrypt
    from jineng.registry.identity import DOC_CONTEXT
    from jineng.registry.models import IdentityDocument, Person

    person = make_person(name="吴九", region="440106")
    number = decrypt(IdentityDocument.objects.get(person=person).number_enc, context=DOC_CONTEXT)
    path = tmp_path / "certs.csv"
    path.write_text(
        "证书编号,姓名,身份证号码,证书类别,职业（工种）,职业编码,等级,发证机构,发证日期,归属地区\n"
        f"GD2019000901,吴九,{number},职业技能等级证书,焊工,6-18-02-04,四级,广东省职业技能鉴定中心,2019-06-30,440104\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "certificates", str(path), "--as", world.yuexiu.username, stdout=out)
    assert exit_.value.code == 1, out.getvalue()
    assert "person_not_registered" in out.getvalue() and "吴九" not in out.getvalue()
    assert not Certificate.objects.filter(number="GD2019000901").exists()
    assert not visible(Person.objects.filter(pk=person.pk), world.yuexiu).exists()


def test_shredding_a_holder_clears_the_printed_name_and_keeps_the_certificate(world, tmp_path):
    """PIPL deletion (registry.api.person_crypto_shred): the certificate stays (counts), the name printed on it goes."""
    from django.core.management import call_command

    from jineng.common.crypto import decrypt
    from jineng.registry.api import person_crypto_shred
    from jineng.registry.identity import DOC_CONTEXT
    from jineng.registry.models import IdentityDocument
    from jineng.registry.services.shred import _HANDLERS

    person = make_person(name="郑十", region="440106")
    number = decrypt(IdentityDocument.objects.get(person=person).number_enc, context=DOC_CONTEXT)
    path = tmp_path / "certs.csv"
    path.write_text(
        "证书编号,姓名,身份证号码,证书类别,职业（工种）,职业编码,等级,发证机构,发证日期,归属地区\n"
        f"GD2019000951,郑十,{number},职业技能等级证书,焊工,6-18-02-04,四级,广东省职业技能鉴定中心,2019-06-30,440106\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        call_command("import", "certificates", str(path), stdout=io.StringIO())
    assert Certificate.objects.get(number="GD2019000951").holder_name == "郑十"
    person_crypto_shred(person_id=person.pk, actor="system", reason="本人申请删除")
    certificate = Certificate.objects.get(number="GD2019000951")
    assert certificate.holder_name == "已删除" and certificate.person_id == person.pk
    assert {"certificates", "training"} <= {name for name, _h in _HANDLERS}
