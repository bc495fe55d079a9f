"""存储文件加密 — every stored file encrypted at rest (envelope encryption under the platform's keyring).

Each file gets its own random 32-byte data key. The data key is *wrapped* (encrypted) by the keyring's active key
with ``crypto.encrypt`` — so it names its algorithm and key id, and ``jineng keys rotate`` re-wraps it without
touching the file's body — and stored in the file's header. The body is encrypted in chunks with the data key, so
a large import is streamed in and out without sitting in memory:

    b"JNGFILE1" ‖ header length (2 bytes, big endian) ‖ header (JSON: v, alg, chunk, prefix, key)
    ‖ record 0 ‖ record 1 ‖ … ‖ final record

Every record holds ``chunk`` plaintext bytes except the final one (0…``chunk`` bytes; always present, so a
truncated file is detected). Per algorithm (``JINENG_DATA_CIPHER``, as the fields use):

- ``a256gcm``: AES-256-GCM, nonce = prefix (8) ‖ record index (4), record = ciphertext ‖ tag (16);
- ``sm4ctr-hsm3``: SM4-CTR with counter block prefix (8) ‖ record index (4) ‖ 0000, record = ciphertext ‖
  HMAC-SM3 tag (32) over the associated data, the counter block and the ciphertext.

The associated data of each record is its index and whether it is the final one, so records cannot be reordered,
dropped or the file cut at a record boundary. Subkeys come from the data key by the same HKDF as the fields'.

A file that does not start with the magic is a plaintext file stored before encryption: it is read as it is until
``jineng files encrypt`` (run once on upgrade) encrypts it in place.
"""

from __future__ import annotations

import hmac
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jineng.common.crypto import (
    AES_GCM,
    DecryptionError,
    Keyring,
    _b64,
    _hmac_sm3,
    _subkeys,
    _unb64,
    decrypt,
    encrypt,
    keyring,
    token_info,
)

MAGIC = b"JNGFILE1"
KEY_CONTEXT = "jineng-file-data-key"
CHUNK = 64 * 1024
TAG = {AES_GCM: 16}
SM4_TAG = 32


def tag_size(algorithm: str) -> int:
    return TAG.get(algorithm, SM4_TAG)


@dataclass(frozen=True)
class FileHeader:
    algorithm: str
    chunk: int
    prefix: bytes
    wrapped_key: str  # ``crypto.encrypt`` token of the data key: names the keyring key that wraps it

    @property
    def key_id(self) -> str:
        return token_info(self.wrapped_key)[1]

    def encode(self) -> bytes:
        body = json.dumps(
            {"v": 1, "alg": self.algorithm, "chunk": self.chunk, "prefix": _b64(self.prefix), "key": self.wrapped_key},
            separators=(",", ":"),
        ).encode()
        return MAGIC + len(body).to_bytes(2, "big") + body

    def data_key(self, ring: Keyring | None = None) -> bytes:
        return _unb64(decrypt(self.wrapped_key, context=KEY_CONTEXT, ring=ring))

    def rewrapped(self, ring: Keyring | None = None) -> FileHeader:
        """The same data key, wrapped by the active key (``jineng keys rotate``)."""
        ring = ring or keyring()
        token = encrypt(_b64(self.data_key(ring)), context=KEY_CONTEXT, ring=ring)
        return FileHeader(self.algorithm, self.chunk, self.prefix, token)


def new_header(ring: Keyring | None = None) -> tuple[FileHeader, bytes]:
    ring = ring or keyring()
    data_key = os.urandom(32)
    token = encrypt(_b64(data_key), context=KEY_CONTEXT, ring=ring)
    return FileHeader(ring.algorithm, CHUNK, os.urandom(8), token), data_key


def read_header(fh: IO[bytes]) -> FileHeader | None:
    """The header of an encrypted file (the stream is left at the first record), or None for a plaintext file
    (the stream is then left where it was)."""
    start = fh.tell() if fh.seekable() else None
    magic = fh.read(len(MAGIC))
    if magic != MAGIC:
        if start is not None:
            fh.seek(start)
        elif magic:
            raise DecryptionError("not an encrypted file and the stream cannot be rewound")
        return None
    length = int.from_bytes(fh.read(2), "big")
    try:
        data = json.loads(fh.read(length))
        return FileHeader(str(data["alg"]), int(data["chunk"]), _unb64(data["prefix"]), str(data["key"]))
    except (ValueError, KeyError, TypeError):
        raise DecryptionError("malformed file header") from None


