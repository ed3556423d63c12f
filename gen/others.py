"""其他栏目 at build time: the rows a template prints from it, and a project's entries for them.

`gen check` cannot tell which template a project prints with; `gen build` can, so it warns of a
row the template prints that the project gives nothing for (printed blank), and of an entry the
project gives that its template has no row for (not printed: a label written otherwise, most
likely). What a project gives is kept in the build state, so that an unchanged project is not
read again to say so (gen.state writes and reads it).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gen.errors import Finding, Location, shown
from gen.load import Source
from gen.vocabulary import OTHERS, row_label

# How a template names an entry: 其他栏目['联系电话'] (as gen template writes it) or "联系电话"
_ENTRY = re.compile(OTHERS + r"""\s*\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]""")
_MARKUP = re.compile(r"<[^>]*>")
_PARTS = re.compile(r"word/(?:document|header[0-9]*|footer[0-9]*)\.xml")


@dataclass(frozen=True)
class Given:
    """What a project gives under 其他栏目: its 表样, each label (row_label) with where it is
    written, and the line of the project file's own 其他栏目 key (1 when it has none)."""

    form: str
    entries: dict[str, Location]
    key_line: int = 1

    @classmethod
    def of(cls, source: Source, doc: dict[str, Any]) -> Given:
        """What a validated project gives."""
        written = source.data.get(OTHERS)
        labels = written if isinstance(written, dict) else {}
        entries = {row_label(label): source.locate(OTHERS, label) for label in labels}
        key = source.origins.get((OTHERS,))
        line = key.line if key is not None and key.file == source.path else 1
        return cls(doc["表样"], {label: at for label, at in entries.items() if label}, line)


def printed_entries(template: Path) -> tuple[str, ...]:
    """The 其他栏目 entries a template prints, in order; none when it cannot be read (building
    with it says why)."""
    try:
        with zipfile.ZipFile(template) as package:
            texts = [
                package.read(name).decode("utf-8", "replace")
                for name in package.namelist()
                if _PARTS.fullmatch(name)
            ]
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        return ()
    texts = [xml for xml in texts if _may_name_entries(xml)]
    if not texts:  # most templates: the unescaping below would only cost a build time
        return ()
    import html

    found: dict[str, None] = {}
    for xml in texts:  # a tag in an attribute (a w:sym box), or split over runs by Word
        for text in (html.unescape(xml), html.unescape(_MARKUP.sub("", xml))):
            for match in _ENTRY.finditer(text):
                found.setdefault(_unquoted(match[1] if match[1] is not None else match[2]))
    return tuple(found)


def _may_name_entries(xml: str) -> bool:
    """Whether a part may print a 其他栏目 entry: it holds each character of the name (perhaps
    split over runs), or characters written as references (&#20854;)."""
    return "&#" in xml or all(character in xml for character in OTHERS)


def _unquoted(literal: str) -> str:
    """A Jinja string's text (its backslash escapes undone)."""
    return re.sub(r"\\(.)", r"\1", literal)


def findings(
    project: Path, given: Given, printed: tuple[str, ...], template: Path
) -> list[Finding]:
    """Warnings on the rows `template` prints that the project gives nothing for, and on the
    entries it gives that the template has no row for."""
    where = shown(template)
    found = []
    missing = [label for label in printed if label not in given.entries]
    if missing:
        names = "、".join(missing)
        message = (
            f"模板 {where} 印 {OTHERS} 的 {names}，这个项目和它的 _defaults.yaml 都没有写，"
            f"表上这{'一格' if len(missing) == 1 else '几格'}印成空白；请在 {OTHERS} 下写上，"
            f"如 {missing[0]}: …（确实不填的，写 {missing[0]}: 后面空着）"
        )
        found.append(
            Finding(project, given.key_line, OTHERS, "warning", "other-not-given", message)
        )
    rows = f"模板印的是 {'、'.join(printed)}" if printed else f"这个模板不印 {OTHERS}"
    for label, at in given.entries.items():
        if label not in printed:
            message = (
                f"模板 {where} 没有“{label}”这一栏，这一项不会印出（{rows}）；"
                "如果是栏目名称与表上写的不同，请改成表上的名称"
            )
            found.append(
                Finding.at(at, f"{OTHERS}.{label}", "warning", "other-not-printed", message)
            )
    return found
