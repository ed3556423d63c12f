"""What a YAML syntax error in a project file means, in Chinese: the line to blame, and how to
fix it (a full-width colon, a tab, a space YAML does not take, git's conflict markers…)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from gen.characters import INVISIBLE, INVISIBLE_CHARS
from gen.errors import Finding

FULLWIDTH_HINT = "请把全角冒号“：”改为半角冒号“:”并在其后加空格"
TAB_HINT = "YAML 缩进不能用制表符，请改用空格"
_CHARACTER_NAMES = {
    0x00: "空字符",
    0x07: "响铃符",
    0x08: "退格符",
    0x0B: "垂直制表符",
    0x0C: "换页符",
    0x1B: "转义符",
    0x7F: "删除符",
    0x85: "下一行符",
    0x2028: "行分隔符",
    0x2029: "段分隔符",
    0xFFFE: "非字符",
    0xFFFF: "非字符",
    0x00A0: "不换行空格",
    0x200B: "零宽空格",
    0x202F: "窄不换行空格",
    0x2060: "零宽连接符",
    0x3000: "全角空格",
    0xFEFF: "零宽不换行空格，也作 BOM",
    **dict.fromkeys(range(0x2000, 0x200B), "排版用的空格"),
}
LOOKS_LIKE_SPACE = "它在编辑器里像一个空格，或者看不见"  # what a message says of an INVISIBLE one
# The lines git writes around the two sides of a conflict it could not merge by itself
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|={7}|>{7})(?: |$)")


_QUOTE_IT = "如果这是文字，请用引号把整个值括起来"
_DIRECTIVE = f"以“%”开头的行是 YAML 指令，项目文件里用不到；请删除这一行（{_QUOTE_IT}）"
_EXPLANATIONS = (  # (text in PyYAML's problem or context, Chinese explanation and fix), first wins
    ("directive", _DIRECTIVE),  # %TAG …, %YAML 1.1 1.2: a line starting with "%"
    ("YAML document", _DIRECTIVE),  # incompatible YAML document: %YAML 2.0
    ("tag", f"以“!”开头的是 YAML 类型标记，项目文件里不能使用；请删除它，直接写值（{_QUOTE_IT}）"),
    ("escape", "双引号里的 \\ 是转义符；请改用单引号，或把 \\ 写成 \\\\"),
    ("quoted scalar", "引号没有闭合；请补上另一半引号"),
    ("single document", "一个文件只能有一个 YAML 文档；请删除多余的 “---” 行"),
    (
        "document",  # "..." ends a document; what follows it cannot start another
        "“...” 和 “---” 是 YAML 文档的起止标记，项目文件里用不到；请删除这一行",
    ),
    (
        "block scalar",  # a: |x
        "“|” 或 “>” 后面不能接文字；多行文字请写成 “键: |”，文字从下一行起缩进两个空格",
    ),
    ("could not find expected ':'", "这一行缺少半角冒号“:”；请写成 “键: 值”（冒号后加空格）"),
    (
        "mapping values are not allowed",
        "这里不能出现 “键: 值”；请检查这一行和上一行：是否缺少冒号、冒号后是否缺少空格、缩进是否对齐",
    ),
    ("block end", "缩进没有对齐；同一层的键必须左对齐，下一层比上一层多缩进两个空格"),
    ("expected key", "缩进没有对齐；同一层的键必须左对齐，下一层比上一层多缩进两个空格"),
    ("alias", f"以“*”或“&”开头的值会被当作 YAML 别名；{_QUOTE_IT}"),
    ("anchor", f"以“*”或“&”开头的值会被当作 YAML 别名；{_QUOTE_IT}"),
    ("flow", "方括号或花括号没有配对；如果这是文字，请用引号括起来"),
    ("unclosed", "方括号或花括号没有配对；如果这是文字，请用引号括起来"),
    ("cannot start any token", "这个字符不能作为值的开头；请用引号把整个值括起来"),
    ("node content", f"值不能以 ]、}}、, 这样的符号开头；{_QUOTE_IT}"),
    ("sequence entries", f"“- ” 会被当作列表的开头，这里不能用；{_QUOTE_IT}，否则请检查缩进"),
    ("mapping keys", f"“? ” 会被当作 YAML 的复杂键，这里不能用；{_QUOTE_IT}，否则请删除“?”"),
)
_SYNTAX_FALLBACK = f"这一行无法按 “键: 值” 读取；请检查这一行的冒号、缩进和引号（{_QUOTE_IT}）"


_AT_CONTEXT = (
    "quoted scalar",
    "could not find expected ':'",
    "flow",
)  # noticed a line (or more) late


def syntax_finding(path: Path, text: str, exc: yaml.MarkedYAMLError) -> Finding:
    """A YAML syntax error at its line, in Chinese, with a hint for a full-width colon or a tab,
    a character that cannot be seen, or git's conflict markers."""
    lines = text.splitlines()
    conflict = next((n for n, line in enumerate(lines, 1) if _CONFLICT_MARKER.match(line)), None)
    if conflict is not None:
        return _finding(path, conflict, "merge-conflict", _CONFLICT_MESSAGE)
    problem = _mark_line(exc.problem_mark) or _mark_line(exc.context_mark) or 1
    context = _mark_line(exc.context_mark)
    if "\\t" in (exc.problem or "") or "\t" in _line(lines, problem):
        return _finding(
            path, problem, "yaml-syntax", f"YAML 语法错误：这一行有制表符（Tab）；{TAB_HINT}"
        )
    fullwidth = _fullwidth_line(lines, problem, context)
    if fullwidth:
        message = f"YAML 语法错误：这一行用了全角冒号“：”；{fullwidth_fix(lines[fullwidth - 1])}"
        return _finding(path, fullwidth, "yaml-syntax", message)
    invisible = _invisible_near(lines, problem, context)
    if invisible is not None:
        line, char = invisible
        message = (
            f"YAML 语法错误：这一行有 YAML 不认作空格的字符 {character_name(char)}，"
            f"{LOOKS_LIKE_SPACE}；请删掉它，缩进和冒号后面只用半角空格"
            "（输入法切到英文状态再打空格）"
        )
        return _finding(path, line, "yaml-syntax", message)
    said = f"{exc.context or ''} {exc.problem or ''}"
    needle, explanation = next(
        ((needle, e) for needle, e in _EXPLANATIONS if needle in said), ("", _SYNTAX_FALLBACK)
    )
    if needle in _AT_CONTEXT and context:
        problem = context
    elif needle == "document":
        problem = _document_marker(lines, problem)
    return _finding(path, problem, "yaml-syntax", f"YAML 语法错误：{explanation}")