def _aad(index: int, final: bool) -> bytes:
    return b"jineng-file\x00" + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


class _Sealer:
    def __init__(self, header: FileHeader, data_key: bytes):
        self.header = header
        self.enc, self.mac = _subkeys(header.algorithm, data_key)
        self.gcm = AESGCM(self.enc) if header.algorithm == AES_GCM else None

    def _counter(self, index: int) -> bytes:
        base = self.header.prefix + index.to_bytes(4, "big")
        return base if self.gcm is not None else base + b"\x00\x00\x00\x00"

    def seal(self, index: int, data: bytes, final: bool) -> bytes:
        nonce = self._counter(index)
        if self.gcm is not None:
            return self.gcm.encrypt(nonce, data, _aad(index, final))
        encryptor = Cipher(algorithms.SM4(self.enc), modes.CTR(nonce)).encryptor()
        body = encryptor.update(data) + encryptor.finalize()
        return body + _hmac_sm3(self.mac, _aad(index, final) + nonce + body)

    def open(self, index: int, record: bytes, final: bool) -> bytes:
        nonce = self._counter(index)
        if self.gcm is not None:
            try:
                return self.gcm.decrypt(nonce, record, _aad(index, final))
            except InvalidTag:
                raise DecryptionError("file record failed authentication") from None
        body, tag = record[:-SM4_TAG], record[-SM4_TAG:]
        if len(tag) != SM4_TAG or not hmac.compare_digest(tag, _hmac_sm3(self.mac, _aad(index, final) + nonce + body)):
            raise DecryptionError("file record failed authentication")
        decryptor = Cipher(algorithms.SM4(self.enc), modes.CTR(nonce)).decryptor()
        return decryptor.update(body) + decryptor.finalize()


def _exact_chunks(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    yield bytes(buffer)  # the last, possibly empty


def encrypt_chunks(chunks: Iterable[bytes], ring: Keyring | None = None) -> Iterator[bytes]:
    """The encrypted file, piece by piece, for a plaintext given piece by piece (bounded memory)."""
    header, data_key = new_header(ring)
    sealer = _Sealer(header, data_key)
    yield header.encode()
    pieces = _exact_chunks(chunks, header.chunk)
    current = next(pieces)
    index = 0
    for following in pieces:
        if not following and len(current) == header.chunk:
            break  # an exact multiple: ``current`` is the final record
        yield sealer.seal(index, current, final=False)
        index += 1
        current = following
    yield sealer.seal(index, current, final=True)


def decrypt_records(fh: IO[bytes], header: FileHeader, ring: Keyring | None = None) -> Iterator[bytes]:
    """The plaintext of an encrypted file, record by record (``fh`` positioned after the header)."""
    sealer = _Sealer(header, header.data_key(ring))
    size = header.chunk + tag_size(header.algorithm)
    current = fh.read(size)
    index = 0
    while True:
        following = fh.read(size)
        final = not following
        if final and len(current) < tag_size(header.algorithm):
            raise DecryptionError("encrypted file is truncated")
        yield sealer.open(index, current, final=final)
        if final:
            return
        index += 1
        current = following


def plaintext_size(stored_size: int, header: FileHeader) -> int:
    body = stored_size - len(header.encode())
    record = header.chunk + tag_size(header.algorithm)
    full, rest = divmod(body, record)
    return full * header.chunk if rest == 0 else full * header.chunk + rest - tag_size(header.algorithm)


class ChunkReader(io.RawIOBase):
    """A read-only stream over an iterator of byte pieces (what storages and ``FileResponse`` read from)."""

    def __init__(self, pieces: Iterator[bytes], close: Any = None):
        self._pieces = pieces
        self._buffer = b""
        self._close = close

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._pieces)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buffer))
        b[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def close(self) -> None:
        if self._close is not None and not self.closed:
            self._close()
        super().close()
