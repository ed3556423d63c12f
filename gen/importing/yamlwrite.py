"""Project data → clean YAML text: FORMAT.md's look, block scalars, exact amounts, safe quoting."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

INDENT = "  "
# Plain scalars another YAML reader (or a person) would take for a yes/no, and 是/否 likewise.
ALWAYS_QUOTED = frozenset({"是", "否", "对", "错", "y", "Y", "n", "N"})
_LOOSE_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")  # gen's loader reads 2026-1-1 as a date
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]")

# A mapping whose keys may repeat: [(key, value), ...] (two indicators with the same name stay two).
Pairs = list[tuple[str, Any]]


def dump(data: Mapping[str, Any], comment: str | None = None) -> str:
    """The YAML text of a mapping, keys in the given order, with an optional comment line on top."""
    head = [f"# {line}" for line in comment.splitlines()] if comment else []
    return "\n".join([*head, *_mapping(list(data.items()), 0)]) + "\n"


def _mapping(items: Pairs, depth: int) -> Iterator[str]:
    """The lines of a mapping at an indentation depth."""
    pad = INDENT * depth
    for key, value in items:
        name = scalar(str(key))
        if isinstance(value, Mapping):
            value = list(value.items())
        if isinstance(value, list):
            yield f"{pad}{name}:" if value else f"{pad}{name}: {{}}"
            yield from _mapping(value, depth + 1)
        elif isinstance(value, str) and _block_ok(value):
            yield f"{pad}{name}: |"
            yield from (f"{pad}{INDENT}{line}" if line else "" for line in value.split("\n"))
        else:
            yield f"{pad}{name}: {scalar(value)}"


def _block_ok(text: str) -> bool:
    """Whether text is multi-line and reads back unchanged from a literal block (|)."""
    return "\n" in text and not _CONTROL.search(text) and not re.search(r"^[ \t]", text, re.M)


def scalar(value: Any) -> str:
    """One scalar as YAML: numbers exactly as written, dates ISO, text quoted only when needed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _CONTROL.search(text) or "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return text if plain_is_safe(text) else "'" + text.replace("'", "''") + "'"


def plain_is_safe(text: str) -> bool:
    """Whether text written unquoted reads back as exactly that text (not a number, date, bool…)."""
    if not text or text != text.strip() or text in ALWAYS_QUOTED or text.startswith("="):
        return False
    if _LOOSE_DATE.fullmatch(text):
        return False
    try:
        loaded = yaml.safe_load(f"{text}: {text}\n")
    except (yaml.YAMLError, ValueError):  # ValueError: an integer too long for Python to convert
        return False
    return loaded == {text: text}
