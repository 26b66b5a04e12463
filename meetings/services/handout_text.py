"""The text of an uploaded handout, for the de-identification guard: PDF, Word, PowerPoint, Excel,
OpenDocument and plain text. Images carry no extractable text (no OCR) and pass as before; so do
pictures inside documents (a photo of an ID card in a PDF is not read).

Everything a reader can reach is read, not only the main body: in Office and OpenDocument files every
XML part of the package (so a main part renamed through `_rels/.rels`, headers, footers, comments,
footnotes, text boxes, tracked deletions, speaker notes, charts, alt text), in Excel files sheet
names, cell comments, headers and footers and dates as dates (through openpyxl, so that a date of
birth under a "DOB" header is read as one), in PDFs annotations, form fields and the document
information (title, subject, keywords). The author fields (a document's author, a comment's author)
come apart, in `Handout.authors`: they name the staff member who wrote the file, so names are
allowed there and every other kind is not.

Reading is bounded: a file that is damaged, password-protected, or would expand past the limits
below is refused with a clear message, never a 500, since an unreadable file cannot be checked.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

if TYPE_CHECKING:  # both are imported for real only when a file of their kind is read
    from openpyxl.worksheet.worksheet import Worksheet
    from pypdf import PageObject

MAX_TEXT_CHARS = 400_000  # about 150 pages; the guard reads it in well under a few seconds
MAX_XML_BYTES = 30 * 1024 * 1024  # per part, uncompressed: a zip bomb stops here
MAX_PACKAGE_BYTES = 100 * 1024 * 1024  # all parts together, uncompressed
MAX_PDF_PAGES = 300

_OFFICE = frozenset({"docx", "pptx", "xlsx", "odt", "ods", "odp"})
# Elements that hold one paragraph, cell or string: joined with line breaks, so that two cells
# are never read as one number.
_BLOCKS = {"p", "h", "si", "is", "v"}
# Attributes that hold text a reader sees: alt text and titles of pictures and shapes.
_TEXT_ATTRIBUTES = ("descr", "title")
_SHAPE_PROPERTIES = {"docPr", "cNvPr"}
# Document properties (docProps/core.xml, meta.xml): who wrote it, and what it says it is.
_AUTHOR_PROPERTIES = {"creator", "lastModifiedBy", "initial-creator"}
_TEXT_PROPERTIES = {"title", "subject", "description", "keywords", "keyword", "category"}
# Parts that only describe the package; and the parts of a workbook that openpyxl reads.
_PACKAGE_PARTS = re.compile(r"\[Content_Types\]\.xml|(?:.*/)?_rels/.*")
_WORKBOOK_PARTS = re.compile(r"xl/(?:worksheets/.*|sharedStrings\.xml|comments.*\.xml)")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_UNREADABLE = gettext_lazy(
    "The handout could not be read to check it for identifying details. Save it again and upload it."
)
_TOO_LONG = gettext_lazy("The handout is too long to check for identifying details. Split it up.")
_TOO_LARGE = gettext_lazy("The handout is too large to check for identifying details.")


@dataclass
class Handout:
    text: str  # everything a reader sees
    authors: str = ""  # who wrote the file and its comments: staff, so names are allowed there


def handout_text(upload: UploadedFile, extension: str) -> str | None:
    """The handout's text and authors in one string, or None for a type without text (images)."""
    contents = handout_contents(upload, extension)
    return None if contents is None else "\n".join(part for part in (contents.text, contents.authors) if part)


def handout_contents(upload: UploadedFile, extension: str) -> Handout | None:
    """What the handout says and who wrote it, or None for a type without text (images)."""
    upload.seek(0)
    try:
        if extension == "txt":
            contents = Handout(upload.read(MAX_TEXT_CHARS * 4 + 1).decode("utf-8", errors="replace"))
        elif extension == "pdf":
            contents = _pdf(upload)
        elif extension in _OFFICE:
            contents = _package(upload, spreadsheet=extension == "xlsx")
        else:
            return None
    except ValidationError:
        raise
    except Exception as error:  # a damaged file of any kind: refuse it, say why, no 500
        logging.getLogger(__name__).info("handout unreadable: %s", type(error).__name__)
        raise ValidationError({"file": _UNREADABLE}) from error
    finally:
        upload.seek(0)
    if len(contents.text) + len(contents.authors) > MAX_TEXT_CHARS:
        raise ValidationError({"file": _TOO_LONG})
    return contents


