"""Evidence files: at most a few, each small, and only pictures or PDF — checked by content.

Stored encrypted (``evidence_storage``): pay slips and chat records carry names, ID numbers
and bank accounts, so on disk they get the same protection as the PII columns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.filecrypt import EncryptedFileSystemStorage

ERR_TOO_MANY = gettext_noop("附件最多 %(limit)d 个")
ERR_TOO_LARGE = gettext_noop("附件“%(name)s”超过 %(limit)d MB")
ERR_TYPE = gettext_noop("附件“%(name)s”不是允许的类型（仅限 JPG、PNG 图片或 PDF 文件）")
ERR_EMPTY = gettext_noop("附件“%(name)s”是空文件")

# Extension -> (content type, magic bytes the file must start with).
ALLOWED = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "pdf": ("application/pdf", (b"%PDF-",)),
}


_EVIDENCE_STORAGE = EncryptedFileSystemStorage()  # MEDIA_ROOT, read when first used


def evidence_storage() -> EncryptedFileSystemStorage:
    """The storage of CaseAttachment.file (a callable, so migrations name it, not a path)."""
    return _EVIDENCE_STORAGE


def max_files() -> int:
    return int(getattr(settings, "BANGFU", {}).get("ARREARS_ATTACHMENT_MAX_FILES", 5))


def max_bytes() -> int:
    return int(getattr(settings, "BANGFU", {}).get("ARREARS_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    name: str  # display name, trimmed
    extension: str
    content_type: str
    data: bytes
    sha256: str

    def as_content_file(self) -> ContentFile:
        return ContentFile(self.data, name=f"upload.{self.extension}")


def _display_name(name: str) -> str:
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return base[-120:] or "file"


def check_files(files) -> list[CheckedFile]:
    """Read and check uploaded files (Django UploadedFile or objects with name/read)."""
    files = [f for f in files if f]
    if len(files) > max_files():
        raise ValidationError(_(ERR_TOO_MANY) % {"limit": max_files()})
    limit = max_bytes()
    checked = []
    for upload in files:
        name = _display_name(getattr(upload, "name", ""))
        size = getattr(upload, "size", None)
        if size is not None and size > limit:
            raise ValidationError(_(ERR_TOO_LARGE) % {"name": name, "limit": limit // 1024 // 1024})
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise ValidationError(_(ERR_TOO_LARGE) % {"name": name, "limit": limit // 1024 // 1024})
        if not data:
            raise ValidationError(_(ERR_EMPTY) % {"name": name})
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = ALLOWED.get(ext)
        # The extension must be allowed AND the bytes must be what it claims.
        if allowed is None or not any(data.startswith(magic) for magic in allowed[1]):
            raise ValidationError(_(ERR_TYPE) % {"name": name})
        checked.append(CheckedFile(name=name, extension="jpg" if ext == "jpeg" else ext,
                                   content_type=allowed[0], data=data,
                                   sha256=hashlib.sha256(data).hexdigest()))
    return checked
