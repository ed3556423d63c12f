"""How much room text takes in a cell of the 汇总表: column widths, wrapped lines, row heights.

Widths are in Excel's unit, the widest digit of the workbook's Normal font. Excel, WPS and
LibreOffice all convert a column's width from that digit, so the Normal font decides how wide a
column is against the 宋体 text in it. openpyxl's Normal font, Calibri, is missing on most
Linux systems; LibreOffice measures its stand-in DejaVu Sans there, whose digits are a third
wider, so every column came out a third wider than in Excel and the text took fewer lines than
the fixed row heights had been counted for (a header counted at four lines held two). The
Normal font is Arial: every Windows has it, and LibreOffice elsewhere measures its metric twin
Liberation Sans (fonts-liberation). Its digits are 0.556 em, 6.1 pt at 11 pt, which Excel and
WPS round to 8 px (6 pt) on a 96-dpi screen.

A Chinese character is one em wide: 11 pt, which Excel draws 15 px wide at 96 dpi, 15/8 =
1.875 digits (LibreOffice: 11 / 6.1 = 1.8). 宋体 has no bold face, and the emboldened glyphs
are a pixel wider: 16 px, 2 digits. A letter, digit or stop of 宋体 is half an em, 8 px, one
digit (bold 9 px); where 宋体 is missing LibreOffice draws them in DejaVu Sans, whose digits
are 0.64 em (bold 0.7 em): 1.15 digits (1.25), and its stops, commas and hyphens a third of an
em. Quotation marks and other characters of ambiguous width are full width in 宋体 and count
as Chinese. Each cell keeps 5 px (0.625 digit) for its margins and grid
line, and a pixel more against rounding. So a line is counted no shorter than in any of these
layouts, and a wrapped cell never needs more lines than counted; LibreOffice fits at least as
much on a line as Excel, in bold often more, so that a row may print with room to spare there.

Amounts, dates and counts are set in Arial, not 宋体: its digits are the unit itself in Excel,
WPS and LibreOffice alike (0.556 em, bold too), its commas and stops 0.278 em (4.2 px, counted
0.55 digit), its hyphen 0.333 em (5 px), so a column of figures is as narrow as they are
wherever it opens, instead of a quarter wider for DejaVu Sans; financial tables commonly print
figures in a Latin face. A figure never wraps, and a column too narrow for it shows ####.

A line of 11 pt 宋体 is one em tall, and Excel sets wrapped lines of it 13.5 pt apart; where
宋体 is missing LibreOffice draws Chinese in Noto Sans CJK (思源黑体), whose lines are 1.45 em:
16 pt. A row is 16 pt a line and 2 pt for its borders.
"""

from __future__ import annotations

import math
from functools import partial

from openpyxl.styles import Font

from gen.linebreak import is_wide, wrap

# The fonts of the 汇总表, in one place; the widths below are measured for these
TEXT_FONT = "宋体"  # as on the forms; Excel's and WPS's default Latin fonts lack Chinese
FIGURE_FONT = "Arial"  # amounts, dates and counts
FONT_SIZE = 11  # points, of every cell
TITLE_SIZE = 16  # points, of the title line
NORMAL_FONT = Font(name=FIGURE_FONT, size=FONT_SIZE, family=2)  # the unit of column widths
WIDE = 1.875  # digits: a Chinese character, 15 px against Arial's 8 px digit
WIDE_BOLD = 2.0  # 16 px: emboldened 宋体
NARROW = 1.15  # a letter or digit in DejaVu Sans, LibreOffice's stand-in for 宋体's
NARROW_BOLD = 1.25
THIN = 1.0  # a stop, comma, hyphen or space: 宋体's half em (8 px) is wider than DejaVu Sans's
THIN_BOLD = 1.125
_THIN_CHARACTERS = frozenset(" .,:;'-/()[]!|")
# Arial, regular and bold alike, against its own digit
_FIGURE_WIDTHS = {",": 0.55, ".": 0.55, " ": 0.55, "-": 0.625}
CELL_MARGIN = 0.75  # digits a cell keeps beside its text: 5 px of margins and grid line, and 1
LINE_HEIGHT = 16  # points a line of 11 pt text takes in the tallest stand-in font
ROW_MARGIN = 2  # points a row needs above and below its lines
_EPSILON = 1e-9


def char_width(char: str, bold: bool = False, figures: bool = False) -> float:
    """The width of a character, in digits of the Normal font: the widest of the layouts.

    `figures`: in FIGURE_FONT, as amounts, dates and counts are.
    """
    if figures and (char.isdigit() or char in _FIGURE_WIDTHS):
        return _FIGURE_WIDTHS.get(char, 1.0)
    if is_wide(char):
        return WIDE_BOLD if bold else WIDE
    if char in _THIN_CHARACTERS:
        return THIN_BOLD if bold else THIN
    return NARROW_BOLD if bold else NARROW


def text_width(text: str, bold: bool = False, figures: bool = False) -> float:
    """The width of one line of `text`, in digits of the Normal font."""
    return sum(char_width(char, bold, figures) for char in text)


def fitting_width(text: str, bold: bool = False, figures: bool = False) -> int:
    """The whole number of digits a column needs to show every line of `text` unwrapped."""
    widest = max(text_width(line, bold, figures) for line in text.split("\n"))
    return math.ceil(widest + CELL_MARGIN - _EPSILON)


def wrapped(text: str, width: float, bold: bool = False) -> list[str]:
    """The lines `text` takes in a wrapping cell `width` digits wide."""
    measure = partial(text_width, bold=bold)
    return [part for line in text.split("\n") for part in wrap(line, width - CELL_MARGIN, measure)]


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines `text` takes in a wrapping cell `width` digits wide."""
    return len(wrapped(text, width, bold))


def characters_width(count: int) -> int:
    """The width of a column that holds `count` Chinese characters a line."""
    return fitting_width("中" * count)


def row_height(lines: int) -> float:
    """The height in points of a row whose tallest cell holds `lines` lines."""
    return LINE_HEIGHT * lines + ROW_MARGIN


def lines_within(height: float) -> int:
    """How many lines a row at most `height` points high holds (one at least)."""
    return max(1, math.floor((height - ROW_MARGIN) / LINE_HEIGHT + _EPSILON))
