"""Files → plain data: parse YAML keeping the source line of every node, merge _defaults.yaml."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from gen.characters import UNWRITABLE
from gen.errors import Finding, Location, UsageError, disk_reason, one_line, shown
from gen.files import NOT_REGULAR, Problems, regular_file, utf8_name, walk
from gen.vocabulary import GOAL_FIELDS
from gen.yaml_errors import character_name, fullwidth_fix, fullwidth_key, syntax_finding

KeyPath = tuple[str, ...]

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULTS_NAME = "_defaults.yaml"
MERGED_KEYS = ("格式", "其他栏目")  # the top-level keys that merge key by key
_GOALS = frozenset((goal,) for goal in GOAL_FIELDS)  # text whose line breaks the forms keep
MAX_FILE_BYTES = 256 * 1024  # a project file is a few KB: this bounds one form's time and memory
MAX_DEPTH = 20  # nesting levels; a real file needs 4 (绩效指标 → 一级 → 二级 → 三级)
MAX_INT_CHARS = 100  # longer digit strings stay exact as Decimal, for the schema to refuse

# A date as a project file writes it (2026-1-1 too, which YAML itself reads as text).
YAML_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TAG = "tag:yaml.org,2002:"
# A plain scalar is typed from its text as written (never YAML 1.1's octal 017, 0x1F, 1:30, 1_000).
_INT = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_NUMERIC_START = frozenset("0123456789+-.")  # how every number and date starts
_BOOLEANS = {
    variant: value
    for words, value in (("yes true on", True), ("no false off", False))
    for word in words.split()
    for variant in (word, word.capitalize(), word.upper())
}
# Line breaks to YAML but not to an editor: the error would come a line later, blaming a colon.
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
# A double-quoted escape: \v, \x0b, \u000B, \U0000000b.
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {
    "0": "\x00",
    "a": "\x07",
    "b": "\x08",
    "v": "\x0b",
    "f": "\x0c",
    "e": "\x1b",
    "N": "\x85",
}
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16: both start with FF FE
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_WIDE_CODECS = (  # UTF-32 first: its text has NULs in UTF-16's places too
    ("utf-32-le", "UTF-32"),
    ("utf-32-be", "UTF-32"),
    ("utf-16-le", "UTF-16"),
    ("utf-16-be", "UTF-16"),
)


@dataclass(frozen=True)
class Source:
    """One project file with its _defaults.yaml files merged in, and where each value was written."""

    path: Path  # the project file, as the user named it (relative paths stay relative)
    data: dict[str, Any]  # merged plain data: str, int, Decimal, date, bool, None, dict, list
    origins: dict[KeyPath, Location] = field(default_factory=dict)  # key path -> its key's line
    raw: dict[KeyPath, str] = field(default_factory=dict)  # key path -> scalar text as written
    value_lines: dict[KeyPath, Location] = field(default_factory=dict)  # key path -> value's line

    def locate(self, *keys: str) -> Location:
        """Where the value at `keys` (or its nearest written ancestor) was written."""
        path: KeyPath = tuple(keys)
        while path:
            if path in self.origins:
                return self.origins[path]
            path = path[:-1]
        return Location(self.path, 1)

    def locate_value(self, *keys: str) -> Location:
        """Where the value itself starts (the line below its key for a nested block)."""
        return self.value_lines.get(tuple(keys)) or self.locate(*keys)


# ---------------------------------------------------------------- finding the project files


def find_project_files(paths: Sequence[Path], problems: Problems = None) -> list[Path]:
    """The project files named or found below the given paths, sorted, in the form the user gave.

    What the walk skipped (an unreadable folder, a folder seen twice, a name that is not UTF-8)
    is added to `problems` when given.
    """
    found: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到 {shown(path)}；请检查路径是否写对")
        found.update(_walk(path, problems) if path.is_dir() else [_named_file(path)])
    return sorted(found, key=lambda p: p.as_posix())


def _named_file(path: Path) -> Path:
    """A file named on the command line, if it can be a project."""
    if misnamed(path) is not None:
        raise UsageError(f"{shown(path)}：{misnamed(path)}")
    if path.suffix.lower() not in YAML_SUFFIXES:
        raise UsageError(f"{shown(path)} 不是项目文件；项目文件必须以 .yaml 或 .yml 结尾")
    if path.name.startswith("_"):
        raise UsageError(f"{shown(path)} 以“_”开头，是共用设置而不是项目；请指定项目文件或文件夹")
    problems: list[Finding] = []
    if not (utf8_name(path, problems) and regular_file(path, problems)):
        raise UsageError(f"{shown(path)}：{problems[0].message}")
    return path


def _walk(folder: Path, problems: Problems) -> Iterator[Path]:
    """Project files below a folder; names starting with '_' or '.' are skipped (files and folders)."""
    return walk_reporting_misnamed(folder, is_project_file, problems)


def walk_reporting_misnamed(
    folder: Path, wanted: Callable[[Path], bool], problems: Problems
) -> Iterator[Path]:
    """The files below a folder that `wanted` accepts, outside '_' and '.' folders; a file meant
    as a project file or a _defaults.yaml but named so that gen would not read it is an error
    in `problems` (see misnamed)."""
    for path in walk(folder, lambda p: wanted(p) or misnamed(p) is not None, ("_", "."), problems):
        why = misnamed(path)
        if why is None:
            yield path
        elif problems is not None:
            problems.append(Finding(path, 0, "", "error", "misnamed", why))


def is_project_file(path: Path) -> bool:
    """A YAML file that is a project: not hidden, not a shared _…yaml file."""
    return path.suffix.lower() in YAML_SUFFIXES and not path.name.startswith(("_", "."))


_TXT_SUFFIXES = tuple(f"{suffix}.txt" for suffix in YAML_SUFFIXES)
_DEFAULTS_LOOKALIKES = {"_defaults.yml", *(f"_defaults{suffix}" for suffix in _TXT_SUFFIXES)}
_SHOW_SUFFIXES = "在资源管理器的“查看”里勾选“文件扩展名”就能看到"


def misnamed(path: Path) -> str | None:
    """Why a file meant as a project file or a _defaults.yaml is not read as one, or None.

    Notepad saves 夜间巡逻.yaml as 夜间巡逻.yaml.txt, and Explorer hides the .txt.
    """
    name, lower = path.name, path.name.lower()
    if lower in _DEFAULTS_LOOKALIKES:
        meant = DEFAULTS_NAME
        why = f"共用设置的文件名必须是 {DEFAULTS_NAME}，这个文件不会被读取"
    elif lower.endswith(_TXT_SUFFIXES) and not name.startswith((".", "_")):
        meant = name[:-4]
        why = (
            "文件名以 .txt 结尾，gen 不把它当作项目文件"
            "（记事本保存时会自动加上 .txt，资源管理器又默认不显示它）"
        )
    else:
        return None
    if path.with_name(meant).exists():
        return f"{why}；旁边已有 {meant}，这个文件请核对后删除（{_SHOW_SUFFIXES}文件名的结尾）"
    return f"{why}；请把它改名为 {meant}（{_SHOW_SUFFIXES}文件名的结尾）"


# ---------------------------------------------------------------- one file → Source


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader used only to compose nodes (PyYAML's own parser, for its error marks); scalars
    are typed by gen from their text as written."""