_CONFLICT_MESSAGE = (
    "这里是 git 合并冲突留下的标记：两个版本对同一处的改动还没有合并。"
    "“<<<<<<<”到“=======”之间是您这边的版本，“=======”到“>>>>>>>”之间是合并进来的版本；"
    "请保留要的那一段，删掉另一段和这三行标记，再保存"
)


def _invisible_near(lines: list[str], problem: int, context: int | None) -> tuple[int, str] | None:
    """The line near a syntax error whose indentation, or the space after whose colon, is a
    character YAML does not take as a space, and that character; None if there is none, or if
    the file is no better with ASCII spaces there (a full-width space inside a text is fine).

    An indentation of full-width spaces reads as text, so PyYAML stops a line later.
    """
    for number in dict.fromkeys(
        [*([context] if context else []), problem, problem - 1, problem - 2]
    ):
        line = _line(lines, number)
        spaced = _STRUCTURAL_INVISIBLE.sub(lambda m: " " * len(m[0]), line)
        if spaced != line and _parses_past(lines, number, spaced, problem):
            return number, INVISIBLE.search(line)[0]  # type: ignore[index]
    return None


# Where YAML needs a space: the indentation, and after a key's colon
_STRUCTURAL_INVISIBLE = re.compile(
    f"^[ {INVISIBLE_CHARS}]*[{INVISIBLE_CHARS}][ {INVISIBLE_CHARS}]*|(?<=:)[{INVISIBLE_CHARS}]+"
)


def _parses_past(lines: list[str], number: int, spaced: str, problem: int) -> bool:
    """Whether the file with line `number` replaced by `spaced` parses, or fails only later."""
    text = "\n".join([*lines[: number - 1], spaced, *lines[number:]])
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return (_mark_line(exc.problem_mark) or 0) > problem
    except yaml.YAMLError:
        return False
    return True


def _document_marker(lines: list[str], problem: int) -> int:
    """The "..." or "---" line at or before a syntax error (the error's line when there is none)."""
    for number in range(problem, 0, -1):
        if _line(lines, number).startswith(("...", "---")):
            return number
    return problem


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


def _finding(path: Path, line: int, code: str, message: str) -> Finding:
    """An error about the file as a whole, at a line."""
    return Finding(path, line, "", "error", code, message)


def character_name(char: str) -> str:
    """A character that cannot be seen, named for a message: “U+000B（垂直制表符）”."""
    code = ord(char)
    name = _CHARACTER_NAMES.get(code)
    if name is None:
        name = "单独的代理码位，不是完整的字符" if 0xD800 <= code <= 0xDFFF else "控制字符"
    return f"U+{code:04X}（{name}）"
