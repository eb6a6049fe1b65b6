"""Uploaded files: validated by content (not by name), hashed, stored content-addressed."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.errors import InvalidInput

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
MAX_PHOTOS_PER_ACTION = 9
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass(frozen=True, slots=True)
class Upload:
    """A file handed to a domain function: its name, its bytes, and before/after."""

    name: str
    data: bytes
    kind: AttachmentKind = AttachmentKind.OTHER


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    upload: Upload
    sha256: str
    content_type: str
    width: int
    height: int

    def as_content_file(self) -> ContentFile[bytes]:
        return ContentFile(self.upload.data, name=self.upload.name)


def check_image(upload: Upload) -> CheckedUpload:
    """Accept only real images of a supported type and a sane size; raise InvalidInput otherwise."""
    if len(upload.data) == 0:
        raise InvalidInput(_("文件“%(name)s”是空的") % {"name": upload.name}, field="photos")
    if len(upload.data) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            _("照片“%(name)s”超过 %(mb)s MB") % {"name": upload.name, "mb": MAX_IMAGE_BYTES // (1024 * 1024)},
            field="photos",
        )
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput(
            _("“%(name)s”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）") % {"name": upload.name}, field="photos"
        ) from None
    if kind not in _IMAGE_TYPES:
        raise InvalidInput(_("“%(name)s”的图片格式不受支持") % {"name": upload.name}, field="photos")
    if width * height > MAX_IMAGE_PIXELS or width < 1 or height < 1:
        raise InvalidInput(_("图片“%(name)s”尺寸异常") % {"name": upload.name}, field="photos")
    return CheckedUpload(
        upload=upload,
        sha256=hashlib.sha256(upload.data).hexdigest(),
        content_type=_IMAGE_TYPES[kind],
        width=width,
        height=height,
    )


def check_images(uploads: tuple[Upload, ...] | list[Upload]) -> list[CheckedUpload]:
    if len(uploads) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(_("每次最多上传 %(n)s 张照片") % {"n": MAX_PHOTOS_PER_ACTION}, field="photos")
    return [check_image(u) for u in uploads]
