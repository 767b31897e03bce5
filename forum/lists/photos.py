"""Photos: checked by content, re-encoded without metadata, thumbnailed, and stored.

Uploads are never trusted: the format is sniffed from the bytes, decompression bombs
are refused, and the image is re-encoded as WebP so that EXIF (GPS included) and
anything hidden in the file are dropped. The bytes go to one small store: files in the
instance folder by default, or the database when several servers share only it.
"""
import uuid
import warnings
from io import BytesIO
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from forum.extensions import db
from forum.lists.models import Photo, PhotoBlob

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PHOTOS = 3
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
FULL_SIZE = 1600
THUMB_SIZE = 480


class PhotoError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _reencode(image: Image.Image, longest: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((longest, longest))
    out = BytesIO()
    copy.save(out, "WEBP", quality=80, method=4)
    return out.getvalue()


def process(data: bytes) -> tuple[bytes, bytes, int, int]:
    """Check an upload and return (full WebP, thumbnail WebP, width, height)."""
    if len(data) > MAX_BYTES:
        raise PhotoError(_l("Each photo may be at most 5 MB."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise PhotoError(_l("Only JPEG, PNG or WebP photos can be uploaded."))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(_l("This picture is too large in pixels."))
            image.load()
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(_l("This picture is too large in pixels.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PhotoError(_l("This file is not a readable photo.")) from None
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    full = _reencode(image, FULL_SIZE)
    with Image.open(BytesIO(full)) as stored:
        width, height = stored.size
    return full, _reencode(image, THUMB_SIZE), width, height


class FileStore:
    def __init__(self, root: Path):
        self.root = root

    def save(self, name: str, data: bytes) -> None:
        path = self.root / name[:2] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def load(self, name: str) -> bytes | None:
        path = self.root / name[:2] / name
        return path.read_bytes() if path.is_file() else None


class DatabaseStore:
    def save(self, name: str, data: bytes) -> None:
        db.session.add(PhotoBlob(name=name, data=data))

    def load(self, name: str) -> bytes | None:
        blob = db.session.get(PhotoBlob, name)
        return blob.data if blob else None


def store():
    if current_app.config["PHOTO_STORAGE"] == "database":
        return DatabaseStore()
    return FileStore(Path(current_app.instance_path) / "photos")


def save_photo(data: bytes, uploader) -> Photo:
    """Process and keep one upload; the Photo row joins the caller's transaction."""
    full, thumb, width, height = process(data)
    key = uuid.uuid4().hex
    target = store()
    target.save(f"{key}.webp", full)
    target.save(f"{key}-thumb.webp", thumb)
    photo = Photo(key=key, uploader_id=getattr(uploader, "id", None), width=width, height=height)
    db.session.add(photo)
    return photo


def check_uploads(files) -> list[bytes]:
    """The uploads' bytes, refusing too many; empty file inputs are ignored."""
    chosen = [f for f in files if f and f.filename]
    if len(chosen) > MAX_PHOTOS:
        raise PhotoError(_l("At most 3 photos."))
    return [f.read(MAX_BYTES + 1) for f in chosen]


def load(name: str) -> bytes | None:
    return store().load(name)
