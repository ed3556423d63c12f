"""The classes of characters gen treats apart, each built on what XML cannot hold, so they agree.

XML_ILLEGAL ⊂ UNWRITABLE ⊂ UNPRINTABLE, and XML_ILLEGAL ⊂ UNPROVEN_CHARS ⊂ UNPRINTABLE
"""

from __future__ import annotations

import re

# The insides of the character classes, from which the patterns are built.
_XML_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_ACCIDENTAL = "\x7f-\x9f"  # DEL and the C1 controls
_LINE_BREAKS = "\t\n\r\u2028\u2029"  # and tab

# What XML 1.0, so no Office file, can hold: C0 controls but tab and line breaks, lone
# surrogates, U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile(f"[{_XML_ILLEGAL}]")
# What a value in a project file may not hold (`gen check` reports each): what a Word form
# cannot hold, and DEL and the C1 controls, which it can but which only ever arrive by accident.
UNWRITABLE = re.compile(f"[{_XML_ILLEGAL}{_ACCIDENTAL}]")
# What the well-formedness proof does not cover: what XML cannot hold, and the characters
# docxtpl's listing pass rewrites (\t \n; \a and \f are in XML_ILLEGAL already).
UNPROVEN_CHARS = re.compile(f"[{_XML_ILLEGAL}\t\n]")
# What cannot stand in a one-line message: what a project value may not hold, line breaks and tab.
UNPRINTABLE = re.compile(f"[{_XML_ILLEGAL}{_ACCIDENTAL}{_LINE_BREAKS}]")
# Spaces other than the ASCII one, and characters that take no room at all: an input method's
# full-width space, a no-break space or a zero-width space pasted from Word or a web page.
# An editor shows them as a space or as nothing, so a message must name them.
INVISIBLE_CHARS = "\u00a0\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"  # a class's insides
INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
