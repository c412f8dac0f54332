"""Images the public pages derive from uploads: a photo's thumbnail (made once, stored beside the uploads) and the
text of the QR codes in a photo (a certificate's QR code photographed with a phone)."""
import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (480, 360)  # a catalogue card's picture (4:3), twice the width a card takes on a phone
THUMBNAIL_FOLDER = "private/thumbnails"
# A phone's photo runs to 12-50 megapixels; a larger "photo" is a decompression bomb, refused before it is decoded.
MAX_PIXELS = 60_000_000
# A QR code fills a good part of a photo of it: reading a copy of this size is quicker and as sure.
QR_READ_SIDE = 2000


def _opened(handle) -> Image.Image:
    """The image in `handle`, its size checked before its pixels are decoded."""
    try:
        image = Image.open(handle)
    except (UnidentifiedImageError, OSError) as exc:
        raise ValidationError(_("This file is not a picture that can be read."), code="unreadable") from exc
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(_("This picture is too large (%(width)s × %(height)s pixels)."), code="too_large",
                              params={"width": image.width, "height": image.height})
    return image


# ---------------------------------------------------------------------------------------------
# Thumbnails
# ---------------------------------------------------------------------------------------------


def thumbnail_name(source_name: str, size: tuple[int, int] = THUMBNAIL_SIZE) -> str:
    """Where the thumbnail of the stored file `source_name` is kept. Uploads are stored under a new unguessable
    name each time (never rewritten in place), so a changed photo has a new name and so a new thumbnail."""
    digest = hashlib.sha256(source_name.encode()).hexdigest()[:32]
    return f"{THUMBNAIL_FOLDER}/{digest}-{size[0]}x{size[1]}.jpg"


def thumbnail_bytes(handle, size: tuple[int, int] = THUMBNAIL_SIZE) -> bytes:
    """A JPEG of `size` cut from the middle of the picture in `handle`, turned as the camera held it."""
    image = _opened(handle)
    image.draft("RGB", (size[0] * 2, size[1] * 2))  # a JPEG decodes at a fraction of its size: much quicker
    try:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
    except (OSError, ValueError) as exc:  # a truncated or corrupt file fails only when its pixels are read
        raise ValidationError(_("This file is not a picture that can be read."), code="unreadable") from exc
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def thumbnail_stored(fieldfile, size: tuple[int, int] = THUMBNAIL_SIZE) -> str:
    """The stored name of the thumbnail of `fieldfile` (a FileField's file), made and stored the first time."""
    storage, name = fieldfile.storage, thumbnail_name(fieldfile.name, size)
    if storage.exists(name):
        return name
    with fieldfile.storage.open(fieldfile.name, "rb") as handle:
        content = thumbnail_bytes(handle, size)
    saved = storage.save(name, ContentFile(content))
    if saved != name:  # made at the same moment by another request: keep one
        storage.delete(saved)
    return name


def thumbnails_delete(storage, source_name: str) -> None:
    """Remove the thumbnails of a stored file that is removed."""
    name = thumbnail_name(source_name)
    if storage.exists(name):
        storage.delete(name)


# ---------------------------------------------------------------------------------------------
# QR codes
# ---------------------------------------------------------------------------------------------


def qr_texts(handle) -> list[str]:
    """The text of every QR code found in the picture in `handle` (zxing-cpp: the C++ decoder ships in its wheel,
    no system library), or [] when the picture holds none that can be read; a ValidationError when the file is not
    a picture."""
    import zxingcpp

    image = _opened(handle)
    try:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((QR_READ_SIDE, QR_READ_SIDE))
        image = image.convert("L")
    except (OSError, ValueError) as exc:
        raise ValidationError(_("This file is not a picture that can be read."), code="unreadable") from exc
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid and code.text]
