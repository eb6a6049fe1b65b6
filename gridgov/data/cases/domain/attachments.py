"""Uploaded files: validated by content (not by name), hashed, stored content-addressed.

Each photo is checked and prepared by ``images.process_photo``: the kept original has no GPS tags, and a
display copy and a thumbnail are made for pages. Every form and the API hand uploads in through here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.images import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, SUFFIXES, Photo, process_photo
from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.errors import InvalidInput
from gridgov.types import JSONObject

__all__ = [
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_PHOTOS_PER_ACTION",
    "CheckedUpload",
    "Upload",
    "check_image",
    "check_images",
]

MAX_PHOTOS_PER_ACTION = 9


@dataclass(frozen=True, slots=True)
class Upload:
    """A file handed to a domain function: its name, its bytes, and before/after."""

    name: str
    data: bytes
    kind: AttachmentKind = AttachmentKind.OTHER


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    upload: Upload
    photo: Photo
    sha256: str  # of the kept original

    @property
    def content_type(self) -> str:
        return self.photo.content_type

    @property
    def width(self) -> int:
        return self.photo.width

    @property
    def height(self) -> int:
        return self.photo.height

    def as_content_file(self) -> ContentFile[bytes]:
        return ContentFile(self.photo.original, name=f"photo{SUFFIXES[self.photo.format]}")

    def attachment_fields(self) -> JSONObject:
        """The columns of the Attachment row that keeps this photo (files included)."""
        return {
            "kind": self.upload.kind,
            "file": self.as_content_file(),
            "display": ContentFile(self.photo.display, name="display.jpg"),
            "thumbnail": ContentFile(self.photo.thumbnail, name="thumb.jpg"),
            "original_name": self.upload.name[:255],
            "content_type": self.photo.content_type,
            "size": len(self.photo.original),
            "sha256": self.sha256,
            "width": self.photo.width,
            "height": self.photo.height,
        }


def check_image(upload: Upload) -> CheckedUpload:
    """Accept only real images of a supported type and a sane size; raise InvalidInput otherwise."""
    photo = process_photo(upload.name, upload.data)
    return CheckedUpload(upload=upload, photo=photo, sha256=hashlib.sha256(photo.original).hexdigest())


def check_images(uploads: tuple[Upload, ...] | list[Upload]) -> list[CheckedUpload]:
    if len(uploads) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(
            _("每次最多上传 %(n)s 张照片，您选择了 %(count)s 张") % {"n": MAX_PHOTOS_PER_ACTION, "count": len(uploads)},
            field="photos",
        )
    return [check_image(u) for u in uploads]
