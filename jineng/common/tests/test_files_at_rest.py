"""Stored files encrypted at rest (issue 14, item 11): envelope encryption per file (both ciphers), streamed in
records; tampering, reordering and truncation fail; import sources and attachments are ciphertext in storage and
plaintext to the worker and to authorised downloads; ``jineng keys rotate`` re-wraps the file keys; ``jineng files
encrypt`` migrates files stored in plaintext before."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from jineng.common import crypto
from jineng.common.crypto import DecryptionError
from jineng.common.crypto_files import CHUNK, MAGIC, decrypt_records, encrypt_chunks, read_header
from jineng.common.storage import file_is_encrypted, file_usage, stored_header


def ring(cipher: str = "aes-256-gcm", active: str = "k1", keys: dict | None = None) -> dict:
    keys = keys or {"k1": b"\x01" * 32, "k2": b"\x02" * 32}
    return {"keys": keys, "active": active, "hash_key": b"\x09" * 32, "cipher": cipher, "required": False}


def _seal(data: bytes, piece: int = 7000) -> bytes:
    return b"".join(encrypt_chunks(data[i : i + piece] for i in range(0, max(len(data), 1), piece)))


def _open(blob: bytes) -> bytes:
    fh = io.BytesIO(blob)
    header = read_header(fh)
    assert header is not None
    return b"".join(decrypt_records(fh, header))


CIPHERS = ["aes-256-gcm", "sm4-ctr-hmac-sm3"]


@pytest.mark.parametrize("cipher", CIPHERS)
@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])
def test_round_trip_every_size_both_ciphers(cipher, size):
    data = bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    with override_settings(JINENG_DATA_KEYRING=ring(cipher)):
        blob = _seal(data)
        assert blob.startswith(MAGIC) and data[:64] not in blob[len(MAGIC) + 200 :] or size < 64
        assert _open(blob) == data


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3 * CHUNK + 5), piece=st.integers(min_value=1, max_value=2 * CHUNK))
def test_round_trip_property(data, piece):
    with override_settings(JINENG_DATA_KEYRING=ring()):
        assert _open(_seal(data, piece)) == data


@pytest.mark.parametrize("cipher", CIPHERS)
def test_tampering_truncation_and_a_wrong_key_fail(cipher):
    data = b"440106199001011234,13800138000\n" * 5000  # > 2 records
    with override_settings(JINENG_DATA_KEYRING=ring(cipher)):
        blob = _seal(data)
        header_len = len(MAGIC) + 2 + int.from_bytes(blob[len(MAGIC) : len(MAGIC) + 2], "big")
        flipped = bytearray(blob)
        flipped[header_len + 100] ^= 1
        with pytest.raises(DecryptionError):
            _open(bytes(flipped))
        tag = 16 if cipher == "aes-256-gcm" else 32
        cut = blob[: header_len + CHUNK + tag]  # cut exactly after the first record
        with pytest.raises(DecryptionError):
            _open(cut)
    with override_settings(JINENG_DATA_KEYRING=ring(cipher, keys={"k1": b"\x05" * 32})):
        with pytest.raises(DecryptionError):
            _open(blob)


@pytest.mark.django_db
def test_import_source_is_ciphertext_at_rest_and_imports(tmp_path, make_user):
    from jineng.imports.models import ImportJob
    from jineng.imports.tests.helpers import write_csv
    from jineng.registry.models import Person
    from jineng.registry.tests.factories import id18

    user = make_user("county_official", region="440106", username="at-rest")
    number = id18("440106", seq=301)
    path = write_csv(tmp_path / "p.csv", [["姓名", "身份证号码", "手机号码"], ["静态", number, "13800000301"]])
    with pytest.raises(SystemExit) as exc:
        call_command("import", "persons", str(path), "--as", user.username, stdout=StringIO(), stderr=StringIO())
    assert exc.value.code == 0
    assert Person.objects.filter(name="静态").exists()  # the worker read the source through decryption
    record = ImportJob.objects.get()
    raw = default_storage._open_raw(record.file.name).read()
    assert raw.startswith(MAGIC) and number.encode() not in raw and b"13800000301" not in raw
    assert file_is_encrypted(record.report.name)
    with record.file.open("rb") as fh:
        assert number.encode() in fh.read()  # transparently decrypted for an authorised reader
    assert record.file.size == path.stat().st_size


@pytest.mark.django_db
def test_attachment_is_ciphertext_at_rest_and_downloads_as_uploaded(make_user, api):
    user = make_user("county_official", region="440106", username="att-rest")
    content = b"%PDF-1.4\n" + "身份证 440106199001011234 银行卡 6222020200112233445".encode() + b"\n" * 70000
    upload = ContentFile(content, name="id-scan.pdf")
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(user)
    response = client.post(
        "/api/v1/attachments",
        {
            "kind": "evidence",
            "region": "440106",
            "file": SimpleUploadedFile("id.pdf", upload.read(), "application/pdf"),
        },
    )
    assert response.status_code == 201, response.content
    from jineng.common.attachments.models import Attachment

    att = Attachment.objects.get(pk=response.json()["id"])
    raw = default_storage._open_raw(att.file.name).read()
    assert raw.startswith(MAGIC) and b"440106199001011234" not in raw and b"6222020200112233445" not in raw
    download = client.get(f"/api/v1/attachments/{att.pk}/download")
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    stranger = make_user("county_official", region="440303", username="att-stranger")
    assert api(stranger).get(f"/api/v1/attachments/{att.pk}/download").status_code == 404


@pytest.mark.django_db
def test_keys_rotate_rewraps_file_keys_and_old_key_can_then_go():
    with override_settings(JINENG_DATA_KEYRING=ring(active="k1")):
        name = default_storage.save("attachments/rotate-me.bin", ContentFile(b"secret 13800138000" * 5000))
        assert stored_header(name).key_id == "k1"
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2")):
        out = StringIO()
        call_command("keys", "rotate", stdout=out)
        assert "file keys re-wrapped" in out.getvalue()
        assert stored_header(name).key_id == "k2"
        assert "a256gcm:k1" not in file_usage()
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2", keys={"k2": b"\x02" * 32})):
        with default_storage.open(name, "rb") as fh:
            assert fh.read() == b"secret 13800138000" * 5000


@pytest.mark.django_db
def test_plaintext_files_from_before_are_read_and_then_encrypted_in_place():
    name = "imports/2025/01/legacy.csv"
    plain = "姓名,身份证号码\n旧,440106199001011234\n".encode()
    # stored as an older release did: straight into the inner storage, no header
    from django.core.files.storage import InMemoryStorage

    InMemoryStorage._save(default_storage._wrapped, name, ContentFile(plain))
    assert not file_is_encrypted(name)
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == plain
    out = StringIO()
    call_command("files", "encrypt", stdout=out)
    assert file_is_encrypted(name)
    assert b"440106199001011234" not in default_storage._open_raw(name).read()
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == plain
    assert "encrypted 1 plaintext files" in out.getvalue()
    assert "plaintext" not in file_usage()


def test_dev_keyring_is_used_in_tests_and_crypto_is_shared():
    assert crypto.keyring().algorithm in ("a256gcm", "sm4ctr-hsm3")


def test_file_system_storage_encrypts_migrates_and_rewraps_atomically(tmp_path):
    from jineng.common.storage import EncryptedFileSystemStorage, file_encrypt_in_place, file_rewrap, stored_files

    store = EncryptedFileSystemStorage(location=tmp_path)
    data = b"440106199001011234,13800138000\n" * 9000
    with override_settings(JINENG_DATA_KEYRING=ring(active="k1")):
        name = store.save("imports/2026/12/a.csv", ContentFile(data))
        on_disk = (tmp_path / name).read_bytes()
        assert on_disk.startswith(MAGIC) and b"440106199001011234" not in on_disk
        assert store.size(name) == len(data)
        with store.open(name) as fh:
            assert fh.read() == data
        (tmp_path / "imports" / "old.csv").write_bytes(data)  # stored before encryption
        assert file_encrypt_in_place("imports/old.csv", store) and not file_encrypt_in_place("imports/old.csv", store)
        assert b"440106199001011234" not in (tmp_path / "imports" / "old.csv").read_bytes()
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2")):
        assert sorted(stored_files(store)) == ["imports/2026/12/a.csv", "imports/old.csv"]
        assert all(file_rewrap(n, store) for n in stored_files(store))
        assert not list(tmp_path.rglob(".jineng-*"))  # no temporary file left behind
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2", keys={"k2": b"\x02" * 32})):
        for n in ("imports/2026/12/a.csv", "imports/old.csv"):
            with store.open(n) as fh:
                assert fh.read() == data
