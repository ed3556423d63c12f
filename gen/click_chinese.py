"""click's own words in Chinese: the catalog, and the click classes every gen command is built from.

click wraps each message it prints in `gettext` (`from gettext import gettext as _` in its
modules), so a translation reaches it through the process-wide gettext domain. That would
translate every other library too, and pick the language from LANG, which a Windows PC does not
set. Instead `speak_chinese()` points the `_` and `ngettext` of click's own modules at this
catalog: only click is translated, always into Chinese, and click itself is not changed.
tests/test_click_chinese.py reads click's source and fails on any message the catalog lacks.

A few marks of a usage error are written by click outside any message: the ASCII quotes around
an option's name ('--to') and a list of choices or commands, and the full stop after a missing
option. `Command` and `Choice` put those in gen's punctuation, where click builds them.
"""

from __future__ import annotations

import gettext as _gettext
import re
import sys
from collections.abc import Iterable
from typing import Any

import click

from gen.console import cells, wrap

# msgid → Chinese, for every `_()` message of click 8.1 to 8.5. A translation uses only the
# placeholders click fills (tests check it), and may leave one out (“integer range” is not for a
# clerk); `{name!r}` may become `“{name}”`, which shows a Windows path as typed.
MESSAGES = {
    # help
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示这个帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "required": "必填",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "(Deprecated) {text}": "（已停用）{text}",
    "{text} {deprecated_message}": "{text} {deprecated_message}",
    "Confirm the action without prompting.": "直接确认，不再询问。",
    "Do you want to continue?": "要继续吗？",
    "Choice({choices})": "可选值({choices})",
    # usage errors
    "Error: {message}": "错误：{message}",
    "Error: {e.message}": "错误：{e.message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "No such command {name!r}.": "没有这个命令“{name}”。",
    "No such option {name!r}.": "没有这个选项“{name}”。",
    "No such option: {name}": "没有这个选项“{name}”",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少必填的选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value: {message}": "值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint}的值无效：{message}",
    "Option {name!r} does not take a value.": "选项“{name}”后面不能跟值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Value must be an iterable.": "值必须是一组值。",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "{value} is not in the range {range}.": "{value} 超出范围：应{range}。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是数字。",
    "{value!r} is not a valid boolean.": "“{value}”不是有效的是/否值。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "“{value}”不是有效的是/否值；可用的值：{states}"
    ),
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    # {name} is left out: click names a path's kind ("File") when gen's options are made,
    # before the catalog is in place, so it would stay English
    "{name} {filename!r} does not exist.": "“{filename}”不存在。",
    "{name} {filename!r} is a file.": "“{filename}”是一个文件，这里要的是文件夹。",
    "{name} {filename!r} is a directory.": "“{filename}”是一个文件夹，这里要的是文件。",
    "{name} {filename!r} is not readable.": "“{filename}”无法读取。",
    "{name} {filename!r} is not writable.": "“{filename}”无法写入。",
    "{name} {filename!r} is not executable.": "“{filename}”无法运行。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    "Aborted!": "已中止。",
    # prompts, terminal
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: The value you entered was invalid.": "错误：输入的值无效。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续…",
    "Unknown color {colour!r}": "未知的颜色“{colour}”",
    "d": "天",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "Windows error: {error}": "Windows 错误：{error}",
    "Unknown standard stream '{name}'": "未知的标准流“{name}”",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Bash 4.4 以前的版本不支持命令行补全。"
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "无法判断 Bash 的版本，不支持命令行补全。"
    ),
    # mistakes in a program's own definitions, shown to its developers
    "DeprecationWarning: The command {name!r} is deprecated.": "提示：命令“{name}”已停用。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "提示：命令“{name}”已停用。{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "提示：{param_type}“{name}”已停用。{extra_message}"
    ),
    "Name '{name}' defined twice": "名称“{name}”定义了两次",
    "Could not determine name for option with declarations {decls!r}": (
        "无法确定选项 {decls!r} 的名称"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument"
    " instead? Did you mean to pass '--{name}'?": (
        "没有定义选项，却给了名称（{name}）；要定义的是参数吗？还是想写“--{name}”？"
    ),
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "参数只能有一个名称，实际有 {length} 个：{decls}。"
    ),
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "是/否选项 {decl!r} 的“是”和“否”不能用同一个写法。"
    ),
}

