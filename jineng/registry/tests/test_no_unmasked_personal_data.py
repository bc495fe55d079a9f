"""The one scan: every page, API response, export, log line, audit entry and import report produced by a full
round of use contains no unmasked ID number or phone — except the explicit reveal responses."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from jineng.common.models import AuditEntry
from jineng.imports.tests.helpers import write_csv, write_xlsx
from jineng.registry.tests.factories import id15_of, id18

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    chunks = [data.decode("latin-1")]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)).decode("latin-1"))
        except zlib.error:
            chunks.append(m.group(1).decode("latin-1"))
    return "\n".join(chunks)


def _xlsx_text(path_or_bytes) -> str:
    import io

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    ws = load_workbook(source, read_only=True).worksheets[0]
    return "\n".join(" ".join(str(c) for c in row if c is not None) for row in ws.iter_rows(values_only=True))


def test_no_unmasked_id_or_phone_anywhere(tmp_path, make_user, api, caplog, django_capture_on_commit_callbacks,
                                         monkeypatch):  # fmt: skip
    caplog.set_level(logging.DEBUG)
    secrets: set[str] = set()
    numbers = [id18("440106", dt.date(1980 + i, 1 + i, 1 + i), 100 + i) for i in range(4)]
    phones = [f"1380013{i:04d}" for i in range(4)]
    secrets |= set(numbers) | set(phones) | {id15_of(numbers[3])}
    official = make_user("county_official", region="440106", username="scan")
    client = api(official)
    captured: list[str] = []

    def keep(response) -> None:
        captured.append(response.content.decode("utf-8", errors="replace"))

    # API: create (201), duplicate (409), bad (422), list, detail, search, archive, exports.
    r = client.post("/api/v1/persons", data=json.dumps({"name": "甲", "id_number": numbers[0], "phone": phones[0],
                    "residence_region": "440106"}), content_type="application/json")  # fmt: skip
    keep(r)
    person_id = r.json()["id"]
    keep(client.post("/api/v1/persons", data=json.dumps({"name": "甲", "id_number": numbers[0], "phone": phones[0],
         "residence_region": "440106"}), content_type="application/json"))  # fmt: skip
    keep(client.post("/api/v1/persons", data=json.dumps({"name": "乙", "id_number": numbers[1][:17] + "Z",
         "phone": phones[1], "residence_region": "440106"}), content_type="application/json"))  # fmt: skip
    keep(client.post("/api/v1/persons", data=json.dumps({"name": "乙", "id_number": numbers[1],
         "phone": phones[1][:10], "residence_region": "440106"}), content_type="application/json"))  # fmt: skip
    keep(client.get("/api/v1/persons?page_size=50"))
    keep(client.get(f"/api/v1/persons/{person_id}"))
    keep(client.post("/api/v1/persons/search", data=json.dumps({"id_number": numbers[0]}),
                     content_type="application/json"))  # fmt: skip
    keep(client.get(f"/api/v1/persons/{person_id}/archive"))
    keep(client.get(f"/api/v1/persons/{person_id}/archive?download=true"))
    pdf_texts: list[str] = []
    from jineng.registry import pdf as pdf_module

    real_paragraph = pdf_module.Paragraph

    def spy(text, *args, **kwargs):
        pdf_texts.append(str(text))
        return real_paragraph(text, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "Paragraph", spy)
    pdf = client.get(f"/api/v1/persons/{person_id}/archive.pdf")
    captured.append(_pdf_text(pdf.content))
    captured.append("\n".join(pdf_texts))
    assert any("*" in t for t in pdf_texts)  # the masked number is in the PDF
    # Pages.
    keep(client.get("/persons/"))
    keep(client.get(f"/persons/{person_id}/"))
    # Reveal: the response is the one place allowed to hold the value; it is checked, then left out of the scan.
    revealed = client.post(f"/api/v1/persons/{person_id}/reveal", data=json.dumps({"field": "id_number",
                           "reason": "核对"}), content_type="application/json")  # fmt: skip
    assert revealed.json()["value"] == numbers[0]
    page_reveal = client.post(f"/persons/{person_id}/reveal/", {"field": "phone", "reason": "回访"})
    assert phones[0] in page_reveal.content.decode()
    # Imports: CLI with report, API upload with report, a refused file, rows with errors and warnings.
    path = write_xlsx(tmp_path / "p.xlsx", [["姓名", "身份证号码", "手机号码", "居住地"],
                                            ["丙", numbers[2], phones[2], "440106"],
                                            ["甲", numbers[0], phones[3], "440106"],
                                            ["丁", numbers[3][:17] + "0" if numbers[3][17] != "0" else numbers[3][:17] + "1",
                                             phones[3], "440106"],
                                            ["假", numbers[2], "", "440106"]])  # fmt: skip
    report = tmp_path / "r.xlsx"
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "persons", str(path), "--mode", "partial", "--report", str(report), "--as", "scan",
                     stdout=out, stderr=out)  # fmt: skip
    captured.append(out.getvalue())
    captured.append(_xlsx_text(report))
    legacy = write_csv(tmp_path / "l.csv", [["姓名", "身份证号码", "手机号码"], ["戊", id15_of(numbers[3]), phones[3]]])
    with django_capture_on_commit_callbacks(execute=True), legacy.open("rb") as fh:
        up = client.post("/api/v1/imports/", {"kind": "persons", "file": fh})
    keep(up)
    status = client.get(f"/api/v1/imports/{up.json()['id']}")
    keep(status)
    captured.append(_xlsx_text(client.get(status.json()["report_url"]).content))
    keep(client.get(f"/imports/{up.json()['id']}/"))
    keep(client.get("/imports/"))
    keep(client.get("/api/v1/imports/"))
    # Audit entries and log lines.
    captured += [json.dumps([e.before, e.after, e.reason], ensure_ascii=False) for e in AuditEntry.objects.all()]
    captured += [r.getMessage() for r in caplog.records]
    captured += [str(r.__dict__) for r in caplog.records]
    # An attachment carrying the numbers (an ID scan), so the stored-files scan below has one to look at.
    from django.core.files.uploadedfile import SimpleUploadedFile

    scan = ("%PDF-1.4 " + " ".join(numbers + phones)).encode()
    keep(client.post("/api/v1/attachments", {"kind": "evidence", "region": "440106",
                                             "file": SimpleUploadedFile("id.pdf", scan, "application/pdf")}))  # fmt: skip
    blob = "\n".join(captured)
    leaks = sorted(s for s in secrets if s in blob or s.lower() in blob)
    assert not leaks, f"unmasked personal data found: {[s[:4] + '…' for s in leaks]}"
    assert "4401" in blob and "****" in blob  # masked forms are there
    _assert_stored_files_and_backups_hold_no_plaintext(secrets)


def _needles(secrets: set[str]) -> list[bytes]:
    """Each secret as bytes in the encodings a stored file may use (UTF-8/GBK are the same for digits; UTF-16)."""
    out: list[bytes] = []
    for s in secrets:
        out += [s.encode(), s.lower().encode(), s.encode("utf-16-le")]
    return out


def _assert_stored_files_and_backups_hold_no_plaintext(secrets: set[str]) -> None:
    """Every file in the default storage (MEDIA_ROOT: import sources, reports, attachments) as its bytes sit at
    rest, and every file under ``var/backups/`` if there is one, holds none of the secrets in clear."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    from jineng.common.storage import stored_files

    needles = _needles(secrets)
    names = list(stored_files())
    assert any(n.startswith("imports/") for n in names) and any(n.startswith("attachments/") for n in names)
    leaking = []
    for name in names:
        with default_storage._open_raw(name) as raw:
            data = raw.read()
        if any(n in data for n in needles):
            leaking.append(name)
    assert not leaking, f"stored files with unmasked personal data: {leaking}"
    backups = Path(settings.BASE_DIR) / "var" / "backups"
    if backups.is_dir():
        bad = [str(path) for path in backups.rglob("*") if path.is_file() and _file_holds(path, needles)]
        assert not bad, f"backups with unmasked personal data: {bad}"


def _file_holds(path: Path, needles: list[bytes]) -> bool:
    """Whether any needle occurs in the file, read in 4 MiB chunks with an overlap (backups can be large)."""
    overlap = max(len(n) for n in needles)
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(4 << 20):
            data = tail + chunk
            if any(n in data for n in needles):
                return True
            tail = data[-overlap:]
    return False


def test_keys_status_output_has_no_personal_data(make_user):
    from jineng.registry.tests.factories import make_person

    number = id18(seq=900)
    make_person(name="某", id_number=number, phone="13800009000")
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert number not in out.getvalue() and "13800009000" not in out.getvalue()
    assert Path  # keep import


def test_backup_scan_finds_a_number_across_chunk_borders(tmp_path):
    number = id18(seq=901)
    path = tmp_path / "base.tar"
    path.write_bytes(b"\x00" * ((4 << 20) - 5) + number.encode() + b"\x00" * 10)
    assert _file_holds(path, _needles({number}))
    path.write_bytes(b"\x00" * (5 << 20))
    assert not _file_holds(path, _needles({number}))
