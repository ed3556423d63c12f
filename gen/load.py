"""Files → plain data: parse YAML keeping the source line of every node, merge _defaults.yaml."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gen.errors import Finding, Location, UsageError, shown
from gen.files import walk
from gen.output import disk_reason

KeyPath = tuple[str, ...]

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULTS_NAME = "_defaults.yaml"
FORMAT_KEY = "格式"  # the one top-level key that merges key by key
FULLWIDTH_HINT = "请把全角冒号“：”改为半角冒号“:”并在其后加空格"
TAB_HINT = "YAML 缩进不能用制表符，请改用空格"

_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TAG = "tag:yaml.org,2002:"


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


def find_project_files(paths: Sequence[Path]) -> list[Path]:
    """The project files named or found below the given paths, sorted, in the form the user gave."""
    found: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise UsageError(f"找不到 {shown(path)}；请检查路径是否写对")
        found.update(_walk(path) if path.is_dir() else [_named_file(path)])
    return sorted(found, key=lambda p: p.as_posix())


def _named_file(path: Path) -> Path:
    """A file named on the command line, if it can be a project."""
    if path.suffix.lower() not in YAML_SUFFIXES:
        raise UsageError(f"{shown(path)} 不是项目文件；项目文件必须以 .yaml 或 .yml 结尾")
    if path.name.startswith("_"):
        raise UsageError(f"{shown(path)} 以“_”开头，是共用设置而不是项目；请指定项目文件或文件夹")
    return path


def _walk(folder: Path) -> Iterator[Path]:
    """Project files below a folder; names starting with '_' or '.' are skipped (files and folders)."""
    return walk(folder, is_project_file, skip=("_", "."))


def is_project_file(path: Path) -> bool:
    """A YAML file that is a project: not hidden, not a shared _…yaml file."""
    return path.suffix.lower() in YAML_SUFFIXES and not path.name.startswith(("_", "."))


# ---------------------------------------------------------------- one file → Source


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader used only to compose nodes and to build int/bool scalars the YAML 1.1 way."""


# libyaml composes about 14 times faster; PyYAML's own parser explains errors best, so a file
# libyaml rejects is parsed again by PyYAML for the message.
_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", _LineLoader)


def parse_file(path: Path) -> tuple[Source | None, list[Finding]]:
    """Read one YAML file on its own (no defaults): its data, key lines and raw scalar texts."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = disk_reason(exc, reading=True)
        return None, [_whole_file(path, 1, "unreadable", f"无法读取文件（{reason}）")]
    findings: list[Finding] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        message = "文件开头有 BOM 标记（UTF-8 with BOM）；已照常读取，建议另存为不带 BOM 的 UTF-8"
        findings.append(Finding(path, 1, "", "warning", "bom", message))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器里用 UTF-8 编码另存这个文件"
        return None, [*findings, _whole_file(path, line, "encoding", message)]
    source, parsed = parse_text(path, text)
    return source, findings + parsed


def _whole_file(path: Path, line: int, code: str, message: str) -> Finding:
    """An error about the file as a whole."""
    return Finding(path, line, "", "error", code, message)


def parse_text(path: Path, text: str) -> tuple[Source | None, list[Finding]]:
    """Compose a file's text and turn its top-level mapping into a Source (no defaults)."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        return _parse_slowly(path, text)
    finally:
        loader.dispose()
    return _from_node(path, text, node, loader)


def _parse_slowly(path: Path, text: str) -> tuple[Source | None, list[Finding]]:
    """Compose with PyYAML's own parser, whose errors carry the lines and wording we explain."""
    try:
        loader = _LineLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        message = f"文件里有不允许的控制字符（#x{exc.character:04x}）；请删除它"
        return None, [_whole_file(path, line, "yaml-syntax", message)]
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_finding(path, text, exc)]
    finally:
        loader.dispose()
    return _from_node(path, text, node, loader)


def _from_node(
    path: Path, text: str, node: yaml.Node | None, loader: yaml.SafeLoader
) -> tuple[Source | None, list[Finding]]:
    """The composed document as a Source, or why it cannot be one."""
    if node is None:
        return None, [
            _whole_file(path, 1, "empty-file", "文件是空的；请填写项目内容，或删除这个文件")
        ]
    if not isinstance(node, yaml.MappingNode):
        return None, [_not_mapping(path, text, node)]
    converter = _Converter(path, loader)
    data = converter.mapping(node, ())
    source = Source(path, data, converter.origins, converter.raw, converter.value_lines)
    return source, converter.findings


