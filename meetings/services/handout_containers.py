"""What is inside a handout, checked before it is stored: the ZIP-based types (Office Open XML and
OpenDocument) must be that kind of package, within bounds, and a .txt must be UTF-8 text.

The first bytes of a .docx only say "a ZIP file": any archive named .docx passed. A package is
checked the way an office suite opens it: OOXML by its [Content_Types].xml and its main part (found
through _rels/.rels, its root element the right one); OpenDocument by its `mimetype` file. A ZIP
that would expand past the caps below is refused before anything inflates it (a zip bomb).
"""

from __future__ import annotations

import codecs
import logging
import posixpath
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from lxml import etree

MAX_ZIP_ENTRIES = 2000  # a long slide deck with its media has a few hundred parts
MAX_ZIP_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # ten times the upload limit; XML compresses about that much
_MAX_PACKAGE_XML = 1024 * 1024  # [Content_Types].xml and _rels/.rels are a few KB

_OOXML = "application/vnd.openxmlformats-officedocument"
# extension: (the main part's usual name, its content type, a word of its namespace, its root element)
_OOXML_MAIN = {
    "docx": ("word/document.xml", f"{_OOXML}.wordprocessingml.document.main+xml", "wordprocessingml", "document"),
    "xlsx": ("xl/workbook.xml", f"{_OOXML}.spreadsheetml.sheet.main+xml", "spreadsheetml", "workbook"),
    "pptx": (
        "ppt/presentation.xml",
        f"{_OOXML}.presentationml.presentation.main+xml",
        "presentationml",
        "presentation",
    ),
}
_ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
_OFFICE_DOCUMENT = "/officeDocument"  # the end of the package relationship type to the main part
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def check_container(upload: UploadedFile, extension: str) -> None:
    """Raises a ValidationError unless a ZIP-based upload is a package of its extension's type."""
    if extension not in _OOXML_MAIN and extension not in _ODF_MIMETYPES:
        return
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_bounds(archive, extension)
            ok = _is_ooxml(archive, extension) if extension in _OOXML_MAIN else _is_odf(archive, extension)
    except ValidationError:
        raise
    except Exception as error:  # damaged, truncated, encrypted: many kinds, one clear answer
        logging.getLogger(__name__).info("handout package unreadable: %s", type(error).__name__)
        raise ValidationError(
            {
                "file": _("The .%(extension)s file could not be read: it is damaged. Save it again and upload it.")
                % {"extension": extension}
            }
        ) from error
    finally:
        upload.seek(0)
    if not ok:
        raise ValidationError(
            {"file": _("The file's content is not a .%(extension)s file.") % {"extension": extension}}
        )


def _check_bounds(archive: zipfile.ZipFile, extension: str) -> None:
    # The sizes are the archive's own claims, and zipfile stops reading an entry at its claimed size.
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ValidationError(
            {
                "file": _("The .%(extension)s file holds more than %(most)s files: refused.")
                % {"extension": extension, "most": MAX_ZIP_ENTRIES}
            }
        )
    if sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED_BYTES:
        limit = MAX_ZIP_UNCOMPRESSED_BYTES // (1024 * 1024)
        raise ValidationError(
            {
                "file": _("The .%(extension)s file expands to more than %(most)s MB: refused.")
                % {"extension": extension, "most": limit}
            }
        )


def _is_ooxml(archive: zipfile.ZipFile, extension: str) -> bool:
    usual, content_type, namespace_word, root_name = _OOXML_MAIN[extension]
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return False
    main = _main_part(archive, names) or usual
    if main not in names:
        return False
    declared = _declared_type(_small_xml(archive, "[Content_Types].xml"), main)
    if declared is not None and declared != content_type:  # a macro-enabled or another kind of package
        return False
    with archive.open(main) as part:
        _event, root = next(
            etree.iterparse(part, events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
        )
    name = etree.QName(root)
    return name.localname == root_name and namespace_word in (name.namespace or "")


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part _rels/.rels names as the document (it need not have its usual name)."""
    if "_rels/.rels" not in names:
        return None
    for relationship in _small_xml(archive, "_rels/.rels"):
        if str(relationship.get("Type", "")).endswith(_OFFICE_DOCUMENT):
            return posixpath.normpath(str(relationship.get("Target", "")).lstrip("/"))
    return None


def _declared_type(types: etree._Element, part: str) -> str | None:
    """The content type [Content_Types].xml gives the part by name (an Override), if it does."""
    for override in types:
        if etree.QName(override).localname == "Override" and override.get("PartName", "").lstrip("/") == part:
            return override.get("ContentType")
    return None


def _small_xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    if archive.getinfo(name).file_size > _MAX_PACKAGE_XML:
        raise ValueError(f"{name} is too large")
    return etree.fromstring(archive.read(name), _PARSER)


def _is_odf(archive: zipfile.ZipFile, extension: str) -> bool:
    names = set(archive.namelist())
    if "mimetype" not in names or "content.xml" not in names or archive.getinfo("mimetype").file_size > 200:
        return False
    return archive.read("mimetype").decode("ascii", errors="replace").strip() == _ODF_MIMETYPES[extension]


def is_utf8_text(upload: UploadedFile) -> bool:
    """The whole file decodes as UTF-8 (a byte order mark is fine) and holds no NUL (UTF-16, binary)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)  # a file cut in the middle of a character
    except UnicodeDecodeError:
        return False
    finally:
        upload.seek(0)
    return True
