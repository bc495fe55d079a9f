"""Storages that encrypt every file at rest (``jineng.common.crypto_files``) and decrypt it on read.

``STORAGES["default"]`` names one of them, so every ``FileField`` — import sources and reports, attachments (ID
scans, bank cards, pledges) — is written encrypted and read back as plaintext by the code that already reads it
(``field.open("rb")``): the import worker, the authorised download. Nothing else changes for callers.

``stored_files``, ``file_is_encrypted``, ``file_encrypt_in_place`` and ``file_rewrap`` serve ``jineng files``
(status, encrypt: the one-time migration of files stored before) and ``jineng keys rotate`` (re-wrap file keys).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, InMemoryStorage, default_storage

from jineng.common.crypto import active_prefix, keyring
from jineng.common.crypto_files import (
    MAGIC,
    ChunkReader,
    FileHeader,
    decrypt_records,
    encrypt_chunks,
    plaintext_size,
    read_header,
)


class EncryptingMixin:
    """Encrypts on ``_save``, decrypts on ``_open`` (files without the header are read as stored: legacy)."""

    def _save(self, name: str, content: Any) -> str:
        pieces = encrypt_chunks(content.chunks())
        sealed = File(io.BufferedReader(ChunkReader(pieces), buffer_size=1 << 16), name=name)
        return super()._save(name, sealed)  # type: ignore[misc, no-any-return]

    def _open(self, name: str, mode: str = "rb") -> Any:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted storage files are written through save(), never opened for writing")
        raw = super()._open(name, "rb")  # type: ignore[misc]
        header = read_header(raw)
        if header is None:
            return raw
        reader = ChunkReader(decrypt_records(raw, header), close=raw.close)
        return File(io.BufferedReader(reader, buffer_size=1 << 16), name=name)

    def _open_raw(self, name: str) -> Any:
        return super()._open(name, "rb")  # type: ignore[misc]

    def _stored_size(self, name: str) -> int:
        raise NotImplementedError

    def size(self, name: str) -> int:
        stored = self._stored_size(name)
        with self._open_raw(name) as raw:
            header = read_header(raw)
        return stored if header is None else plaintext_size(stored, header)

    def _replace(self, name: str, pieces: Iterator[bytes]) -> None:
        """Write ``pieces`` as the new stored bytes of ``name``: atomically on a file system (a temporary file in
        the same directory, then ``os.replace``), else by deleting and saving under the same name."""
        if not isinstance(self, FileSystemStorage):
            data = b"".join(pieces)
            self.delete(name)  # type: ignore[attr-defined]
            super()._save(name, File(io.BytesIO(data), name=name))  # type: ignore[misc]  # the inner storage's
            return
        target = Path(self.path(name))
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".jineng-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                for piece in pieces:
                    out.write(piece)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class EncryptedFileSystemStorage(EncryptingMixin, FileSystemStorage):
    """Files under MEDIA_ROOT, encrypted."""

    def _stored_size(self, name: str) -> int:
        return os.path.getsize(self.path(name))


class EncryptedInMemoryStorage(EncryptingMixin, InMemoryStorage):
    """Tests: files in memory, encrypted all the same (so tests see what the disk would hold)."""

    def _stored_size(self, name: str) -> int:
        return len(InMemoryStorage._open(self, name, "rb").file.getvalue())  # type: ignore[attr-defined]


def _storage(storage: Any = None) -> EncryptingMixin:
    storage = storage or default_storage
    if not isinstance(storage, EncryptingMixin):
        raise TypeError("STORAGES['default'] is not an encrypting storage (jineng.common.storage)")
    return storage


def stored_files(storage: Any = None, top: str = "") -> Iterator[str]:
    """Every file name in the storage, walking its directories."""
    store = storage or default_storage
    try:
        dirs, files = store.listdir(top)
    except FileNotFoundError:
        return  # nothing stored yet (no MEDIA_ROOT)
    for name in files:
        yield f"{top}/{name}" if top else name
    for sub in dirs:
        yield from stored_files(store, f"{top}/{sub}" if top else sub)


def stored_header(name: str, storage: Any = None) -> FileHeader | None:
    with _storage(storage)._open_raw(name) as raw:
        return read_header(raw)


def file_is_encrypted(name: str, storage: Any = None) -> bool:
    with _storage(storage)._open_raw(name) as raw:
        return bool(raw.read(len(MAGIC)) == MAGIC)


def file_encrypt_in_place(name: str, storage: Any = None) -> bool:
    """Encrypt a plaintext file stored before encryption (streamed); False if it already was."""
    store = _storage(storage)
    if file_is_encrypted(name, store):
        return False
    with store._open_raw(name) as raw:

        def plain() -> Iterator[bytes]:
            while chunk := raw.read(1 << 20):
                yield chunk

        store._replace(name, encrypt_chunks(plain()))
    return True


def file_rewrap(name: str, storage: Any = None) -> bool:
    """Re-wrap the file's data key under the keyring's active key (the body is copied unchanged); False when the
    active key already wraps it or the file is plaintext."""
    store = _storage(storage)
    ring = keyring()
    with store._open_raw(name) as raw:
        header = read_header(raw)
        if header is None or header.wrapped_key.startswith(active_prefix(ring)):
            return False
        fresh = header.rewrapped(ring)

        def pieces() -> Iterator[bytes]:
            yield fresh.encode()
            while chunk := raw.read(1 << 20):
                yield chunk

        store._replace(name, pieces())
    return True


def file_usage(storage: Any = None) -> dict[str, int]:
    """How many stored files each (algorithm:key id) wraps, and how many are still plaintext."""
    counts: dict[str, int] = {}
    for name in stored_files(storage):
        header = stored_header(name, storage)
        label = "plaintext" if header is None else f"{header.algorithm}:{header.key_id}"
        counts[label] = counts.get(label, 0) + 1
    return dict(sorted(counts.items()))