def _not_mapping(path: Path, text: str, node: yaml.Node) -> Finding:
    """The top level is a list or a plain text — often a full-width colon on every line."""
    message = "文件最外层应为 “键: 值” 的映射，实际是"
    if isinstance(node, yaml.SequenceNode):
        return _whole_file(path, 1, "not-mapping", message + "一个列表；请去掉行首的“- ”")
    lines = text.splitlines()
    start = node.start_mark.line
    for number in range(start, len(lines)):
        if fullwidth_key(lines[number]):
            tail = f"一段文字：这一行用了全角冒号“：”；{fullwidth_fix(lines[number])}"
            return _whole_file(path, number + 1, "not-mapping", message + tail)
    tail = "一段文字；请按 “项目名称: 社工” 的形式逐行填写（冒号后加空格）"
    return _whole_file(path, start + 1, "not-mapping", message + tail)


# ---------------------------------------------------------------- syntax errors

_EXPLANATIONS = (  # (text in PyYAML's problem or context, Chinese explanation and fix)
    ("quoted scalar", "引号没有闭合；请补上另一半引号"),
    ("single document", "一个文件只能有一个 YAML 文档；请删除多余的 “---” 行"),
    ("could not find expected ':'", "这一行缺少半角冒号“:”；请写成 “键: 值”（冒号后加空格）"),
    (
        "mapping values are not allowed",
        "这里不能出现 “键: 值”；请检查这一行和上一行：是否缺少冒号、冒号后是否缺少空格、缩进是否对齐",
    ),
    ("block end", "缩进没有对齐；同一层的键必须左对齐，下一层比上一层多缩进两个空格"),
    ("expected key", "缩进没有对齐；同一层的键必须左对齐，下一层比上一层多缩进两个空格"),
    ("alias", "以“*”或“&”开头的值会被当作 YAML 别名；如果这是文字，请用引号括起来"),
    ("anchor", "以“*”或“&”开头的值会被当作 YAML 别名；如果这是文字，请用引号括起来"),
    ("escape", "双引号里的反斜杠“\\”要写成“\\\\”，或改用单引号"),
    ("flow", "方括号或花括号没有配对；如果这是文字，请用引号括起来"),
    ("cannot start any token", "这个字符不能作为值的开头；请用引号把整个值括起来"),
)


_AT_CONTEXT = (
    "quoted scalar",
    "could not find expected ':'",
    "flow",
)  # noticed a line (or more) late


def _syntax_finding(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Finding:
    """A YAML syntax error at its line, in Chinese, with a hint for a full-width colon or a tab."""
    lines = text.splitlines()
    problem = _mark_line(exc.problem_mark) or _mark_line(exc.context_mark) or 1
    context = _mark_line(exc.context_mark)
    if "\\t" in (exc.problem or "") or "\t" in _line(lines, problem):
        return _whole_file(
            path, problem, "yaml-syntax", f"YAML 语法错误：这一行有制表符（Tab）；{TAB_HINT}"
        )
    fullwidth = _fullwidth_line(lines, problem, context)
    if fullwidth:
        message = f"YAML 语法错误：这一行用了全角冒号“：”；{fullwidth_fix(lines[fullwidth - 1])}"
        return _whole_file(path, fullwidth, "yaml-syntax", message)
    said = f"{exc.context or ''} {exc.problem or ''}"
    for needle, explanation in _EXPLANATIONS:
        if needle in said:
            line = context if needle in _AT_CONTEXT and context else problem
            return _whole_file(path, line, "yaml-syntax", f"YAML 语法错误：{explanation}")
    message = f"YAML 语法错误：无法解析（{exc.problem}）；请检查这一行的冒号、缩进和引号"
    return _whole_file(path, problem, "yaml-syntax", message)


def _mark_line(mark: yaml.Mark | None) -> int | None:
    """The 1-based line of a PyYAML mark."""
    return mark.line + 1 if mark is not None else None


def _line(lines: list[str], number: int) -> str:
    """Line `number` (1-based), or "" past the end."""
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _fullwidth_line(lines: list[str], problem: int, context: int | None) -> int | None:
    """The line near a syntax error whose key ends in a full-width colon, if any."""
    # A "key：value" line becomes (part of) a plain scalar, so PyYAML often stops a line or two later.
    candidates = [problem, *([context] if context else []), problem - 1, problem - 2, problem - 3]
    return next((n for n in candidates if fullwidth_key(_line(lines, n))), None)


def fullwidth_fix(line: str) -> str:
    """The full-width colon hint, showing the line as it should be written."""
    fixed = line.strip().replace("：", ": ", 1).replace(":  ", ": ").rstrip()
    return f"{FULLWIDTH_HINT}（{fixed}）"


def fullwidth_key(line: str) -> bool:
    """Whether a line reads like "key：value" — a full-width colon before any half-width one."""
    text = line.strip().removeprefix("- ")
    head, colon, _ = text.partition("：")
    return (
        bool(colon and head.strip()) and not text.startswith("#") and not set(head) & set(":\"'#")
    )


# ---------------------------------------------------------------- nodes → plain data


class _Converter:
    """Turns composed nodes into plain data, recording key lines, raw texts and duplicate keys."""

    def __init__(self, path: Path, loader: _LineLoader) -> None:
        self.path = path
        self.loader = loader
        self.origins: dict[KeyPath, Location] = {}
        self.raw: dict[KeyPath, str] = {}
        self.value_lines: dict[KeyPath, Location] = {}
        self.findings: list[Finding] = []
        self.active: set[int] = set()  # nodes being converted: guards against recursive aliases

    def value(self, node: yaml.Node, path: KeyPath) -> Any:
        """The plain value of any node."""
        if id(node) in self.active:
            self._error(node, path, "yaml-syntax", "别名引用了它自己；请删除这个“*”别名")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self._item(item, path, i) for i, item in enumerate(node.value)]
            self.raw[path] = node.value
            return self.scalar(node)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        """A mapping in file order; a repeated key is reported and the first one kept."""
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, path, "yaml-syntax", "键必须是文字，不能是列表或映射")
                continue
            key, here = str(key_node.value), path + (str(key_node.value),)
            if key in result:
                self._duplicate(key_node, here)
                continue
            self.origins[here] = self._location(key_node)
            self.value_lines[here] = self._location(value_node)
            result[key] = self.value(value_node, here)
        return result

    def _item(self, node: yaml.Node, path: KeyPath, index: int) -> Any:
        """One list item, located at its own line under the key path + its index."""
        here = path + (str(index),)
        self.origins[here] = self._location(node)
        return self.value(node, here)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar typed as YAML resolved it: amounts keep their written digits as Decimal."""
        tag = node.tag.removeprefix(_TAG)
        if tag in ("int", "bool", "null"):
            return self.loader.construct_object(node)
        if tag == "float":
            return _decimal(node.value)
        if tag == "timestamp" or (
            tag == "str" and not node.style
        ):  # plain: None, or "" from libyaml
            return _date(node.value)  # YAML itself does not take 2026-1-1 as a date
        return node.value

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
        return Location(self.path, node.start_mark.line + 1)


def _decimal(text: str) -> Decimal | str:
    """A YAML float as the exact decimal written ("87.90" keeps its zero); .inf/.nan stay text."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text
    return number if number.is_finite() else text


