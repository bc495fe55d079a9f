"""个人信息加密 — field encryption for personal data, and the keyed hash (blind index) that finds it.

Every encrypted value is a self-describing token ``<algorithm>:<key id>:<base64url payload>``:

- ``a256gcm`` — AES-256-GCM (default): 12-byte nonce ‖ ciphertext ‖ 16-byte tag;
- ``sm4ctr-hsm3`` — 商用密码 (GB/T 39786): SM4-CTR, then HMAC-SM3 over nonce ‖ ciphertext (encrypt-then-MAC):
  16-byte nonce ‖ ciphertext ‖ 32-byte tag.

The field's name (``context``) is bound into each token (GCM associated data, or the MAC input), so a value
copied into another column does not decrypt. Per-algorithm subkeys are derived from each 32-byte master key with
HKDF (SHA-256 for AES, SM3 for SM4).

Exact lookup goes through ``blind_index(value, context=...)``: HMAC-SHA256 (or HMAC-SM3 with the SM4 cipher)
under a separate hash key that does not rotate with the data keys, so lookups and unique constraints survive
``jineng keys rotate``.

Keys come from ``settings.JINENG_DATA_KEYRING`` (read from the environment by ``config.env``). Without keys —
development and tests only; production settings refuse to start — a key is derived from SECRET_KEY and a loud
warning is logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models, transaction

log = logging.getLogger("jineng.crypto")

AES_GCM = "a256gcm"
SM4_CTR_HMAC_SM3 = "sm4ctr-hsm3"
CIPHER_NAMES = {"aes-256-gcm": AES_GCM, "sm4-ctr-hmac-sm3": SM4_CTR_HMAC_SM3}
DEV_KEY_ID = "dev"


class DecryptionError(Exception):
    """A token that cannot be decrypted: unknown key id, unknown algorithm, or tampered content."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]
    active: str
    hash_key: bytes
    algorithm: str  # AES_GCM or SM4_CTR_HMAC_SM3: what new values are written with
    dev: bool = False

    @property
    def hash_name(self) -> str:
        return "hmac-sm3" if self.algorithm == SM4_CTR_HMAC_SM3 else "hmac-sha256"


def _dev_keyring(algorithm: str) -> Keyring:
    secret = settings.SECRET_KEY.encode()
    message = (
        "Personal data is encrypted with a DEVELOPMENT key derived from SECRET_KEY (JINENG_DATA_KEYS is not set). "
        "Never use this outside development and tests (未配置数据密钥，正在使用开发密钥)."
    )
    log.warning(message)
    warnings.warn(message, RuntimeWarning, stacklevel=3)
    return Keyring(
        keys={DEV_KEY_ID: hashlib.sha256(b"jineng-dev-data-key:" + secret).digest()},
        active=DEV_KEY_ID,
        hash_key=hashlib.sha256(b"jineng-dev-hash-key:" + secret).digest(),
        algorithm=algorithm,
        dev=True,
    )


@lru_cache(maxsize=1)
def keyring() -> Keyring:
    config: dict[str, Any] = dict(getattr(settings, "JINENG_DATA_KEYRING", None) or {})
    algorithm = CIPHER_NAMES[str(config.get("cipher") or "aes-256-gcm")]
    keys: dict[str, bytes] = dict(config.get("keys") or {})
    hash_key = config.get("hash_key")
    if not keys:
        if config.get("required"):
            raise RuntimeError("JINENG_DATA_KEYS is required in production")
        ring = _dev_keyring(algorithm)
        if hash_key:
            ring = Keyring(ring.keys, ring.active, hash_key, algorithm, dev=True)
        return ring
    if not hash_key:
        # Keys without a hash key: only outside production (production.py refuses); derive one, loudly.
        log.warning("JINENG_DATA_HASH_KEY is not set: the blind index uses a key derived from SECRET_KEY.")
        hash_key = hashlib.sha256(b"jineng-dev-hash-key:" + settings.SECRET_KEY.encode()).digest()
    return Keyring(keys=keys, active=str(config["active"]), hash_key=hash_key, algorithm=algorithm)