class _Collector:
    """Lines of text, stopping with a clear refusal once there are more than the guard reads."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.authors: list[str] = []
        self.size = 0

    def add(self, value: object, *, author: bool = False) -> None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return
        self.size += len(text)
        if self.size > MAX_TEXT_CHARS:
            raise ValidationError({"file": _TOO_LONG})
        (self.authors if author else self.lines).append(text)

    def handout(self) -> Handout:
        return Handout("\n".join(self.lines), "\n".join(self.authors))


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf(upload: UploadedFile) -> Handout:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(upload.read()))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValidationError({"file": _("The handout is password-protected; upload it without a password.")})
    if len(reader.pages) > MAX_PDF_PAGES:
        raise ValidationError(
            {"file": _("The handout has more than %(most)s pages. Split it up.") % {"most": MAX_PDF_PAGES}}
        )
    out = _Collector()
    info: Mapping[str, Any] = reader.metadata or {}
    for key in ("/Title", "/Subject", "/Keywords"):
        out.add(info.get(key))
    out.add(info.get("/Author"), author=True)
    for page in reader.pages:
        out.add(page.extract_text())
        for annotation in _annotations(page):
            for key in ("/Contents", "/Subj", "/RC", "/TU"):
                out.add(annotation.get(key))
            out.add(annotation.get("/T"), author=True)  # who wrote the note
    for field in (reader.get_fields() or {}).values():  # filled-in form fields
        out.add(field.get("/V"))
    return out.handout()


def _annotations(page: PageObject) -> Iterator[dict]:
    annotations = page.get("/Annots") or []
    for reference in annotations.get_object() if hasattr(annotations, "get_object") else annotations:
        annotation = reference.get_object()
        if hasattr(annotation, "get"):
            yield annotation


# --- Office Open XML and OpenDocument packages ---------------------------------------------------------


def _package(upload: UploadedFile, *, spreadsheet: bool) -> Handout:
    out = _Collector()
    with zipfile.ZipFile(upload) as archive:
        infos = archive.infolist()
        if any(info.file_size > MAX_XML_BYTES for info in infos if info.filename.endswith(".xml")):
            raise ValidationError({"file": _TOO_LARGE})
        if sum(info.file_size for info in infos) > MAX_PACKAGE_BYTES:
            raise ValidationError({"file": _TOO_LARGE})
        # Every XML part, whatever it is named or wherever the relationships point: a main part
        # renamed through _rels/.rels, or a header the document no longer links to, is read all the same.
        for info in infos:
            if not info.filename.endswith(".xml") or _PACKAGE_PARTS.fullmatch(info.filename):
                continue
            if spreadsheet and _WORKBOOK_PARTS.fullmatch(info.filename):
                continue  # openpyxl reads these below, with dates as dates
            _read_part(etree.fromstring(archive.read(info), _PARSER), out)
    if spreadsheet:
        upload.seek(0)
        _read_workbook(upload, out)
    return out.handout()


def _read_part(root: etree._Element, out: _Collector) -> None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in _BLOCKS:
            # lxml yields str on Python 3; its stubs allow bytes too.
            out.add("".join(element.itertext()))  # type: ignore[arg-type]
        elif name in _SHAPE_PROPERTIES:
            for attribute in _TEXT_ATTRIBUTES:
                out.add(element.get(attribute))
        elif name in _AUTHOR_PROPERTIES or (name == "author" and element.text):
            out.add(element.text, author=True)
        elif name in _TEXT_PROPERTIES and len(element) == 0:
            out.add(element.text)


# --- Excel, through openpyxl ------------------------------------------------------------------------------


def _read_workbook(upload: UploadedFile, out: _Collector) -> None:
    from openpyxl import load_workbook

    book = load_workbook(upload, data_only=True, read_only=False)
    for sheet in book.worksheets:
        out.add(sheet.title)
        for part in (
            sheet.oddHeader,
            sheet.oddFooter,
            sheet.evenHeader,
            sheet.evenFooter,
            sheet.firstHeader,
            sheet.firstFooter,
        ):
            if part is None:  # typed optional, but openpyxl fills every one in (empty) when it reads a file
                continue
            for side in (part.left, part.center, part.right):
                out.add(side.text)
        _read_cells(sheet, out)


def _read_cells(sheet: Worksheet, out: _Collector) -> None:
    """Each cell on its own line, after its column's header: "DOB: 3/14/2009" is read as a date of birth."""
    headers: dict[int, str] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.comment is not None:
                out.add(cell.comment.text)
                out.add(cell.comment.author, author=True)
            if cell.value is None:
                continue
            value = _cell_text(cell.value)
            header = headers.get(cell.column)
            if header is None and isinstance(cell.value, str):
                headers[cell.column] = value
            out.add(f"{header}: {value}" if header and header != value else value)


def _cell_text(value: object) -> str:
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return f"{value.month}/{value.day}/{value.year}"
    return str(value)
