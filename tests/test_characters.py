"""The character classes nest as their comments say, checked on every code point."""

import re
import sys

from gen.characters import UNPRINTABLE, UNPROVEN_CHARS, UNWRITABLE, XML_ILLEGAL

EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


def members(pattern: re.Pattern[str]) -> set[str]:
    """The characters a one-character class matches."""
    return set(pattern.findall(EVERY_CHARACTER))


def test_xml_illegal_is_c0_but_tab_and_line_breaks_surrogates_and_two_noncharacters():
    c0 = {chr(code) for code in range(0x20)} - {"\t", "\n", "\r"}
    surrogates = {chr(code) for code in range(0xD800, 0xE000)}
    assert members(XML_ILLEGAL) == c0 | surrogates | {"\ufffe", "\uffff"}


def test_each_class_is_what_xml_cannot_hold_and_the_characters_its_comment_names():
    illegal = members(XML_ILLEGAL)
    unwritable, unproven, unprintable = (
        members(UNWRITABLE),
        members(UNPROVEN_CHARS),
        members(UNPRINTABLE),
    )
    assert illegal < unwritable < unprintable
    assert illegal < unproven < unprintable
    assert unwritable - illegal == {chr(code) for code in range(0x7F, 0xA0)}  # DEL, C1
    assert unproven - illegal == {"\t", "\n"}
    assert unprintable - unwritable == {"\t", "\n", "\r", "\u2028", "\u2029"}