# (singular, plural) msgid → (Chinese for one, Chinese for several): the two keep the English
# placeholders of their own form, so each is formatted as click formats it.
PLURALS = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "是不是要用{possibility}？",
        "是不是要用其中之一：{possibilities}？",
    ),
    ("Did you mean {possibility}?", "(Possible options: {possibilities})"): (
        "是不是要用{possibility}？",
        "可能是：{possibilities}",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "多了一个参数（{args}）",
        "多了几个参数（{args}）",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "需要 {nargs} 个值，实际只给了 1 个。",
        "需要 {nargs} 个值，实际给了 {len} 个。",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "选项“{name}”后面要跟一个值。",
        "选项“{name}”后面要跟 {nargs} 个值。",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "“{value}”不是可用的值；只能是 {choice}。",
        "“{value}”不是可用的值；可选：{choices}。",
    ),
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): (
        "“{value}”不符合格式 {format}。",
        "“{value}”不符合格式 {formats} 中的任何一种。",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "需要 {len_type} 个值，实际给了 {len_value} 个。",
        "需要 {len_type} 个值，实际给了 {len_value} 个。",
    ),
}


def gettext(message: str) -> str:
    """click's message in Chinese; a message the catalog lacks stays as it is."""
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """click's message about `count` things in Chinese."""
    forms = PLURALS.get((singular, plural), (singular, plural))
    return forms[0] if count == 1 else forms[1]


def speak_chinese() -> None:
    """Point the gettext functions of every loaded click module at the catalog.

    click loads a few modules only on demand, for features gen does not use (its own progress
    bar, editor and pager) or that print only on a Bash older than 4.4 (shell completion):
    those keep English, so `gen --help` does not pay for loading them.
    """
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if getattr(module, "_", None) is _gettext.gettext:
                module._ = gettext  # type: ignore[attr-defined]
            if getattr(module, "ngettext", None) is _gettext.ngettext:
                module.ngettext = ngettext  # type: ignore[attr-defined]


class _InWords(click.ParamType):
    """A number range told in Chinese, in errors and in the help's notes; a number out of it is
    shown as the user typed it (`0`, where click shows the float it read, `0.0`).

    Mixed in before click's IntRange or FloatRange, whose attributes and checks it uses (named
    here for mypy, not by click's private base class, so that gen still starts if it moves).
    """

    number: click.ParamType  # the type a value is read as before its range is checked
    kind: str  # what the value must be, for a message: 整数, 数字
    min: Any  # an int or a float, as the range is; None: no bound
    max: Any
    min_open: bool
    max_open: bool

    def _describe_range(self) -> str:
        """The range as Chinese says it: 至少为 1、在 1000 到 9999 之间 (not click's 1000<=x<=9999)."""
        low = (
            None if self.min is None else ("大于 " if self.min_open else "至少为 ") + f"{self.min}"
        )
        high = (
            None if self.max is None else ("小于 " if self.max_open else "至多为 ") + f"{self.max}"
        )
        if low and high and not (self.min_open or self.max_open):
            return f"在 {self.min} 到 {self.max} 之间"
        return "，".join(part for part in (low, high) if part)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The number, if it is one and in the range (not NaN, which no range holds)."""
        typed = str(value).strip()
        try:
            number = self.number.convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"“{typed}”不是{self.kind}。", param, ctx)  # “abc”不是数字, “1.5”不是整数
        try:
            if number != number:  # NaN: click lets it through every bound
                raise click.BadParameter(typed)
            return super().convert(number, param, ctx)
        except click.BadParameter:
            message = gettext("{value} is not in the range {range}.")
            self.fail(message.format(value=typed, range=self._describe_range()), param, ctx)


class FilePath(click.Path):
    """click's Path, refusing an empty one: `gen build ''` would have meant the current folder."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value == "":
            self.fail("路径是空的；请写出文件或文件夹的路径（当前文件夹写 .）", param, ctx)
        return super().convert(value, param, ctx)


class IntRange(_InWords, click.IntRange):
    """click's IntRange, its range in Chinese."""

    number = click.INT
    kind = "整数"


class FloatRange(_InWords, click.FloatRange):
    """click's FloatRange, its range in Chinese."""

    number = click.FLOAT
    kind = "数字"


