"""Word files → their parsed document XML, safely: size limits, no DTDs, old formats via LibreOffice."""

from __future__ import annotations

import contextlib
import io
import posixpath
import re
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from gen import libreoffice
from gen.errors import GenError, disk_reason, error_detail
from gen.importing.tables import Styles, document_styles
from gen.ooxml import DC_NS, RELS_NS

DOCX_SUFFIXES = (".docx", ".docm")
LEGACY_SUFFIXES = (".doc", ".wps")
WORD_SUFFIXES = DOCX_SUFFIXES + LEGACY_SUFFIXES
# Limits, from what Word writes and what forms weigh. Word saves no .docx over 512 MB (its
# documented limit, pictures included), so a bigger file, or a package declaring more than that
# unpacked, is not a form. Only the XML parts read are unpacked (the document, its relationships,
# the core properties); pictures are never unpacked by `gen import`, so a form with large
# pictures imports however well they compress. A form's document.xml is 30–400 KB, packed
# 15–25:1; gen's 合订本 takes 37 KB a form, so MAX_PART holds a book of about 1,800 forms. A
# zip bomb packs 1,000:1, which MAX_RATIO refuses for any part read over RATIO_FLOOR.
MAX_FILE = 512 * 1024 * 1024  # the file on disk
MAX_TOTAL = 512 * 1024 * 1024  # every part unpacked, as the archive's headers declare them
MAX_PART = 64 * 1024 * 1024  # one XML part read
MAX_RATIO = 200  # unpacked / packed, for an XML part read
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 10_000
CORE_PART = "docProps/core.xml"
# What zipfile raises for a damaged or unusual archive: bad headers, data that does not inflate
# (zlib.error), a compression method or zip password it does not support.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    ValueError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
)
CONVERT_TIMEOUT = 180  # seconds for LibreOffice to convert one file

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_DOCUMENT = "/officeDocument"
# The page headers and footers beside the main part (header1.xml, footer2.xml…), whose lines
# print on every page ("金额单位：元").
_PAGE_PART = re.compile(r"(?:header|footer)[0-9]*\.xml")


class WordFileError(GenError):
    """A file that cannot be read as a Word document; the message says why, in Chinese."""

    def __init__(self, message: str, code: str = "unreadable", located: bool = False) -> None:
        super().__init__(message)
        self.code = code  # stable identifier: not-word, corrupt, encrypted, too-large, doctype…
        # the message says where its form is in the file (第 2 个表格第 5 行…): no "第 2 个表：" before it
        self.located = located


@dataclass(frozen=True)
class WordDocument:
    """A Word file opened: its .docx bytes, the parsed main document part and who wrote it."""

    data: bytes  # the .docx package (a .doc / .wps converted)
    root: etree._Element  # the main document part
    part: str  # the name of that part in the package
    creator: str  # dc:creator of the core properties ("gen" for the forms gen writes)
    pages: tuple[etree._Element, ...] = ()  # the page headers and footers, in package order
    styles: Styles = field(default_factory=Styles)  # what the styles part says of hidden text
    page_parts: tuple[str, ...] = ()  # the names of `pages` in the package


def read_document(path: Path, workdir: Path) -> WordDocument:
    """A .docx / .doc / .wps file opened (converted inside `workdir`), after the safety checks."""
    return open_package(word_bytes(path, workdir))


def word_bytes(path: Path, workdir: Path) -> bytes:
    """The .docx bytes of a Word file: size checked, encryption refused, old formats converted."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise WordFileError(_too_big(size), "too-large")
        data = path.read_bytes()
    except OSError as exc:
        raise WordFileError(
            f"无法读取文件（{disk_reason(exc, reading=True)}）", "unreadable"
        ) from exc
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            raise WordFileError(
                "文件已加密（设置了打开密码）；请在 Word 或 WPS 中取消密码，另存为 .docx 后再导入",
                "encrypted",
            )
        data = convert_legacy(path, workdir)
    elif path.suffix.lower() in LEGACY_SUFFIXES and not data.startswith(ZIP_MAGIC):
        raise WordFileError(_not_word(data), "not-word")
    return data


def unexpected(exc: Exception) -> WordFileError:
    """A file that failed in a way no check foresaw: that file's message, never a traceback."""
    return WordFileError(
        f"读取这个文件时出错（{error_detail(exc)}）；请在 Word 或 WPS 中打开后另存为 .docx "
        "再试；仍然出错时，请把这个文件交给维护 gen 的同事",
        "unreadable",
    )


def _too_big(size: int) -> str:
    """The message for a file larger than Word writes."""
    return (
        f"文件有 {size / 1024 / 1024:.0f} MB，超过 Word 能保存的 512 MB，不是一份表格；"
        "请导入表格本身的 .docx 文件"
    )