# libyaml composes about 14 times faster; PyYAML's own parser explains errors best, so a file
# libyaml rejects is parsed again by PyYAML for the message.
_FastLoader: type[yaml.SafeLoader] = _LineLoader
if hasattr(yaml, "CSafeLoader"):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[name-defined,misc]
        """libyaml's composer, resolving tags only in a text that can have one (a "!")."""

        def __init__(self, text: str) -> None:
            super().__init__(text)
            self.tagless = "!" not in text

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            """A node's tag; "" in a text without tags, where no tag is read (_Converter.tagged).

            The composer asks once per node, and PyYAML's answer costs half the composing.
            """
            return "" if self.tagless else super().resolve(kind, value, implicit)

    _FastLoader = _CLoader


def parse_file(path: Path, data: bytes | None = None) -> tuple[Source | None, list[Finding]]:
    """Read one YAML file on its own (no defaults): its data, key lines and raw scalar texts.

    `data`: the file's bytes, when the caller has read them already (read_file); the file is
    then not read again, so what is parsed is what the caller saw.
    Whatever goes wrong becomes this file's finding, never an exception: a defect in reading
    one file must not stop the others.
    """
    try:
        return _parse_file(path, data)
    except Exception as exc:  # the boundary of one file
        return None, [Finding.defect(path, exc)]


