"""Field encryption: both algorithms round-trip, tokens name algorithm and key, tampering and wrong fields fail,
the blind index is stable across rotation, rotation moves every value to the active key, production needs keys."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from jineng.common import crypto


def ring(cipher: str = "aes-256-gcm", active: str = "k1", keys: dict | None = None) -> dict:
    keys = keys or {"k1": b"\x01" * 32, "k2": b"\x02" * 32}
    return {"keys": keys, "active": active, "hash_key": b"\x09" * 32, "cipher": cipher, "required": False}


@pytest.mark.parametrize("cipher,alg", [("aes-256-gcm", "a256gcm"), ("sm4-ctr-hmac-sm3", "sm4ctr-hsm3")])
def test_round_trip_and_token_names_algorithm_and_key(cipher, alg):
    with override_settings(JINENG_DATA_KEYRING=ring(cipher)):
        token = crypto.encrypt("44010619900307123X", context="t.field")
        assert token.startswith(f"{alg}:k1:")
        assert "44010619900307123X" not in token
        assert crypto.decrypt(token, context="t.field") == "44010619900307123X"
        assert crypto.token_info(token) == (alg, "k1")
        # Each encryption is fresh (random nonce).
        assert crypto.encrypt("x", context="t.field") != crypto.encrypt("x", context="t.field")


@pytest.mark.parametrize("cipher", ["aes-256-gcm", "sm4-ctr-hmac-sm3"])
def test_tampering_and_another_field_fail(cipher):
    with override_settings(JINENG_DATA_KEYRING=ring(cipher)):
        token = crypto.encrypt("13800138000", context="a.phone")
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, context="b.phone")  # copied into another column
        alg, kid, payload = token.split(":")
        raw = bytearray(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        raw[-1] ^= 1
        forged = f"{alg}:{kid}:" + base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(forged, context="a.phone")


def test_unknown_key_is_an_error():
    with override_settings(JINENG_DATA_KEYRING=ring()):
        token = crypto.encrypt("x", context="c")
    with override_settings(JINENG_DATA_KEYRING=ring(keys={"k9": b"\x07" * 32}, active="k9")):
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token, context="c")


def test_blind_index_is_keyed_stable_across_rotation_and_per_context():
    with override_settings(JINENG_DATA_KEYRING=ring(active="k1")):
        h1 = crypto.blind_index("13800138000", context="p")
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2")):
        h2 = crypto.blind_index("13800138000", context="p")
        assert crypto.blind_index("13800138000", context="q") != h2
    assert h1 == h2 and len(h1) == 64
    other = ring()
    other["hash_key"] = b"\x08" * 32
    with override_settings(JINENG_DATA_KEYRING=other):
        assert crypto.blind_index("13800138000", context="p") != h1
    with override_settings(JINENG_DATA_KEYRING=ring("sm4-ctr-hmac-sm3")):
        assert crypto.blind_index("13800138000", context="p") != h1  # HMAC-SM3


def test_dev_key_without_configuration_warns():
    with override_settings(JINENG_DATA_KEYRING={"keys": {}, "active": "", "hash_key": None, "cipher": "aes-256-gcm",
                                                "required": False}):  # fmt: skip
        with pytest.warns(RuntimeWarning, match="DEVELOPMENT"):
            ring_ = crypto.keyring()
        assert ring_.dev and ring_.active == "dev"
        assert crypto.decrypt(crypto.encrypt("x", context="c"), context="c") == "x"


@pytest.mark.django_db
def test_rotation_re_encrypts_every_value_and_keeps_lookups(make_user):
    """Persons written under k1; k2 becomes active; `jineng keys rotate` moves everything; hashes unchanged."""
    from io import StringIO

    from django.core.management import call_command

    from jineng.registry.identity import number_hash, open_number
    from jineng.registry.models import IdentityDocument, Person
    from jineng.registry.services.persons import person_create
    from jineng.rules.idcard import check_character

    numbers = []
    with override_settings(JINENG_DATA_KEYRING=ring(active="k1")):
        for i in range(7):
            body = f"44010619900101{i:03d}"
            numbers.append(body + check_character(body))
            person_create(actor=None, name=f"甲{'乙' * i}", id_number=numbers[-1], phone=f"1380013800{i}",
                          residence_region="440106", check_permission=False)  # fmt: skip
        hashes = set(IdentityDocument.objects.values_list("number_hash", flat=True))
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2")):
        out = StringIO()
        call_command("keys", "status", stdout=out)
        assert "a256gcm:k1=7" in out.getvalue()
        call_command("keys", "rotate", "--batch-size", "3", stdout=StringIO())
        assert all(t.startswith("a256gcm:k2:") for t in IdentityDocument.objects.values_list("number_enc", flat=True))
        assert all(t.startswith("a256gcm:k2:") for t in Person.objects.values_list("phone_enc", flat=True))
        assert set(IdentityDocument.objects.values_list("number_hash", flat=True)) == hashes
        assert sorted(open_number(d.number_enc) for d in IdentityDocument.objects.all()) == sorted(numbers)
        assert number_hash(numbers[0]) in hashes
        out = StringIO()
        call_command("keys", "status", stdout=out)
        assert "k1=" not in out.getvalue()
    # After rotation the old key can be removed: everything still decrypts with k2 alone.
    with override_settings(JINENG_DATA_KEYRING=ring(active="k2", keys={"k2": b"\x02" * 32})):
        assert sorted(open_number(d.number_enc) for d in IdentityDocument.objects.all()) == sorted(numbers)


@pytest.mark.parametrize("cipher", ["aes-256-gcm", "sm4-ctr-hmac-sm3"])
@given(values=st.lists(st.text(max_size=40), max_size=20))
@settings(max_examples=40, deadline=None)
def test_batch_sealing_is_the_one_value_sealing(cipher, values):
    """``encrypt_many``/``blind_index_many`` (imports seal a batch at once) give what the one-value functions give:
    the same keyed hashes, tokens that decrypt to the values with the same key and field, empty for empty."""
    with override_settings(JINENG_DATA_KEYRING=ring(cipher)):
        hashes = crypto.blind_index_many(values, context="registry.document")
        assert hashes == [crypto.blind_index(v, context="registry.document") for v in values]
        tokens = crypto.encrypt_many(values, context="registry.document")
        assert [crypto.decrypt(t, context="registry.document") for t in tokens] == values
        assert [t.split(":", 2)[:2] for t in tokens if t] == [
            crypto.encrypt(v, context="registry.document").split(":", 2)[:2] for v in values if v
        ]
        assert len({t for t in tokens if t}) == len([t for t in tokens if t])  # a fresh nonce for every value
