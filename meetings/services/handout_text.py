"""The text of an uploaded handout, for the de-identification guard: PDF, Word, PowerPoint, Excel,
OpenDocument and plain text. Images carry no extractable text (no OCR) and pass as before.

Reading is bounded: a file that is damaged, password-protected, or would expand past the limits
below is refused with a clear message, never a 500, since an unreadable file cannot be checked.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from lxml import etree

MAX_TEXT_CHARS = 400_000  # about 150 pages; the guard reads it in well under a few seconds
MAX_XML_BYTES = 30 * 1024 * 1024  # per part, uncompressed: a zip bomb stops here
MAX_PDF_PAGES = 300

# Which parts of an Office or OpenDocument file hold its text.
_ZIP_PARTS = {
    "docx": re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml"),
    "pptx": re.compile(r"ppt/(?:slides/slide|notesSlides/notesSlide)\d+\.xml"),
    "xlsx": re.compile(r"xl/(?:sharedStrings|worksheets/sheet\d+)\.xml"),
    "odt": re.compile(r"(?:content|styles)\.xml"),
    "ods": re.compile(r"content\.xml"),
    "odp": re.compile(r"content\.xml"),
}
# Elements that hold one paragraph, cell or string: joined with line breaks, so that two cells
# are never read as one number.
_BLOCKS = {"p", "h", "si", "is", "v"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_UNREADABLE = "The handout could not be read to check it for identifying details. Save it again and upload it."


def handout_text(upload: UploadedFile, extension: str) -> str | None:
    """The handout's text, or None for a type without text (images)."""
    upload.seek(0)
    try:
        if extension == "txt":
            text = upload.read(MAX_TEXT_CHARS * 4 + 1).decode("utf-8", errors="replace")
        elif extension == "pdf":
            text = _pdf_text(upload)
        elif extension in _ZIP_PARTS:
            text = "\n".join(_zip_text(upload, _ZIP_PARTS[extension]))
        else:
            return None
    except ValidationError:
        raise
    except Exception as error:  # a damaged file of any kind: refuse it, say why, no 500
        logging.getLogger(__name__).info("handout unreadable: %s", type(error).__name__)
        raise ValidationError({"file": _UNREADABLE}) from error
    finally:
        upload.seek(0)
    if len(text) > MAX_TEXT_CHARS:
        raise ValidationError({"file": "The handout is too long to check for identifying details. Split it up."})
    return text


def _pdf_text(upload: UploadedFile) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(upload.read()))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValidationError({"file": "The handout is password-protected; upload it without a password."})
    if len(reader.pages) > MAX_PDF_PAGES:
        raise ValidationError({"file": f"The handout has more than {MAX_PDF_PAGES} pages. Split it up."})
    pages: list[str] = []
    size = 0
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        size += len(pages[-1])
        if size > MAX_TEXT_CHARS:
            break
    return "\n".join(pages)


def _zip_text(upload: UploadedFile, parts: re.Pattern[str]) -> Iterator[str]:
    with zipfile.ZipFile(upload) as archive:
        for info in archive.infolist():
            if not parts.fullmatch(info.filename):
                continue
            if info.file_size > MAX_XML_BYTES:
                raise ValidationError({"file": "The handout is too large to check for identifying details."})
            root = etree.fromstring(archive.read(info), _PARSER)
            for element in root.iter():
                if isinstance(element.tag, str) and etree.QName(element).localname in _BLOCKS:
                    yield "".join(element.itertext())
