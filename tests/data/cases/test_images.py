"""Photos: type by content, size and dimension limits, EXIF orientation, GPS stripped, display copies."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from gridgov.data.cases.domain.attachments import Upload, check_images
from gridgov.data.cases.domain.images import MAX_IMAGE_BYTES, gps_of, process_photo, strip_gps
from gridgov.data.cases.enums import AttachmentKind, Status
from gridgov.data.errors import InvalidInput
from tests.factories import TownWorld

ORIENTATION = ExifTags.Base.Orientation
GPS = ExifTags.IFD.GPSInfo


def rotated_jpeg_with_gps(size: tuple[int, int] = (400, 300)) -> bytes:
    """A landscape JPEG whose EXIF says 'turn 90° clockwise' (a phone held upright) and where it was taken."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (30.0, 15.0, 36.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (122.0, 6.0, 0.0),
    }
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def test_exif_orientation_is_applied_to_size_and_display_copies() -> None:
    photo = process_photo("portrait.jpg", rotated_jpeg_with_gps())
    assert (photo.format, photo.content_type, photo.width, photo.height) == ("JPEG", "image/jpeg", 300, 400)
    with Image.open(io.BytesIO(photo.display)) as display:
        assert (display.format, display.size) == ("JPEG", (300, 400))
        # The blue left half of the landscape original is on top once turned 90° clockwise.
        top = display.getpixel((150, 20))
        bottom = display.getpixel((150, 380))
        assert isinstance(top, tuple)
        assert isinstance(bottom, tuple)
        assert (top[2] > 200, bottom[0] > 200) == (True, True)
        assert dict(display.getexif()) == {}  # no metadata at all on what pages show


def test_gps_is_read_then_stripped_from_the_kept_original_which_stays_rotatable() -> None:
    data = rotated_jpeg_with_gps()
    assert gps_of(data) == (30.26, 122.1)
    photo = process_photo("portrait.jpg", data)
    assert photo.gps == (30.26, 122.1)
    assert gps_of(photo.original) is None
    with Image.open(io.BytesIO(photo.original)) as original:
        exif = original.getexif()
        assert (GPS in exif, exif[ORIENTATION], exif[ExifTags.Base.Make]) == (False, 6, "TestPhone")
        assert original.size == (400, 300)
        original.load()  # the pixels are intact
    # The image data after the header segments is byte-for-byte the same (no re-encoding).
    assert photo.original[photo.original.index(b"\xff\xda") :] == data[data.index(b"\xff\xda") :]


def test_strip_gps_leaves_a_jpeg_without_exif_untouched() -> None:
    plain = encoded(Image.new("RGB", (20, 20)), "JPEG")
    assert strip_gps(plain) == plain
    photo = process_photo("plain.jpg", plain)
    assert (photo.original, photo.gps) == (plain, None)


def test_large_photo_gets_display_copy_and_thumbnail_within_bounds() -> None:
    photo = process_photo("big.jpg", encoded(Image.new("RGB", (4000, 3000), (20, 120, 20)), "JPEG"))
    assert (photo.width, photo.height) == (4000, 3000)
    with Image.open(io.BytesIO(photo.display)) as display:
        assert display.size == (1600, 1200)
    with Image.open(io.BytesIO(photo.thumbnail)) as thumb:
        assert thumb.size == (320, 240)


def test_png_with_transparency_and_webp_are_accepted_as_jpeg_copies() -> None:
    png = process_photo("a.png", encoded(Image.new("RGBA", (50, 40), (0, 0, 0, 0)), "PNG"))
    assert (png.format, png.content_type, png.width, png.height) == ("PNG", "image/png", 50, 40)
    with Image.open(io.BytesIO(png.display)) as display:
        assert (display.mode, display.getpixel((1, 1))) == ("RGB", (255, 255, 255))
    webp = process_photo("a.webp", encoded(Image.new("RGB", (30, 30)), "WEBP"))
    assert (webp.format, webp.content_type) == ("WEBP", "image/webp")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.jpg", b"", "文件“empty.jpg”是空的"),
        ("fake.jpg", b"<html>not an image</html>", "“fake.jpg”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）"),
        ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "“doc.pdf”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）"),
        (
            "iphone.heic",
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
            "照片“iphone.heic”是 HEIC 格式，暂不支持。请在相机设置中选择“兼容性最佳”后重拍，或选择 JPEG/PNG 照片",
        ),
    ],
)
def test_files_that_are_not_supported_images_are_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        process_photo(name, data)
    assert (error.value.field, error.value.message) == ("photos", message)


def test_a_truncated_jpeg_is_refused() -> None:
    data = encoded(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")
    with pytest.raises(InvalidInput) as error:
        process_photo("cut.jpg", data[: len(data) // 2])
    assert error.value.message == "“cut.jpg”不是有效的图片（支持 JPEG、PNG、WEBP、GIF）"


def test_an_unsupported_format_is_named() -> None:
    with pytest.raises(InvalidInput) as error:
        process_photo("scan.tif", encoded(Image.new("RGB", (10, 10)), "TIFF"))
    assert error.value.message == "“scan.tif”的图片格式（TIFF）不受支持，请选择 JPEG、PNG 或 WEBP 照片"


def test_too_many_bytes_are_refused_before_decoding() -> None:
    with pytest.raises(InvalidInput) as error:
        process_photo("huge.jpg", b"\xff\xd8" + b"\x00" * MAX_IMAGE_BYTES)
    assert error.value.message == "照片“huge.jpg”超过 15 MB，请压缩后重新选择"


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = encoded(Image.new("1", (12_000, 12_000)), "PNG")  # 144 million pixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(InvalidInput) as error:
        process_photo("bomb.png", bomb)
    assert error.value.message == "图片“bomb.png”尺寸过大，请选择不超过 60 百万像素的照片"
    giant = encoded(Image.new("1", (20_000, 10_000)), "PNG")  # beyond Pillow's own hard limit too
    with pytest.raises(InvalidInput) as error:
        process_photo("giant.png", giant)
    assert error.value.message == "图片“giant.png”尺寸过大，请选择不超过 60 百万像素的照片"


def test_ten_photos_are_refused() -> None:
    uploads = [Upload(name=f"{i}.jpg", data=encoded(Image.new("RGB", (8, 8)), "JPEG")) for i in range(10)]
    with pytest.raises(InvalidInput) as error:
        check_images(uploads)
    assert error.value.message == "每次最多上传 9 张照片，您选择了 10 张"
    assert len(check_images(uploads[:9])) == 9


def test_the_engine_keeps_original_display_copy_and_thumbnail(world: TownWorld) -> None:
    from gridgov.data.cases.domain.engine import report_case

    case = report_case(
        town=world.town,
        reporter=world.grid_worker_a,
        channel=world.report().channel,
        category=world.category,
        description="墙角堆放垃圾",
        area=world.grid_a,
        photos=[Upload(name="IMG_0001.JPG", data=rotated_jpeg_with_gps(), kind=AttachmentKind.BEFORE)],
    )
    assert case.status == Status.REPORTED
    attachment = case.attachments.get()
    assert (attachment.original_name, attachment.kind, attachment.width, attachment.height) == (
        "IMG_0001.JPG",
        AttachmentKind.BEFORE,
        300,
        400,
    )
    with attachment.file.open("rb") as kept:
        original = kept.read()
    assert (len(original), gps_of(original)) == (attachment.size, None)
    with attachment.display.open("rb") as f, Image.open(f) as display:
        assert display.size == (300, 400)
    with attachment.thumbnail.open("rb") as f, Image.open(f) as thumb:
        assert thumb.size == (240, 320)
