"""Word files → their parsed document XML, safely: size limits, no DTDs, old formats via LibreOffice."""

from __future__ import annotations

import io
import posixpath
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from gen import libreoffice
from gen.errors import GenError
from gen.ooxml import RELS_NS
from gen.output import disk_reason

DOCX_SUFFIXES = (".docx", ".docm")
LEGACY_SUFFIXES = (".doc", ".wps")
WORD_SUFFIXES = DOCX_SUFFIXES + LEGACY_SUFFIXES
MAX_PART = 32 * 1024 * 1024  # the largest XML part read (a form is a few hundred KB)
MAX_TOTAL = 256 * 1024 * 1024  # all parts together, as the archive declares them
MAX_RATIO = 200  # uncompressed / compressed, for a part larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 10_000
CONVERT_TIMEOUT = 180  # seconds for LibreOffice to convert one file

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_DOCUMENT = "/officeDocument"


class WordFileError(GenError):
    """A file that cannot be read as a Word document; the message says why, in Chinese."""

    def __init__(self, message: str, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code  # stable identifier: not-word, corrupt, encrypted, too-large, doctype…


def read_document(path: Path, workdir: Path) -> etree._Element:
    """The parsed main document part of a .docx / .doc / .wps file (converted inside `workdir`)."""
    try:
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
    return document_root(data)


def document_root(data: bytes) -> etree._Element:
    """The main document XML of .docx bytes, after the size and structure checks."""
    if not data.startswith(ZIP_MAGIC):
        raise WordFileError(_not_word(data), "not-word")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            check_sizes(package)
            name = main_part_name(package)
            return parse_xml(read_part(package, name), name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise WordFileError(
            f"文件已损坏，无法解压（{exc}）；请在 Word 或 WPS 中打开后另存为 .docx 再导入",
            "corrupt",
        ) from exc


def _not_word(data: bytes) -> str:
    """Why bytes are not a Word file, naming what they look like when it is easy to tell."""
    kinds = {
        b"%PDF": "PDF 文件",
        b"\x89PNG": "PNG 图片",
        b"\xff\xd8\xff": "JPEG 图片",
        b"{\\rtf": "RTF 文件",
    }
    kind = next((name for magic, name in kinds.items() if data.startswith(magic)), None)
    found = f"它是{kind}" if kind else "文件内容不是 Word 格式（可能只是改了扩展名）"
    return f"不是 Word 文件：{found}；请导入 .docx、.doc 或 .wps 文件"


def check_sizes(package: zipfile.ZipFile) -> None:
    """Refuse archives that would unpack to far more than a form (a zip bomb) before reading them."""
    entries = package.infolist()
    total = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or total > MAX_TOTAL:
        raise WordFileError(_bomb(total), "too-large")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise WordFileError(_bomb(entry.file_size, ratio), "too-large")


def _bomb(size: int, ratio: float | None = None) -> str:
    """The message for an archive that unpacks too large."""
    how = f"，压缩比 {ratio:.0f}:1" if ratio else ""
    return (
        f"文件解压后过大（{size / 1024 / 1024:.0f} MB{how}），疑似压缩炸弹，已拒绝读取；"
        "一份绩效目标表解压后通常不到 1 MB"
    )


def read_part(package: zipfile.ZipFile, name: str) -> bytes:
    """One part, read no further than MAX_PART whatever its header claims."""
    try:
        with package.open(name) as part:
            data = part.read(MAX_PART + 1)
    except KeyError as exc:
        raise WordFileError(
            f"文件已损坏：缺少 {name}；请在 Word 或 WPS 中打开后另存为 .docx 再导入", "corrupt"
        ) from exc
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
        raise WordFileError(f"文件已损坏：{name} 不是有效的 XML（{exc}）", "corrupt") from exc
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
    profile = libreoffice.profile_option(workdir / "libreoffice-profile")
    command = [soffice, profile, "--headless", "--norestore"]
    command += ["--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir)]
    try:
        subprocess.run(
            [*command, str(path.resolve())],
            capture_output=True,
            timeout=CONVERT_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise WordFileError(
            f"LibreOffice 转换失败（{exc}）；请在 Word / WPS 中另存为 .docx 再导入",
            "convert-failed",
        ) from exc
    converted = list(out_dir.glob("*.docx"))
    if not converted:
        raise WordFileError(
            "LibreOffice 无法转换这个文件（可能已损坏、设置了密码，或不是 Word 文件）；"
            "请在 Word / WPS 中打开后另存为 .docx 再导入",
            "convert-failed",
        )
    return converted[0].read_bytes()
