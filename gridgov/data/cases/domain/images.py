"""Photos from phones: read by content, turned upright, stripped of location, and resized for display.

- The type comes from the bytes (Pillow), never from the file name or the browser's content type.
- Decompression bombs are refused from the header, before any pixel is decoded.
- ``ImageOps.exif_transpose`` applies the EXIF orientation, so a portrait photo stands upright.
- The kept original loses its GPS tags (a photo of a problem must not reveal where its reporter lives);
  the GPS point is read first so that a form may still use it as a location hint.
- A display copy (≤ 1600 px on the long side, JPEG quality 82) and a thumbnail (≤ 320 px) have no
  metadata at all; pages show those, and only those with a right to the original may download it.
"""

from __future__ import annotations

import io
import struct
import warnings
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from gridgov.data.errors import InvalidInput

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
MAX_SIDE = 20_000
DISPLAY_SIDE = 1600
DISPLAY_QUALITY = 82
THUMBNAIL_SIDE = 320
THUMBNAIL_QUALITY = 75
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
_GPS_IFD = ExifTags.IFD.GPSInfo  # 0x8825


@dataclass(frozen=True, slots=True)
class Photo:
    """A checked photo: what to keep, what to show, and what it says about where it was taken."""

    original: bytes  # the upload, without GPS tags
    format: str  # Pillow's name: JPEG, PNG, WEBP, GIF
    content_type: str
    width: int  # upright (after the EXIF orientation)
    height: int
    display: bytes  # JPEG, ≤ DISPLAY_SIDE, no metadata
    thumbnail: bytes  # JPEG, ≤ THUMBNAIL_SIDE, no metadata
    gps: tuple[float, float] | None  # (latitude, longitude) from EXIF, if the camera recorded it


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, field="photos")


def _looks_like_heic(data: bytes) -> bool:
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"heim", b"heis")


def process_photo(name: str, data: bytes) -> Photo:
    """Check ``data`` is a supported image of sane size and make its display copies; else InvalidInput."""
    if not data:
        raise _invalid(_("文件“%(name)s”是空的") % {"name": name})
    check_size(name, len(data))
    if _looks_like_heic(data):
        raise _invalid(
            _("照片“%(name)s”是 HEIC 格式，暂不支持。请在相机设置中选择“兼容性最佳”后重拍，或选择 JPEG/PNG 照片")
            % {"name": name}
        )
    not_an_image = not_valid(name)
    try:
        with warnings.catch_warnings():
            # Our own limit (below Pillow's) is checked from the header; Pillow's error still stops the worst.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format or ""
                width, height = probe.size
                if kind in IMAGE_TYPES:
                    _check_dimensions(name, width, height)
                probe.verify()
            if kind not in IMAGE_TYPES:
                raise _invalid(
                    _("“%(name)s”的图片格式（%(kind)s）不受支持，请选择 JPEG、PNG 或 WEBP 照片")
                    % {"name": name, "kind": kind or "?"}
                )
            with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable: open again
                exif = image.getexif()
                gps = _gps_point(exif)
                upright = _upright(image)
                display = _jpeg(upright, DISPLAY_SIDE, DISPLAY_QUALITY)
                thumbnail = _jpeg(upright, THUMBNAIL_SIDE, THUMBNAIL_QUALITY)
                width, height = upright.size
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise _too_large(name) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        struct.error,
    ):
        raise not_an_image from None
    original = strip_gps(data) if kind == "JPEG" and gps is not None else data
    return Photo(
        original=original,
        format=kind,
        content_type=IMAGE_TYPES[kind],
        width=width,
        height=height,
        display=display,
        thumbnail=thumbnail,
        gps=gps,
    )