def open_package(data: bytes) -> WordDocument:
    """The main document of .docx bytes, after the size and structure checks."""
    with _opened(data) as package:
        name = main_part_name(package)
        root = parse_xml(read_part(package, name), name)
        names = _page_names(package, name)
        pages = tuple(parse_xml(read_part(package, page), page) for page in names)
        styles = _styles(package, name)
        return WordDocument(data, root, name, _creator(package), pages, styles, names)


def _styles(package: zipfile.ZipFile, main: str) -> Styles:
    """What the styles part beside the main part says of hidden text (nothing when it has none)."""
    name = posixpath.join(posixpath.dirname(main), "styles.xml")
    if name not in package.namelist():
        return Styles()
    return document_styles(parse_xml(read_part(package, name), name))


def _page_names(package: zipfile.ZipFile, main: str) -> tuple[str, ...]:
    """The names of the header and footer parts in the main part's folder."""
    folder = posixpath.dirname(main)
    return tuple(
        name
        for name in package.namelist()
        if posixpath.dirname(name) == folder and _PAGE_PART.fullmatch(posixpath.basename(name))
    )


def package_parts(data: bytes) -> list[tuple[str, bytes]]:
    """Every file part of .docx bytes, in zip order, unpacked (the whole package within MAX_TOTAL)."""
    with _opened(data) as package:
        entries = [entry for entry in package.infolist() if not entry.is_dir()]
        total = sum(entry.file_size for entry in entries)
        if total > MAX_TOTAL:
            raise WordFileError(_bomb(total), "too-large")
        return [(entry.filename, package.read(entry)) for entry in entries]


@contextlib.contextmanager
def _opened(data: bytes) -> Iterator[zipfile.ZipFile]:
    """A .docx zip opened for reading, its entries counted; zip errors become WordFileError."""
    if not data.startswith(ZIP_MAGIC):
        raise WordFileError(_not_word(data), "not-word")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if len(package.infolist()) > MAX_ENTRIES:
                raise WordFileError(
                    f"文件里有 {len(package.infolist())} 个部件，远多于 Word 文档会有的，已拒绝读取",
                    "too-large",
                )
            yield package
    except ZIP_ERRORS as exc:
        raise _corrupt(exc) from exc


def _corrupt(exc: Exception) -> WordFileError:
    """The message for a package that cannot be unzipped, saying why in Chinese."""
    return WordFileError(
        f"文件已损坏，无法解压（{_zip_reason(exc)}）；请在 Word 或 WPS 中打开后另存为 .docx 再导入",
        "corrupt",
    )


def _zip_reason(exc: Exception) -> str:
    """Why zipfile refused a package, in Chinese (zipfile only says it in English)."""
    said = str(exc)
    if isinstance(exc, NotImplementedError):
        return "用了 gen 读不了的压缩方式"
    if "not a zip file" in said or isinstance(exc, EOFError):
        return "不是完整的压缩包，可能只复制或下载了一部分"
    if "CRC" in said or isinstance(exc, zlib.error):
        return "压缩的数据有误，校验不符"
    return "压缩包的结构有误"


def _creator(package: zipfile.ZipFile) -> str:
    """The core properties' dc:creator, "" when there is none or it cannot be read."""
    if CORE_PART not in package.namelist():
        return ""
    try:
        root = parse_xml(read_part(package, CORE_PART), CORE_PART)
    except WordFileError:
        return ""
    return (root.findtext(f"{{{DC_NS}}}creator") or "").strip()


def _not_word(data: bytes) -> str:
    """Why bytes are not a Word file, naming what they look like when it is easy to tell."""
    kinds = {
        b"%PDF": "PDF 文件",
        b"\x89PNG": "PNG 图片",
        b"\xff\xd8\xff": "JPEG 图片",
        b"{\\rtf": "RTF 文件",
    }
    kind = next((name for magic, name in kinds.items() if data.startswith(magic)), None)
    if kind is None:
        found = "文件内容不是 Word 格式（可能只是改了扩展名）"
    else:  # a space between a Chinese word and a Latin one: 它是 PDF 文件, 它是图片
        found = f"它是 {kind}" if kind[0].isascii() else f"它是{kind}"
    return f"不是 Word 文件：{found}；请导入 .docx、.doc 或 .wps 文件"


def check_part(entry: zipfile.ZipInfo) -> None:
    """Refuse, from its header and before unpacking it, an XML part that would unpack too large."""
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > MAX_PART:
        raise WordFileError(_bomb(entry.file_size), "too-large")
    if entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
        raise WordFileError(_bomb(entry.file_size, ratio), "too-large")


def _bomb(size: int, ratio: float | None = None) -> str:
    """The message for an archive that unpacks too large."""
    how = f"，压缩比 {ratio:.0f}:1" if ratio else ""
    return (
        f"文件解压后过大（{size / 1024 / 1024:.0f} MB{how}），疑似压缩炸弹，已拒绝读取；"
        "一份表格的文字部分解压后通常不到 1 MB，压缩比不到 30:1"
    )


