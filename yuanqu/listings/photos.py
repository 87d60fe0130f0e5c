"""Carrier photos: the type is sniffed from the bytes (never the name or the browser's word),
size and pixel counts are capped, and a thumbnail is stored beside each photo."""

from __future__ import annotations

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from PIL import Image, ImageOps, UnidentifiedImageError

from yuanqu.listings.models import Carrier, CarrierPhoto

logger = logging.getLogger(__name__)
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # e.g. 8000 × 5000; bigger ones are decompression bombs or scans
MAX_SIDE = 2400  # stored photos are scaled down to this
THUMBNAIL_SIZE = (480, 360)
MAX_PHOTOS = 20
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _open_checked(upload: UploadedFile) -> Image.Image:
    if upload.size is None or upload.size > MAX_BYTES:
        raise ValidationError({"image": "图片:文件不能超过 8 MB。"})
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError({"image": "图片:无法识别,请上传 JPEG、PNG 或 WebP 图片。"}) from None
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError({"image": "图片:只接受 JPEG、PNG 或 WebP 格式。"})
    if width * height > MAX_PIXELS:
        raise ValidationError({"image": "图片:像素过多(上限 4000 万像素)。"})
    upload.seek(0)
    image = Image.open(upload)
    image.load()
    return ImageOps.exif_transpose(image) or image


def _encoded(image: Image.Image, *, size: tuple[int, int]) -> bytes:
    copy = image.copy()
    copy.thumbnail(size)
    if copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    buffer = io.BytesIO()
    # Re-encoding drops EXIF (GPS, camera owner) along with anything hidden after the image.
    copy.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


@transaction.atomic
def carrier_photo_add(*, carrier: Carrier, upload: UploadedFile, caption: str = "") -> CarrierPhoto:
    if carrier.photos.count() >= MAX_PHOTOS:
        raise ValidationError({"image": f"图片:每个载体最多 {MAX_PHOTOS} 张。"})
    image = _open_checked(upload)
    position = (carrier.photos.aggregate(top=Max("position"))["top"] or 0) + 1
    photo = CarrierPhoto(carrier=carrier, caption=caption[:100], position=position)
    stored = image.copy()
    stored.thumbnail((MAX_SIDE, MAX_SIDE))
    try:
        photo.image.save(
            "photo.jpg", ContentFile(_encoded(image, size=(MAX_SIDE, MAX_SIDE))), save=False
        )
        photo.thumbnail.save(
            "thumb.jpg", ContentFile(_encoded(image, size=THUMBNAIL_SIZE)), save=False
        )
    except OSError as error:
        # Disk full, a read-only media folder: nothing half-saved (no row, no stray file).
        for field in (photo.image, photo.thumbnail):
            if field.name:
                field.storage.delete(field.name)
        logger.error("carrier photo not stored: %s", error)
        raise ValidationError(
            {"image": "图片:服务器暂时无法保存文件(磁盘已满或目录不可写),请稍后重试或联系管理员。"}
        ) from None
    photo.width, photo.height = stored.size
    photo.save()
    return photo


@transaction.atomic
def carrier_photo_delete(*, photo: CarrierPhoto) -> None:
    image, thumbnail = photo.image, photo.thumbnail
    photo.delete()
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))