def check_size(name: str, size: int) -> None:
    """Refuse a file over the byte limit (callers may check before reading it into memory)."""
    if size > MAX_IMAGE_BYTES:
        raise _invalid(
            _("照片“%(name)s”超过 %(mb)s MB，请压缩后重新选择") % {"name": name, "mb": MAX_IMAGE_BYTES // (1024 * 1024)}
        )


def _too_large(name: str) -> InvalidInput:
    return _invalid(
        _("图片“%(name)s”尺寸过大，请选择不超过 %(mp)s 百万像素的照片")
        % {"name": name, "mp": MAX_IMAGE_PIXELS // 1_000_000}
    )


def _check_dimensions(name: str, width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise not_valid(name)
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_IMAGE_PIXELS:
        raise _too_large(name)


def not_valid(name: str) -> InvalidInput:
    return _invalid(_("“%(name)s”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）") % {"name": name})


def _upright(image: Image.Image) -> Image.Image:
    """The image decoded (at reduced scale when JPEG allows), turned by its EXIF orientation, in RGB."""
    if image.format == "JPEG":
        image.draft("RGB", (DISPLAY_SIDE, DISPLAY_SIDE))  # DCT scaling: fast, small, still ≥ display size
    image.seek(0)
    turned = ImageOps.exif_transpose(image)
    if turned.mode in ("RGBA", "LA", "P", "PA"):
        rgba = turned.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return turned.convert("RGB") if turned.mode != "RGB" else turned


def _jpeg(image: Image.Image, side: int, quality: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# GPS


def _degrees(value: object) -> float:
    parts = list(value) if isinstance(value, tuple | list) else [value]
    total = Fraction(0)
    for part, scale in zip(parts, (1, 60, 3600), strict=False):
        total += Fraction(float(part)) / scale  # type: ignore[arg-type]  # EXIF rationals: Pillow's IFDRational (float()-able), not typed as such
    return float(total)


def _gps_point(exif: Image.Exif) -> tuple[float, float] | None:
    """(latitude, longitude) recorded by the camera, or None."""
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except (KeyError, ValueError, TypeError, struct.error):
        return None
    try:
        lat = _degrees(gps[ExifTags.GPS.GPSLatitude])
        lng = _degrees(gps[ExifTags.GPS.GPSLongitude])
    except (KeyError, ValueError, TypeError, ZeroDivisionError):
        return None
    if str(gps.get(ExifTags.GPS.GPSLatitudeRef, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(ExifTags.GPS.GPSLongitudeRef, "E")).upper().startswith("W"):
        lng = -lng
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        return None
    return round(lat, 6), round(lng, 6)


def gps_of(data: bytes) -> tuple[float, float] | None:
    """The GPS point in a photo's EXIF, if any (for a form to offer as the location)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return _gps_point(image.getexif())
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, struct.error):
        return None


def strip_gps(data: bytes) -> bytes:
    """The JPEG without its GPS tags; pixels untouched (only the EXIF segment is rewritten).

    If the EXIF cannot be rewritten safely, the whole EXIF segment is dropped instead: privacy first.
    """
    segments = _jpeg_segments(data)
    if segments is None:
        return data
    out = bytearray(b"\xff\xd8")
    for marker, payload, raw in segments:
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            rewritten = _exif_without_gps(payload)
            if rewritten is not None and len(rewritten) + 2 <= 0xFFFF:
                out += b"\xff\xe1" + struct.pack(">H", len(rewritten) + 2) + rewritten
            continue  # dropped (or rewritten above)
        out += raw
    return bytes(out)


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes, bytes]] | None:
    """The JPEG's segments up to the image data as (marker, payload, raw bytes); the rest as one chunk."""
    if not data.startswith(b"\xff\xd8"):
        return None
    segments: list[tuple[int, bytes, bytes]] = []
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            segments.append((marker, b"", data[pos:]))
            return segments
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return None
        segments.append((marker, data[pos + 4 : end], data[pos:end]))
        pos = end
    return None


def _exif_without_gps(payload: bytes) -> bytes | None:
    try:
        exif = Image.Exif()
        exif.load(payload)
        exif.get_ifd(ExifTags.IFD.Exif)  # load the sub-IFD so that it is written back
        if _GPS_IFD in exif:
            del exif[_GPS_IFD]
        rewritten = exif.tobytes()
        check = Image.Exif()
        check.load(rewritten)
        if _GPS_IFD in check:
            return None
        return rewritten
    except (ValueError, TypeError, KeyError, struct.error, OSError):
        return None
