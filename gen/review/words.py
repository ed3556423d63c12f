"""Which parts of a text changed: a diff over words, cleaned up so that a change reads as a whole."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

# A number or a Latin word is one word (360岗 → 380岗 changes "360", not "6"); Chinese has no
# spaces, so every other character is a word of its own.
_WORD = re.compile(r"[0-9A-Za-z]+(?:[.,:/][0-9A-Za-z]+)*[%％]?|\s+|.", re.S)

Opcode = tuple[str, int, int, int, int]  # difflib's (tag, i1, i2, j1, j2)


def words(text: str) -> list[str]:
    """The text cut into words: numbers and Latin words whole, any other character alone."""
    return _WORD.findall(text)


def changed_parts(
    old: Sequence[T], new: Sequence[T], size: Callable[[T], int] = lambda _: 1
) -> list[Opcode]:
    """difflib's opcodes, with short equal stretches between two changes folded into them.

    A character diff of two sentences finds many one-character matches (的, 、, 年) that break
    a rewritten phrase into confetti. As in diff-match-patch's semantic cleanup, a stretch
    between two changes is read as part of them when it is no longer than either; here only
    when it is also short (two characters) or at most half as long as either, so that a
    phrase kept between two edits (…[-的正常-]{+按季度+}支出。…) still shows as kept.
    """
    codes: list[Opcode] = [
        (tag, i1, i2, j1, j2)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
            None, old, new, autojunk=False
        ).get_opcodes()
    ]

    def length(code: Opcode) -> int:
        _, i1, i2, j1, j2 = code
        return max(sum(map(size, old[i1:i2])), sum(map(size, new[j1:j2])))

    folded = True
    while folded:
        folded = False
        for k in range(1, len(codes) - 1):
            before, here, after = codes[k - 1], codes[k], codes[k + 1]
            if here[0] != "equal" or "equal" in (before[0], after[0]):
                continue
            shortest = min(length(before), length(after))
            if length(here) <= shortest and (length(here) <= 2 or 2 * length(here) <= shortest):
                codes[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
                folded = True
                break
    return codes


def marked(old: str, new: str) -> str:
    """The new text with each change shown in place: [-deleted-]{+inserted+}."""
    old_words, new_words = words(old), words(new)
    pieces = []
    for tag, i1, i2, j1, j2 in changed_parts(old_words, new_words, len):
        gone, came = "".join(old_words[i1:i2]), "".join(new_words[j1:j2])
        if tag == "equal":
            pieces.append(came)
            continue
        pieces.append(f"[-{gone}-]" if gone else "")
        pieces.append(f"{{+{came}+}}" if came else "")
    return "".join(pieces)