def read_part(package: zipfile.ZipFile, name: str) -> bytes:
    """One XML part, checked by its header first and read no further than MAX_PART."""
    try:
        entry = package.getinfo(name)
    except KeyError as exc:
        raise WordFileError(
            f"文件已损坏：缺少 {name}；请在 Word 或 WPS 中打开后另存为 .docx 再导入", "corrupt"
        ) from exc
    check_part(entry)
    if entry.flag_bits & 0x1:  # the zip itself has a password (Word's own password is not this)
        raise WordFileError(
            "文件已加密（压缩包设置了密码）；请在 Word 或 WPS 中打开，另存为没有密码的 .docx 后再导入",
            "encrypted",
        )
    with package.open(entry) as part:
        data = part.read(MAX_PART + 1)
    if len(data) > MAX_PART:
        raise WordFileError(_bomb(len(data)), "too-large")
    return data


def main_part_name(package: zipfile.ZipFile) -> str:
    """The name of the main document part, from the package relationships."""
    names = set(package.namelist())
    if "_rels/.rels" in names:
        rels = parse_xml(read_part(package, "_rels/.rels"), "_rels/.rels")
        for rel in rels.iter(f"{{{RELS_NS}}}Relationship"):
            target = (rel.get("Target") or "").lstrip("/")
            if rel.get("Type", "").endswith(OFFICE_DOCUMENT) and target:
                return posixpath.normpath(target)
    if "word/document.xml" in names:
        return "word/document.xml"
    if any(name.startswith(("xl/", "ppt/")) for name in names):
        kind = "Excel 表格" if any(n.startswith("xl/") for n in names) else "PowerPoint 演示文稿"
        raise WordFileError(
            f"不是 Word 文件：它是{kind}；请导入 .docx、.doc 或 .wps 文件", "not-word"
        )
    raise WordFileError("不是 Word 文件：压缩包里没有 Word 文档（word/document.xml）", "not-word")


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one XML part with entity resolution and network access off; a DOCTYPE is refused."""
    if b"<!DOCTYPE" in data[:4096].upper():
        raise WordFileError(_doctype(name), "doctype")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        where = f"第 {line} 行第 {column} 列附近"
        raise WordFileError(
            f"文件已损坏：{name} 不是有效的 XML（{where}）；请在 Word 或 WPS 中打开后另存为 .docx 再导入",
            "corrupt",
        ) from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise WordFileError(_doctype(name), "doctype")
    return root


def _doctype(name: str) -> str:
    """The message for XML that declares a DOCTYPE (entities, external references)."""
    return f"文件里的 {name} 含有 DOCTYPE / 实体声明（Word 从不写这种内容，可能是恶意文件），已拒绝读取"


def convert_legacy(path: Path, workdir: Path) -> bytes:
    """Convert a .doc / .wps file to .docx bytes with LibreOffice, using a profile of our own."""
    soffice = libreoffice.find_soffice()
    if soffice is None:
        raise WordFileError(
            f"{path.suffix or '这种'} 文件需要 LibreOffice（soffice）转换，但没有安装；"
            f"{libreoffice.INSTALL_HINT}；或在 Word / WPS 中另存为 .docx 再导入",
            "needs-libreoffice",
        )
    out_dir = Path(tempfile.mkdtemp(prefix="convert-", dir=workdir))
    folder = workdir / "libreoffice-profile"  # set up by the first file, used by the others
    if not folder.exists():
        libreoffice.new_profile(folder, libreoffice.product_version(soffice))
    profile = libreoffice.profile_option(folder)
    command = [soffice, profile, "--headless", "--norestore", "--nolockcheck"]
    command += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir)]
    _run_libreoffice([*command, str(path.resolve())], out_dir.with_suffix(".log"))
    converted = list(out_dir.glob("*.docx"))
    if not converted:
        raise WordFileError(
            "LibreOffice 无法转换这个文件（可能已损坏、设置了密码，或不是 Word 文件）；"
            "请在 Word / WPS 中打开后另存为 .docx 再导入",
            "convert-failed",
        )
    return converted[0].read_bytes()


def _run_libreoffice(command: list[str], log_file: Path) -> None:
    """Run LibreOffice to its end; on a timeout or Ctrl-C it is stopped with all it started."""
    try:
        with open(log_file, "wb") as log:
            process = libreoffice.start(command, log)
    except libreoffice.CannotStart as exc:
        raise _convert_failed(f"无法运行：{exc.reason}") from exc
    try:
        process.wait(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        libreoffice.stop(process)
        raise _convert_failed(f"{CONVERT_TIMEOUT} 秒内没有转换完") from exc
    except BaseException:  # Ctrl-C: LibreOffice is not left running
        libreoffice.stop(process)
        raise


def _convert_failed(why: str) -> WordFileError:
    """LibreOffice could not convert a file: why, and what the user can do instead."""
    return WordFileError(
        f"LibreOffice 转换失败（{why}）；请在 Word / WPS 中另存为 .docx 再导入", "convert-failed"
    )
