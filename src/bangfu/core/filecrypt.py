"""Files at rest encrypted with a key derived from the PII secret (``settings.PII_KEY``).

``EncryptedFileSystemStorage`` is a FileSystemStorage whose files are Fernet tokens on disk:
``save`` encrypts, ``open`` gives back the clear bytes, so a FileField that uses it needs
no other change. Meant for small files (evidence of a few MB): Fernet works on whole files.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage

# Every Fernet token starts with the version byte 0x80, which is "gA" in urlsafe base64.
_TOKEN_PREFIX = b"gAAAAA"


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    # Its own key (not the column key): the same secret, another purpose label.
    root = hashlib.sha256(secret.encode()).digest()
    key = hmac.new(root, b"bangfu-file-encryption", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def file_encrypt(data: bytes) -> bytes:
    return _fernet(settings.PII_KEY).encrypt(data)


def file_decrypt(token: bytes) -> bytes:
    try:
        return _fernet(settings.PII_KEY).decrypt(token)
    except InvalidToken as exc:  # wrong key, tampered or a clear file: never return garbage
        raise ValueError("file cannot be decrypted with the configured key") from exc


def is_encrypted(data: bytes) -> bool:
    """True when ``data`` is a token of our key (a clear PDF or picture never is)."""
    if not data.startswith(_TOKEN_PREFIX):
        return False
    try:
        file_decrypt(data)
    except ValueError:
        return False
    return True


def _rewrite(path: Path, data: bytes) -> None:
    # A new file renamed over the old one: a crash leaves either version, never half of one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rewrite-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def encrypt_in_place(path: Path) -> bool:
    """Encrypt a clear file where it lies; False when it already was (running twice is harmless)."""
    data = path.read_bytes()
    if is_encrypted(data):
        return False
    _rewrite(path, file_encrypt(data))
    return True


def decrypt_in_place(path: Path) -> bool:
    """The reverse of ``encrypt_in_place`` (for rolling the migration back)."""
    data = path.read_bytes()
    if not is_encrypted(data):
        return False
    _rewrite(path, file_decrypt(data))
    return True


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return super()._save(name, ContentFile(file_encrypt(data)))

    def _open(self, name, mode="rb"):
        if mode not in ("r", "rb"):
            raise ValueError("encrypted files are written with save(), not opened for writing")
        with super()._open(name, "rb") as stored:
            clear = file_decrypt(stored.read())
        return File(io.BytesIO(clear), name=name)