def keyring_reset(**kwargs: Any) -> None:
    keyring.cache_clear()
    _subkeys.cache_clear()


def _on_setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("JINENG_DATA_KEYRING", "SECRET_KEY"):
        keyring_reset()


setting_changed.connect(_on_setting_changed)


@lru_cache(maxsize=64)
def _subkeys(algorithm: str, master: bytes) -> tuple[bytes, bytes]:
    if algorithm == AES_GCM:
        enc = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"jineng-data/aes-256-gcm").derive(master)
        return enc, b""
    enc = HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=b"jineng-data/sm4-ctr").derive(master)
    mac = HKDF(algorithm=hashes.SM3(), length=32, salt=None, info=b"jineng-data/hmac-sm3").derive(master)
    return enc, mac


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hmac_sm3(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hmac as chmac

    mac = chmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    """Encrypt ``plaintext`` for the field named ``context`` with the active key. Empty stays empty."""
    if not plaintext:
        return ""
    ring = ring or keyring()
    enc, mac = _subkeys(ring.algorithm, ring.keys[ring.active])
    data = plaintext.encode()
    aad = context.encode()
    if ring.algorithm == AES_GCM:
        nonce = os.urandom(12)
        payload = nonce + AESGCM(enc).encrypt(nonce, data, aad)
    else:
        nonce = os.urandom(16)
        encryptor = Cipher(algorithms.SM4(enc), modes.CTR(nonce)).encryptor()
        body = nonce + encryptor.update(data) + encryptor.finalize()
        payload = body + _hmac_sm3(mac, aad + b"\x00" + body)
    return f"{ring.algorithm}:{ring.active}:{_b64(payload)}"


def decrypt(token: str, *, context: str, ring: Keyring | None = None) -> str:
    """The plaintext of a token written by ``encrypt`` with any key still in the keyring."""
    if not token:
        return ""
    ring = ring or keyring()
    try:
        algorithm, kid, b64 = token.split(":", 2)
        payload = _unb64(b64)
    except ValueError:
        raise DecryptionError("malformed token") from None
    master = ring.keys.get(kid)
    if master is None:
        raise DecryptionError(f"key {kid!r} is not in JINENG_DATA_KEYS")
    if algorithm not in (AES_GCM, SM4_CTR_HMAC_SM3):
        raise DecryptionError(f"unknown algorithm {algorithm!r}")
    enc, mac = _subkeys(algorithm, master)
    aad = context.encode()
    if algorithm == AES_GCM:
        try:
            return AESGCM(enc).decrypt(payload[:12], payload[12:], aad).decode()
        except InvalidTag:
            raise DecryptionError("authentication failed") from None
    body, tag = payload[:-32], payload[-32:]
    if len(body) < 16 or not hmac.compare_digest(tag, _hmac_sm3(mac, aad + b"\x00" + body)):
        raise DecryptionError("authentication failed")
    decryptor = Cipher(algorithms.SM4(enc), modes.CTR(body[:16])).decryptor()
    return (decryptor.update(body[16:]) + decryptor.finalize()).decode()


def token_info(token: str) -> tuple[str, str]:
    """(algorithm, key id) that wrote a token."""
    algorithm, kid, _ = token.split(":", 2)
    return algorithm, kid


def active_prefix(ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    return f"{ring.algorithm}:{ring.active}:"


def blind_index(value: str, *, context: str, ring: Keyring | None = None) -> str:
    """Keyed hash for exact lookup (hex). Stable across data-key rotation; empty stays empty."""
    if not value:
        return ""
    ring = ring or keyring()
    data = context.encode() + b"\x00" + value.encode()
    if ring.algorithm == SM4_CTR_HMAC_SM3:
        return _hmac_sm3(ring.hash_key, data).hex()
    return hmac.new(ring.hash_key, data, hashlib.sha256).hexdigest()


def encrypt_many(plaintexts: list[str], *, context: str, ring: Keyring | None = None) -> list[str]:
    """``encrypt`` of each value (empty stays empty), for a batch: the cipher object is built once and the nonces
    are read from the system's generator in one call (imports seal thousands of values a batch)."""
    ring = ring or keyring()
    if ring.algorithm != AES_GCM:
        return [encrypt(text, context=context, ring=ring) for text in plaintexts]
    enc, _mac = _subkeys(ring.algorithm, ring.keys[ring.active])
    cipher, aad, prefix = AESGCM(enc), context.encode(), f"{ring.algorithm}:{ring.active}:"
    nonces = os.urandom(12 * len(plaintexts))
    out = []
    for i, text in enumerate(plaintexts):
        if not text:
            out.append("")
            continue
        nonce = nonces[12 * i : 12 * i + 12]
        out.append(prefix + _b64(nonce + cipher.encrypt(nonce, text.encode(), aad)))
    return out


def blind_index_many(values: list[str], *, context: str, ring: Keyring | None = None) -> list[str]:
    """``blind_index`` of each value (empty stays empty), for a batch: the keyed hash is set up once and copied."""
    ring = ring or keyring()
    if ring.algorithm == SM4_CTR_HMAC_SM3:
        return [blind_index(value, context=context, ring=ring) for value in values]
    keyed = hmac.new(ring.hash_key, context.encode() + b"\x00", hashlib.sha256)
    out = []
    for value in values:
        if not value:
            out.append("")
            continue
        mac = keyed.copy()
        mac.update(value.encode())
        out.append(mac.hexdigest())
    return out


def generate_key() -> str:
    """A new random 32-byte key, base64 — for JINENG_DATA_KEYS and JINENG_DATA_HASH_KEY."""
    return base64.b64encode(os.urandom(32)).decode()


# ---- the encrypted fields of the project, and rotation --------------------------------------------------------


@dataclass(frozen=True)
class EncryptedField:
    model: type[models.Model]
    field: str
    context: str


_FIELDS: list[EncryptedField] = []


def register_encrypted_field(model: type[models.Model], field: str, context: str) -> None:
    """Apps name their encrypted columns here so that ``jineng keys rotate`` and ``status`` reach them."""
    if not any(f.model is model and f.field == field for f in _FIELDS):
        _FIELDS.append(EncryptedField(model, field, context))


def encrypted_fields() -> list[EncryptedField]:
    return list(_FIELDS)


def key_usage(spec: EncryptedField) -> dict[str, int]:
    """How many values each (algorithm:key id) wrote in one field."""
    counts: dict[str, int] = {}
    manager = spec.model._default_manager
    for token in manager.exclude(**{spec.field: ""}).values_list(spec.field, flat=True).iterator(chunk_size=5000):
        algorithm, kid = token_info(str(token))
        counts[f"{algorithm}:{kid}"] = counts.get(f"{algorithm}:{kid}", 0) + 1
    return counts


def _stale_batches(spec: EncryptedField, batch_size: int) -> Iterator[list[tuple[Any, str]]]:
    prefix = active_prefix()
    manager = spec.model._default_manager
    last_pk: Any = None
    while True:
        qs = manager.exclude(**{spec.field: ""}).exclude(**{f"{spec.field}__startswith": prefix})
        if last_pk is not None:
            qs = qs.filter(pk__gt=last_pk)
        batch = [(pk, str(tok)) for pk, tok in qs.order_by("pk").values_list("pk", spec.field)[:batch_size]]
        if not batch:
            return
        last_pk = batch[-1][0]
        yield batch


def rotate_field(spec: EncryptedField, *, batch_size: int = 1000) -> int:
    """Re-encrypt every value of one field that the active key did not write; returns how many were rotated.

    Each batch is its own short transaction, and each row is updated only if it still holds the token that was
    read, so writers running meanwhile (already using the new key) are never overwritten: no downtime.
    """
    rotated = 0
    manager = spec.model._default_manager
    for batch in _stale_batches(spec, batch_size):
        with transaction.atomic():
            for pk, token in batch:
                fresh = encrypt(decrypt(token, context=spec.context), context=spec.context)
                rotated += manager.filter(pk=pk, **{spec.field: token}).update(**{spec.field: fresh})
    return rotated
