"""Photos from a multipart form, handed to the domain as ``Upload``s (checked there, by content)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gridgov.data.cases.domain.attachments import MAX_PHOTOS_PER_ACTION, Upload, check_images
from gridgov.data.cases.domain.images import check_size
from gridgov.data.cases.enums import AttachmentKind
from gridgov.data.errors import InvalidInput


def photos_from(request: HttpRequest, field: str, kind: AttachmentKind) -> list[Upload]:
    """The files of ``field``, refused early when there are too many or one is too big, then checked."""
    files: list[UploadedFile[bytes]] = [f for f in request.FILES.getlist(field) if f.name]
    if len(files) > MAX_PHOTOS_PER_ACTION:
        raise InvalidInput(
            _("每次最多上传 %(n)s 张照片，您选择了 %(count)s 张") % {"n": MAX_PHOTOS_PER_ACTION, "count": len(files)},
            field=field,
        )
    uploads = []
    for f in files:
        name = f.name or "photo"
        try:
            check_size(name, f.size or 0)
        except InvalidInput as error:
            raise InvalidInput(error.message, field=field) from None
        uploads.append(Upload(name=name, data=f.read(), kind=kind))
    try:
        check_images(uploads)  # early, so the form can show the error next to the right field
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from None
    return uploads