class Formatter(click.HelpFormatter):
    """click's help laid out for Chinese: measured in terminal cells, wrapped between characters,
    with full-width punctuation (“用法：gen …”, “选项：”, “[默认：120；至少为 1]”)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line, with no space after the full-width colon."""
        super().write_usage(prog, args, gettext("Usage:") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        """A section heading: “选项：”."""
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs (split at blank lines), each wrapped to the width and indented."""
        indent = " " * self.current_indent
        paragraphs = [_joined(part) for part in re.split(r"\n\s*\n", text) if part.strip()]
        for number, paragraph in enumerate(paragraphs):
            if number:
                self.write("\n")
            for line in wrap(paragraph, self.width - self.current_indent):
                self.write(f"{indent}{line}\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        """Options or commands, one per row: the name, then its help aligned in a second column."""
        rows = list(rows)
        first_col = min(max((cells(term) for term, _ in rows), default=0), col_max) + col_spacing
        margin = " " * (self.current_indent + first_col)
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if cells(term) > first_col - col_spacing:
                self.write(f"\n{margin}")
            else:
                self.write(" " * (first_col - cells(term)))
            lines = _help_lines(text, self.width - self.current_indent - first_col)
            self.write(f"\n{margin}".join(lines) + "\n")


def _joined(paragraph: str) -> str:
    """A paragraph's lines as one line: Chinese lines join directly, others with a space."""
    lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
    text = lines[0] if lines else ""
    for line in lines[1:]:
        text += line if cells(text[-1]) == 2 or cells(line[0]) == 2 else f" {line}"
    return text


def _help_lines(text: str, columns: int) -> list[str]:
    """An option's help wrapped to `columns`, its notes (`[默认：120；至少为 1]`) kept on one line."""
    help, bracket, notes = text.rpartition("  [")
    if not bracket or not notes.endswith("]"):
        return wrap(text, columns) or [""]
    notes = "[" + notes.replace("; ", "；")
    lines = wrap(help, columns)
    if lines and cells(f"{lines[-1]}  {notes}") <= columns:
        return [*lines[:-1], f"{lines[-1]}  {notes}"]
    return [*lines, notes]


class Context(click.Context):
    """The context of a gen command: help laid out by `Formatter`."""

    formatter_class = Formatter


def quoted(names: Iterable[str]) -> str:
    """Names as gen's messages quote them: “text”、“json”."""
    return "、".join(f"“{name}”" for name in names)


class Choice(click.Choice):
    """click's Choice, the choices quoted as gen quotes them (“text”、“json”, not 'text', 'json')."""

    def get_invalid_choice_message(self, value: Any, ctx: click.Context | None) -> str:
        """The message for a value that is not one of the choices."""
        choices = quoted(map(str, self.choices))
        return ngettext(
            "{value!r} is not {choice}.", "{value!r} is not one of {choices}.", len(self.choices)
        ).format(value=value, choice=choices, choices=choices)


def _named(param: click.Parameter) -> str:
    """A parameter as a usage error names it: “-o/--output”, “文件夹”."""
    names = param.opts if isinstance(param, click.Option) else [param.human_readable_name]
    return f"“{'/'.join(names)}”"


def in_chinese(error: click.UsageError) -> click.UsageError:
    """A usage error of click's with gen's punctuation: names in “”, a list joined by 、, no ASCII
    full stop after a missing option (click writes these marks outside its translated text)."""
    if isinstance(error, click.MissingParameter) and error.param is not None:
        return click.UsageError(_missing(error, error.param), error.ctx)
    if (
        isinstance(error, click.BadParameter)
        and error.param_hint is None
        and error.param is not None
    ):
        error.param_hint = _named(error.param)  # a hint click is given is used as it is
    possibilities = getattr(error, "possibilities", None)  # no such option, no such command
    if possibilities:
        did_you_mean = ngettext(
            "Did you mean {possibility}?",
            "(Did you mean one of: {possibilities}?)",
            len(possibilities),
        ).format(
            possibility=quoted(sorted(possibilities)), possibilities=quoted(sorted(possibilities))
        )
        return click.UsageError(f"{error.message.removesuffix('。')}；{did_you_mean}", error.ctx)
    return error


def _missing(error: click.MissingParameter, param: click.Parameter) -> str:
    """缺少必填的选项“--to”, with the choices when the parameter has them."""
    kinds = {"option": "Missing option", "argument": "Missing argument"}
    message = gettext(kinds.get(param.param_type_name, "Missing parameter")) + _named(param)
    if isinstance(param.type, click.Choice):
        choices = quoted(map(str, param.type.choices))
        message += "；" + gettext("Choose from:\n\t{choices}").format(choices=choices)
    return f"{message}；{error.message}" if error.message else message


class Command(click.Command):
    """A gen command: Chinese help and `[选项]` in its usage line, usage errors in gen's punctuation."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's parsing, a usage error put in gen's punctuation."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            error.ctx = error.ctx or ctx  # click's parser raises without one: no usage lines
            raise in_chinese(error) from None


class Group(Command, click.Group):
    """The gen command group: Chinese help, its commands `Command`s."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command named, or “没有这个命令” in gen's punctuation."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            raise in_chinese(error) from None