def _parse_file(path: Path, data: bytes | None) -> tuple[Source | None, list[Finding]]:
    """parse_file, which may raise on a defect."""
    if data is None:
        try:
            data = read_file(path)
        except OSError as exc:
            message = f"无法读取文件（{disk_reason(exc, reading=True)}）"
            return None, [_whole_file(path, 1, "unreadable", message)]
        except Unusable as exc:
            return None, [_whole_file(path, 1, "unreadable", exc.message)]
    text, findings = _decoded(path, data)
    if text is None:
        return None, findings
    source, parsed = parse_text(path, text)
    return source, findings + parsed


class Unusable(Exception):
    """A file that is there but is not a project file to read (a pipe, a device, far too big)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_file(path: Path) -> bytes:
    """The bytes of a regular file; anything else is refused without waiting on it (a FIFO).

    OSError when it cannot be read; Unusable when it is no file to read as a project (a pipe, a
    device, far too big).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with open(os.open(path, flags), "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Unusable(NOT_REGULAR)
        # As much as the file holds: reading MAX_FILE_BYTES at once would cost more than parsing.
        data = file.read(min(info.st_size, MAX_FILE_BYTES) + 1)
        if len(data) > info.st_size:  # it grew since fstat
            data += file.read(MAX_FILE_BYTES + 1 - len(data))
    if len(data) > MAX_FILE_BYTES:
        raise Unusable(
            f"文件太大（超过 {MAX_FILE_BYTES // 1024} KB）；项目文件一般只有几 KB，请确认没有选错文件"
        )
    return data


def _decoded(path: Path, data: bytes) -> tuple[str | None, list[Finding]]:
    """The text of a UTF-8 file (a BOM is a warning); None and why for any other encoding."""
    findings: list[Finding] = []
    wide = _wide_encoding(data)
    if wide:
        hint = "（Windows 记事本里叫“Unicode”）" if wide == "UTF-16" else ""
        message = f"文件是 {wide} 编码{hint}，不是 UTF-8；请在编辑器里用 UTF-8 编码另存这个文件（记事本：另存为 → 编码选“UTF-8”）"
        return None, [_whole_file(path, 1, "encoding", message)]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        message = "文件开头有 BOM 标记（UTF-8 with BOM）；已照常读取，建议另存为不带 BOM 的 UTF-8"
        findings.append(Finding(path, 1, "", "warning", "bom", message))
    try:
        return data.decode("utf-8"), findings
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器里用 UTF-8 编码另存这个文件"
        return None, [*findings, _whole_file(path, line, "encoding", message)]


def _wide_encoding(data: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when the bytes are text in one of them: by the BOM, else by NUL bytes."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    if data.count(b"\x00") * 16 < len(data):
        return None  # UTF-16 text holds a NUL byte in every ASCII character: ": ", digits, lines
    for codec, name in _WIDE_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and (": " in text or ":\n" in text):  # "key: value", "key:\n"
            return name
    return None


def _whole_file(path: Path, line: int, code: str, message: str) -> Finding:
    """An error about the file as a whole."""
    return Finding(path, line, "", "error", code, message)


def parse_text(path: Path, text: str) -> tuple[Source | None, list[Finding]]:
    """Compose a file's text and turn its top-level mapping into a Source (no defaults).

    Anchors and aliases are refused before anything is composed (see _shape_problem).
    """
    breaking = _YAML_ONLY_BREAK.search(text)
    if breaking:  # YAML reads it as a line break, so it must be named before that
        line = text[: breaking.start()].count("\n") + 1
        return None, [_character_finding(path, line, character_name(breaking.group()))]
    try:
        refused = _shape_problem(path, text, _FastLoader) if _needs_scan(text) else None
        if refused is not None:
            return None, [refused]
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return _parse_slowly(path, text)
    return _from_node(path, text, node, loader)


def _needs_scan(text: str) -> bool:
    """Whether the events must be checked before composing (see _shape_problem)."""
    # An anchor or alias may be there; or the composer is PyYAML's, which recurses once per
    # nesting level (libyaml stops at 1000 levels by itself).
    return _FastLoader is _LineLoader or "&" in text or "*" in text


def _parse_slowly(path: Path, text: str) -> tuple[Source | None, list[Finding]]:
    """Compose with PyYAML's own parser, whose errors carry the lines and wording we explain."""
    try:
        refused = _shape_problem(path, text, _LineLoader)
        if refused is not None:
            return None, [refused]
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        return None, [_unreadable_character(path, text, exc)]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_finding(path, text, exc)]
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_finding(path, text, exc)]
    finally:
        loader.dispose()
    return _from_node(path, text, node, loader)


