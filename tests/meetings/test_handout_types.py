"""Handouts whose type is a ZIP container (Office Open XML, OpenDocument) are checked inside,
zip bombs are refused, and a .txt must be UTF-8: refused otherwise, never re-encoded."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import Attachment

pytestmark = pytest.mark.django_db

_CT = "application/vnd.openxmlformats-officedocument"
_MAIN = {
    "docx": (
        "word/document.xml",
        f"{_CT}.wordprocessingml.document.main+xml",
        "wordprocessingml/2006/main",
        "document",
    ),
    "xlsx": ("xl/workbook.xml", f"{_CT}.spreadsheetml.sheet.main+xml", "spreadsheetml/2006/main", "workbook"),
    "pptx": (
        "ppt/presentation.xml",
        f"{_CT}.presentationml.presentation.main+xml",
        "presentationml/2006/main",
        "presentation",
    ),
}
_ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}


def _zip(entries: dict[str, bytes | str], *, stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _ooxml(kind: str, *, content_type: str | None = None, extra: dict[str, bytes | str] | None = None) -> bytes:
    """A package the way Office writes one: content types, the package relationships, the main part."""
    part, main_type, namespace, root = _MAIN[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{content_type or main_type}"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        f'officeDocument" Target="{part}"/></Relationships>'
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?><x:{root} xmlns:x="http://schemas.openxmlformats.org/{namespace}"/>'
    return _zip({"[Content_Types].xml": types, "_rels/.rels": rels, part: body, **(extra or {})})


def _odf(kind: str, *, mimetype: str | None = None) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        "<text:p>Agenda</text:p></office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
    )
    return _zip(
        {"mimetype": mimetype or _ODF[kind], "content.xml": content, "META-INF/manifest.xml": manifest},
        stored=("mimetype",),
    )


def _xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Shelter beds"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _add(name: str, content: bytes) -> Attachment:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return services.attachment_add(actor=_add.coordinator, meeting=_add.meeting, upload=upload)  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _meeting(meeting, coordinator) -> None:  # type: ignore[no-untyped-def]
    _add.meeting, _add.coordinator = meeting, coordinator  # type: ignore[attr-defined]


def _refused(name: str, content: bytes, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _add(name, content)
    message = " ".join(caught.value.message_dict["file"])
    assert says in message, message
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("agenda.docx", lambda: _ooxml("docx")),
        ("slides.pptx", lambda: _ooxml("pptx")),
        ("built-by-hand.xlsx", lambda: _ooxml("xlsx")),
        ("openpyxl.xlsx", _xlsx),
        ("agenda.odt", lambda: _odf("odt")),
        ("sheet.ods", lambda: _odf("ods")),
        ("slides.odp", lambda: _odf("odp")),
    ],
)
def test_it_accepts_real_office_and_opendocument_files(name: str, build: Callable[[], bytes]):
    assert _add(name, build()).pk


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bare.docx", lambda: _zip({"notes.txt": "Agenda"})),
        ("bare.xlsx", lambda: _zip({"xl/workbook.xml": "<workbook/>"})),  # no [Content_Types].xml
        ("bare.odt", lambda: _zip({"content.xml": "<x/>"})),  # no mimetype file
        ("sheet-named.docx", _xlsx),
        ("slides-named.xlsx", lambda: _ooxml("pptx")),
        ("document-named.pptx", lambda: _ooxml("docx")),
        ("macros.docx", lambda: _ooxml("docx", content_type="application/vnd.ms-word.document.macroEnabled.main+xml")),
        ("text-named.ods", lambda: _odf("odt")),
        ("wrong-mimetype.odt", lambda: _odf("odt", mimetype="application/zip")),
    ],
)
def test_it_refuses_a_zip_that_is_not_the_type_its_name_says(name: str, build: Callable[[], bytes]):
    _refused(name, build(), f"not a .{name.rsplit('.', 1)[1]} file")


def test_it_refuses_a_zip_bomb_by_its_uncompressed_size():
    blank = b"\x00" * (100 * 1024 * 1024 + 1)  # MAX_ZIP_UNCOMPRESSED_BYTES is 100 MB
    content = _ooxml("docx", extra={"word/media/blank.bin": blank})
    assert len(content) < 1024 * 1024  # small on the wire
    _refused("bomb.docx", content, "expands to more than 100 MB")


def test_it_refuses_a_zip_with_too_many_entries():
    many = {f"word/media/{n}.bin": b"" for n in range(2000)}  # MAX_ZIP_ENTRIES is 2000; with the 3 parts, 2003
    _refused("many.docx", _ooxml("docx", extra=many), "more than 2000 files")


def test_it_refuses_a_damaged_zip_clearly():
    _refused("broken.xlsx", _ooxml("xlsx")[:300], "could not be read")


@pytest.mark.parametrize(
    ("label", "content"),
    [
        ("latin-1 after the first 2 KB", ("Agenda\n" * 400 + "Café des réfugiés\n").encode("latin-1")),
        ("utf-16 with a BOM", "Agenda: approval of the minutes.\n".encode("utf-16")),
        ("utf-16-le without a BOM", "Agenda: approval of the minutes.\n".encode("utf-16-le")),
        ("cp1252 quotes", "The \u201cshelter\u201d list.\n".encode("cp1252")),
    ],
)
def test_it_refuses_a_text_handout_that_is_not_utf8(label: str, content: bytes):
    _refused("notes.txt", content, "plain UTF-8 text")


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffCafé des réfugiés: agenda.\n".encode(),  # UTF-8 with a byte order mark
        ("a" * 2047 + "é and more\n").encode(),  # a two-byte character across the first 2 KB
        "Réunion du comité.\n".encode() * 500,
    ],
)
def test_it_stores_a_utf8_text_handout_byte_for_byte(content: bytes):
    attachment = _add("notes.txt", content)
    attachment.file.open("rb")
    assert attachment.file.read() == content
    assert attachment.content_type == "text/plain; charset=utf-8"