def _date(text: str) -> date | str:
    """A YAML date such as 2026-1-1; an impossible or timed one stays text for the schema to report."""
    match = _DATE.fullmatch(text)
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
    and including a boundary folder: `root` when given and the file lies below it, otherwise the
    current working directory when the file lies below it, otherwise the filesystem root.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._defaults: dict[Path, tuple[Source | None, list[Finding]]] = {}

    def load(self, path: Path) -> tuple[Source | None, list[Finding]]:
        """The project merged with its defaults, or None when it or a _defaults.yaml is unusable."""
        layers: list[Source] = []
        findings: list[Finding] = []
        broken = False
        for defaults_path in self.defaults_files(path):
            layer, found = self._parsed_defaults(defaults_path)
            findings.extend(found)
            broken = broken or layer is None or any(f.is_error for f in found)
            layers.extend([layer] if layer is not None else [])
        project, found = parse_file(path)
        findings.extend(found)
        if project is None or broken:
            return None, findings
        return merge(path, [*layers, project]), findings

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
        for candidate in (self.root, Path.cwd()):
            if candidate is None:
                continue
            top = candidate.resolve()
            top = top.parent if top.is_file() else top
            if top == here or top in here.parents:
                return top
        return Path(here.anchor)

    def _parsed_defaults(self, path: Path) -> tuple[Source | None, list[Finding]]:
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
    """Farther layers first: top-level keys replace, 格式 merges key by key; origins follow the values."""
    merged = Source(path, {})
    for layer in layers:
        for key, value in layer.data.items():
            if (
                key == FORMAT_KEY
                and isinstance(value, dict)
                and isinstance(merged.data.get(key), dict)
            ):
                _merge_format(merged, layer, key)
            else:
                _replace(merged, layer, (key,))
                merged.data[key] = value
    return merged


def _merge_format(merged: Source, layer: Source, key: str) -> None:
    """格式 options set by a nearer layer replace those of a farther one, one by one."""
    merged.data[key] = {**merged.data[key], **layer.data[key]}
    for option in layer.data[key]:
        _replace(merged, layer, (key, option))
    for table in ("origins", "value_lines"):
        getattr(merged, table)[(key,)] = getattr(layer, table)[(key,)]


def _replace(merged: Source, layer: Source, prefix: KeyPath) -> None:
    """Make the locations and raw texts under `prefix` those of `layer`."""
    for table in ("origins", "raw", "value_lines"):
        target, source = getattr(merged, table), getattr(layer, table)
        for path in [p for p in target if p[: len(prefix)] == prefix]:
            del target[path]
        target.update((p, v) for p, v in source.items() if p[: len(prefix)] == prefix)