def _unreadable_character(path: Path, text: str, exc: yaml.reader.ReaderError) -> Finding:
    """A character YAML does not allow in a file, named, at its line."""
    line = text[: exc.position].count("\n") + 1
    name = character_name(chr(exc.character)) if isinstance(exc.character, int) else "控制字符"
    return _character_finding(path, line, name)


def _character_finding(path: Path, line: int, name: str) -> Finding:
    """A character that cannot be in a project file, named, at its line."""
    message = (
        f"文件里有不能使用的字符 {name}；请删除它（它在编辑器里可能看不见：可把这一行删掉重新输入）"
    )
    return _whole_file(path, line, "control-character", message)


def _shape_problem(path: Path, text: str, loader_class: type[yaml.SafeLoader]) -> Finding | None:
    """An anchor, an alias or too deep a nesting, found on the parser's events.

    Anchors and aliases are refused, not expanded: FORMAT.md has no use for them (shared values
    go in _defaults.yaml), a value starting with “&” or “*” is meant as text, and refusing them
    leaves no budget to tune against a few hundred bytes that expand to gigabytes.
    """
    loader = loader_class(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return _whole_file(path, line, "yaml-anchor", ANCHOR_MESSAGE)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return _whole_file(path, line, "too-deep", TOO_DEEP_MESSAGE)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()
    return None


ANCHOR_MESSAGE = (
    "以“&”或“*”开头的值会被当作 YAML 锚点或别名，项目文件里不能使用；"
    "如果这是文字，请用引号括起来；几个项目共用的内容请写在 _defaults.yaml 里"
)
TOO_DEEP_MESSAGE = (
    f"嵌套超过 {MAX_DEPTH} 层；项目文件最多只有 4 层（绩效指标 → 一级指标 → 二级指标 → 三级指标），"
    "请检查这里的缩进和括号"
)


def _from_node(
    path: Path, text: str, node: yaml.Node | None, loader: yaml.SafeLoader
) -> tuple[Source | None, list[Finding]]:
    """The composed document as a Source, or why it cannot be one."""
    if node is None:
        return None, [
            _whole_file(path, 1, "empty-file", "文件是空的；请填写项目内容，或删除这个文件")
        ]
    if isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style:
        return None, [_empty_document(path, text)]
    if isinstance(node, yaml.ScalarNode) and not node.style and node.value in _NULLS:
        message = f"文件里只有一个空值“{node.value}”，没有任何内容；请填写项目内容，或删除这个文件"
        return None, [_whole_file(path, node.start_mark.line + 1, "empty-file", message)]
    if not isinstance(node, yaml.MappingNode):
        return None, [_not_mapping(path, text, node)]
    converter = _Converter(path, text, loader)
    data = converter.value(node, (), 1)
    source = Source(path, data, converter.origins, converter.raw, converter.value_lines)
    return source, converter.findings


def _is_number(text: str) -> bool:
    """Whether a plain scalar is read as a number."""
    return isinstance(_typed(text), int | Decimal) and not isinstance(_typed(text), bool)


def _empty_document(path: Path, text: str) -> Finding:
    """A file of a “---” line and nothing else (but comments): as empty as an empty file."""
    lines = text.splitlines()
    line = next((n for n, t in enumerate(lines, 1) if re.match(r"---(\s|$)", t)), 1)
    message = "文件里除了 “---” 没有任何内容；请填写项目内容，或删除这个文件"
    return _whole_file(path, line, "empty-file", message)


def _not_mapping(path: Path, text: str, node: yaml.Node) -> Finding:
    """The top level is a list or a plain text — often a full-width colon on every line."""
    message = "文件最外层应为 “键: 值” 的映射，实际是"
    if isinstance(node, yaml.SequenceNode):
        return _whole_file(path, 1, "not-mapping", message + "一个列表；请去掉行首的“- ”")
    if isinstance(node, yaml.ScalarNode) and not node.style and _is_number(node.value):
        tail = f"一个数字“{one_line(node.value)}”；请按 “项目名称: 社工” 的形式逐行填写（冒号后加空格）"
        return _whole_file(path, node.start_mark.line + 1, "not-mapping", message + tail)
    lines = text.splitlines()
    start = node.start_mark.line
    for number in range(start, len(lines)):
        if fullwidth_key(lines[number]):
            tail = f"一段文字：这一行用了全角冒号“：”；{fullwidth_fix(lines[number])}"
            return _whole_file(path, number + 1, "not-mapping", message + tail)
    tail = "一段文字；请按 “项目名称: 社工” 的形式逐行填写（冒号后加空格）"
    return _whole_file(path, start + 1, "not-mapping", message + tail)


# ---------------------------------------------------------------- nodes → plain data


class _Converter:
    """Turns composed nodes into plain data, recording key lines, raw texts and what is wrong.

    Reported here: duplicate keys, YAML tags, characters a form cannot hold, and nesting deeper
    than MAX_DEPTH (libyaml composes up to 1000 levels; nothing deeper than MAX_DEPTH is converted).
    """

    def __init__(self, path: Path, text: str, loader: yaml.SafeLoader) -> None:
        self.path = path
        self.text = text
        self.loader = loader
        self.tagged = "!" in text  # a tag starts with "!": without one, no node needs checking
        # Such a character is in a value only if it is in the text or written as an escape.
        self.unwritable = "\\" in text or UNWRITABLE.search(text) is not None
        self.origins: dict[KeyPath, Location] = {}
        self.raw: dict[KeyPath, str] = {}
        self.value_lines: dict[KeyPath, Location] = {}
        self.findings: list[Finding] = []
        self.too_deep = False
        self._at: dict[int, Location] = {}  # one Location per line (0-based, as in a mark)

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, for finding an escape in a double-quoted value."""
        return self.text.splitlines()

    def value(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        """The plain value of any node, `depth` levels down."""
        if self.tagged:
            self._check_tag(node, path)
        if isinstance(node, yaml.ScalarNode):
            text = self.raw[path] = node.value
            if self.unwritable:
                self._check_characters(node, path, text)
            if not node.style and path in _GOALS and node.end_mark.line > node.start_mark.line:
                self._joined(path)
            return text if node.style else _typed(text)  # quoted or block: text ("" / None: plain)
        if depth > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self._error(node, (), "too-deep", TOO_DEEP_MESSAGE)
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        return [self._item(item, path, i, depth) for i, item in enumerate(node.value)]

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        """A mapping in file order; a repeated key is reported and the first one kept."""
        result: dict[str, Any] = {}
        at, origins, value_lines = self._at, self.origins, self.value_lines
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, path, "yaml-syntax", "键必须是文字，不能是列表或映射")
                continue
            key = str(key_node.value)
            here = (*path, key)
            if key in result:
                self._duplicate(key_node, here)
                continue
            if self.tagged:
                self._check_tag(key_node, here)
            if self.unwritable:
                self._check_characters(key_node, here, key)
            line = key_node.start_mark.line
            origins[here] = at.get(line) or self._located(line)
            line = value_node.start_mark.line
            value_lines[here] = at.get(line) or self._located(line)
            result[key] = self.value(value_node, here, depth + 1)
        return result

    def _item(self, node: yaml.Node, path: KeyPath, index: int, depth: int) -> Any:
        """One list item, located at its own line under the key path + its index."""
        here = path + (str(index),)
        self.origins[here] = self._location(node)
        return self.value(node, here, depth + 1)

    def _check_tag(self, node: yaml.Node, path: KeyPath) -> None:
        """Report a YAML tag (!!int, !!str, !foo): values are read as written, never by a tag."""
        if isinstance(node, yaml.ScalarNode):
            plain = not node.style
            implicit = self.loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
        else:
            implicit = self.loader.resolve(type(node), None, (True, False))
        if node.tag != implicit:
            tag = node.tag.replace(_TAG, "!!", 1) if node.tag.startswith(_TAG) else node.tag
            message = f"不能使用 YAML 类型标记“{tag}”；请删除它，直接写值（要按文字处理就加引号）"
            self._error(node, path, "yaml-tag", message)

    def _check_characters(self, node: yaml.Node, path: KeyPath, text: str) -> None:
        """Report each character a Word form cannot hold (a control character, a lone surrogate)."""
        for char in dict.fromkeys(UNWRITABLE.findall(text)):
            name = character_name(char)
            line, written = self._escape_of(node, char)
            if written:
                message = f"含有 Word 表格不能保存的字符 {name}，写作“{written}”；请删除双引号里的“{written}”"
            else:
                message = f"含有 Word 表格不能保存的字符 {name}；请删除它（它在编辑器里看不见：可把这个值删掉重新输入）"
            where = Location(self.path, line)
            self.findings.append(
                Finding.at(where, ".".join(path), "error", "control-character", message)
            )

    def _escape_of(self, node: yaml.Node, char: str) -> tuple[int, str | None]:
        """The line of the double-quoted escape that wrote `char`, and the escape; else the node's line."""
        first = node.start_mark.line
        if node.style == '"':
            for number in range(first, min(node.end_mark.line + 1, len(self.lines))):
                for escape in _ESCAPE.finditer(self.lines[number]):
                    if _unescaped(escape[0]) == char:
                        return number + 1, escape[0]
        return first + 1, None

    def _joined(self, path: KeyPath) -> None:
        """Warn that a goal written over several lines without “|” is read as one paragraph."""
        message = (
            "这段文字分成了多行，但冒号后没有写 “|”，换行会被合并，打印出来是一整段；"
            f"要保留换行，请把这一行写成 “{path[-1]}: |”，文字从下一行起缩进两个空格"
        )
        where = self.origins[path]
        self.findings.append(Finding.at(where, ".".join(path), "warning", "joined-lines", message))

    def _duplicate(self, key_node: yaml.Node, path: KeyPath) -> None:
        """Report a key written twice in the same mapping, naming both lines."""
        first, second = self.origins[path].line, key_node.start_mark.line + 1
        message = f"键 “{path[-1]}” 重复：第 {first} 行和第 {second} 行都写了它（YAML 只会保留后一个）；请删除或合并其中一行"
        self._error(key_node, path, "duplicate-key", message)

    def _error(self, node: yaml.Node, path: KeyPath, code: str, message: str) -> None:
        """Record an error at a node's line."""
        self.findings.append(
            Finding.at(self._location(node), ".".join(path), "error", code, message)
        )

    def _location(self, node: yaml.Node) -> Location:
        """The file and 1-based line where a node starts."""
        line = node.start_mark.line
        return self._at.get(line) or self._located(line)

    def _located(self, line: int) -> Location:
        """A new line's Location (`line` 0-based, as in a mark)."""
        where = self._at[line] = Location(self.path, line + 1)
        return where


def _typed(text: str) -> Any:
    """A plain scalar typed from its text as written, never by YAML 1.1's rules (017 is 17).

    None, a bool, an int or an exact Decimal (decimal digits only: 0x1F, 1:30 and 1_000 stay
    text), a date, or the text.
    """
    if text in _NULLS:
        return None
    if text in _BOOLEANS:
        return _BOOLEANS[text]
    if text[0] not in _NUMERIC_START:
        return text  # most values: neither a number nor a date
    if _INT.fullmatch(text) and len(text) <= MAX_INT_CHARS:
        return int(text)
    if _NUMBER.fullmatch(text):
        return Decimal(text)
    return yaml_date(text)  # YAML itself does not take 2026-1-1 as a date


def _unescaped(escape: str) -> str:
    """The character a double-quoted YAML escape stands for ("" for one that writes no character)."""
    if escape[1] in "xuU":
        code = int(escape[2:], 16)
        return chr(code) if code <= 0x10FFFF else ""
    return _ESCAPED.get(escape[1], "")


def yaml_date(text: str) -> date | str:
    """A YAML date such as 2026-1-1; an impossible or timed one stays text for the schema to report."""
    match = YAML_DATE.fullmatch(text)
    if not match:
        return text
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return text


# ---------------------------------------------------------------- _defaults.yaml and merging


class Loader:
    """Loads project files with the _defaults.yaml files above them; parsed defaults are cached.

    The _defaults.yaml files searched are those in the project's folder and its ancestors, up to
    and including `root` when it is given and the file lies below it (gen diff's copy of a
    revision), otherwise up to the filesystem root: a _defaults.yaml applies to every project
    below it, wherever the command is run from.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._defaults: dict[Path, tuple[Source | None, list[Finding]]] = {}
        self._merged: dict[tuple[Path, ...], tuple[Source | None, list[Finding]]] = {}

    def load(self, path: Path, data: bytes | None = None) -> tuple[Source | None, list[Finding]]:
        """The project merged with its defaults, or None when it or a _defaults.yaml is unusable.

        `data`: the project file's bytes, if read already (read_file).
        """
        defaults, findings = self._merged_defaults(tuple(self.defaults_files(path)))
        project, found = parse_file(path, data)
        if project is None or defaults is None:
            return None, [*findings, *found]
        return merge(path, [defaults, project]), [*findings, *found]

    def _merged_defaults(self, files: tuple[Path, ...]) -> tuple[Source | None, list[Finding]]:
        """The _defaults.yaml files merged, farthest first, once per Loader; None if one is unusable.

        The projects of a folder share them, and merging them once gives the same Source as
        merging them with each project (merge() takes the layers in order, whichever way grouped).
        """
        if files not in self._merged:
            layers: list[Source] = []
            findings: list[Finding] = []
            broken = False
            for file in files:
                layer, found = self.parsed_defaults(file)
                findings.extend(found)
                broken = broken or layer is None or any(f.is_error for f in found)
                layers.extend([layer] if layer is not None else [])
            merged = None if broken else merge(files[-1] if files else Path(), layers)
            self._merged[files] = (merged, findings)
        return self._merged[files]

    def defaults_files(self, path: Path) -> list[Path]:
        """The existing _defaults.yaml files that apply to `path`, farthest first."""
        here = path.parent.resolve()
        stop = self._boundary(here)
        folders = [here]
        while folders[-1] != stop and folders[-1].parent != folders[-1]:
            folders.append(folders[-1].parent)
        shown = [_as_given(folder, path) / DEFAULTS_NAME for folder in reversed(folders)]
        return [file for file in shown if file.is_file()]

    def _boundary(self, here: Path) -> Path:
        """The highest folder searched for defaults (see the class docstring)."""
        if self.root is not None:
            top = self.root.resolve()
            top = top.parent if top.is_file() else top
            if top == here or top in here.parents:
                return top
        return Path(here.anchor)

    def parsed_defaults(self, path: Path) -> tuple[Source | None, list[Finding]]:
        """One _defaults.yaml, parsed once per Loader; an empty one sets nothing."""
        key = path.resolve()
        if key not in self._defaults:
            source, findings = parse_file(path)
            if any(f.code == "empty-file" for f in findings):
                source, findings = Source(path, {}), []
            self._defaults[key] = (source, findings)
        return self._defaults[key]


def _as_given(folder: Path, project: Path) -> Path:
    """A folder in the same form as the project path: absolute, or relative to the cwd."""
    return folder if project.is_absolute() else Path(os.path.relpath(folder))


def merge(path: Path, layers: Sequence[Source]) -> Source:
    """Farther layers first: top-level keys replace, 格式 and 其他栏目 merge key by key; origins
    follow the values."""
    data: dict[str, Any] = {}
    owners: dict[KeyPath, Source] = {}  # a top-level key, or an entry of a merged one → its layer
    for layer in layers:
        for key, value in layer.data.items():
            merged = key in MERGED_KEYS and isinstance(value, dict)
            if merged and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
                if key in MERGED_KEYS:
                    owners = {at: owner for at, owner in owners.items() if at[:1] != (key,)}
            owners[(key,)] = layer
            if merged:
                owners.update(((key, option), layer) for option in value)
    merged_source = Source(path, data)
    for table in ("origins", "raw", "value_lines"):
        target = getattr(merged_source, table)
        for layer in layers[:-1]:
            entries = getattr(layer, table).items()
            # A path's owner is that of its merged entry, else that of its top-level key.
            target.update(
                {p: v for p, v in entries if (owners.get(p[:2]) or owners[p[:1]]) is layer}
            )
        target.update(getattr(layers[-1], table) if layers else {})  # the nearest: all of it stands
    return merged_source
