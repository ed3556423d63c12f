"""Office packages (.docx, .xlsx): their XML namespaces and strict parser, and zips with fixed
timestamps (equal parts, equal bytes)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

# The XML namespaces of a Word package, and the Clark names lxml uses for their elements.
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DC_NS = "http://purl.org/dc/elements/1.1/"
GEN_CREATOR = "gen"  # dc:creator of the forms gen writes, and so of the books and redlines of them
NAMESPACES = {"w": W_NS, "w14": W14_NS, "mc": MC_NS, "r": R_NS}
XML_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # as lxml writes it
# The parser for the XML of a template or a form: no recovery from errors, no entities, no
# network; processing instructions are kept (the well-formedness proof marks blocks with them).
STRICT_XML = etree.XMLParser(
    recover=False, resolve_entities=False, no_network=True, huge_tree=True, remove_pis=False
)


def w(tag: str) -> str:
    """The Clark name of a w: element or attribute ("{namespace}tag")."""
    return f"{{{W_NS}}}{tag}"


_TEXTS = etree.XPath(".//w:t/text()", namespaces=NAMESPACES)


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a paragraph's runs, as written (w:t only: no tabs or breaks)."""
    return "".join(_TEXTS(paragraph))


FALLBACK = f"{{{MC_NS}}}Fallback"  # the copy of a drawing or text box for older programs
BOX_PLACE = "文本框里"  # where a text box's line prints, for messages (文本框里的“单位：元”)


def printed_paragraphs(element: etree._Element) -> list[etree._Element]:
    """Every paragraph below `element` (itself included), in tables and text boxes too, each
    once: a text box that Word stores twice (mc:Choice and its mc:Fallback) is read in its
    first copy."""
    return [p for p in element.iter(w("p")) if next(p.iterancestors(FALLBACK), None) is None]


def in_text_box(paragraph: etree._Element) -> bool:
    """Whether a paragraph is in a text box."""
    return next(paragraph.iterancestors(w("txbxContent")), None) is not None


def page_place(page: etree._Element) -> str:
    """Where the lines of a page header or footer part (its w:hdr or w:ftr) print, for messages:
    页眉里 or 页脚里."""
    return "页脚里" if page.tag == w("ftr") else "页眉里"


def w14(tag: str) -> str:
    """The Clark name of a w14: element or attribute."""
    return f"{{{W14_NS}}}{tag}"


ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the output
_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
_DOS_TIME = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2
_ZIP_VERSION = 20  # "deflate", as zipfile writes it
_FILE_MODE = 0o600 << 16  # zipfile's default for a file written from bytes
_UTF8_NAME = 0x800
# A form's document.xml (about 50 KB of XML) deflates three times faster at level 1 than at the
# default level 6, and takes under 1 KB more: speed is worth more here than those bytes.
DEFLATE_LEVEL = 1


@dataclass(frozen=True)
class ZipMember:
    """One part of a .docx, compressed once so that it can be copied into many packages."""

    name: bytes
    crc: int
    size: int
    compressed: bytes
    flags: int = 0  # 0x800 when the name is UTF-8 rather than ASCII


def zip_member(name: str, data: bytes) -> ZipMember:
    """Deflate one part as a raw stream, the way zipfile does, at DEFLATE_LEVEL."""
    deflate = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    compressed = deflate.compress(data) + deflate.flush()
    flags = 0 if name.isascii() else _UTF8_NAME
    return ZipMember(name.encode("utf-8"), zlib.crc32(data), len(data), compressed, flags)


def zip_package(members: Sequence[ZipMember]) -> bytes:
    """A .docx zip with fixed timestamps and attributes, in the given order.

    The bytes are those zipfile writes for ZipInfo(name, ZIP_DATE) with create_system 0,
    so a package only pays for compressing the parts that changed.
    """
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        fields = (
            _ZIP_VERSION,
            0,
            member.flags,
            zipfile.ZIP_DEFLATED,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
        )
        sizes = (len(member.compressed), member.size, len(member.name), 0)
        header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, *sizes)
        entry = struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", _ZIP_VERSION, 0, *fields, *sizes, 0, 0, 0,
            _FILE_MODE, offset,
        )  # fmt: skip
        chunks += (header, member.name, member.compressed)
        directory += (entry, member.name)
        offset += len(header) + len(member.name) + len(member.compressed)
    size = sum(map(len, directory))
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), size, offset, 0)
    return b"".join(chunks + directory) + end


def package(parts: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) parts in the given order, with fixed timestamps and attributes."""
    return zip_package([zip_member(name, data) for name, data in parts])


def fixed_zip(data: bytes) -> bytes:
    """The same package re-zipped by package(): a library's own timestamps are dropped."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return package((info.filename, source.read(info)) for info in source.infolist())


_CORE_LIMIT = 64 * 1024  # a core.xml holds a title and a creator: far less than this


def made_by_gen(path: Path) -> bool:
    """Whether a file is a Word package gen wrote (by its dc:creator); False if it cannot be read.

    The file is one a user named, so anything may be there: no more than _CORE_LIMIT is unpacked.
    """
    try:
        with zipfile.ZipFile(path) as package, package.open("docProps/core.xml") as part:
            core = part.read(_CORE_LIMIT + 1)
        if len(core) > _CORE_LIMIT:
            return False
        root = etree.fromstring(core, STRICT_XML)
    except (OSError, KeyError, ValueError, EOFError, NotImplementedError, zipfile.BadZipFile,
            zlib.error, etree.XMLSyntaxError):  # fmt: skip
        return False
    return (root.findtext(f"{{{DC_NS}}}creator") or "").strip() == GEN_CREATOR
