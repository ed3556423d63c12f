"""Messages print a path the way the user's system writes it (backslashes on Windows), and an
operating-system error's reason in Chinese."""

from __future__ import annotations

import errno
import os
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from gen.errors import (
    HELD_OPEN,
    WINDOWS_PATH_LIMIT,
    AlreadyThere,
    Finding,
    UsageError,
    access_refused,
    disk_reason,
    path_too_long,
    shown,
)
from gen.output import WriteFailed


def test_a_path_is_shown_as_its_system_writes_it():
    assert (
        shown(PureWindowsPath("projects/平安办/安保经费.yaml")) == r"projects\平安办\安保经费.yaml"
    )
    assert shown(PureWindowsPath(r"projects\平安办")) == r"projects\平安办"
    assert shown(PurePosixPath("projects/平安办/安保经费.yaml")) == "projects/平安办/安保经费.yaml"


def test_a_finding_on_windows_names_its_file_with_backslashes():
    where = PureWindowsPath(r"projects\平安办\安保经费.yaml")
    finding = Finding(
        where, 6, "项目资金.财政资金", "error", "not-a-number", "应为数字，实际为“三千”"
    )  # type: ignore[arg-type]
    assert (
        str(finding)
        == r"projects\平安办\安保经费.yaml:6: 项目资金.财政资金: 应为数字，实际为“三千”"
    )
    assert (
        finding.as_dict()["file"] == "projects/平安办/安保经费.yaml"
    )  # JSON stays the same everywhere


def test_a_write_failure_on_windows_names_its_file_with_backslashes():
    failed = WriteFailed(
        PureWindowsPath(r"output\平安办\安保经费.docx"), PermissionError(13, "denied")
    )  # type: ignore[arg-type]
    assert failed.message == r"无法写入 output\平安办\安保经费.docx：没有写入权限"


def test_every_os_error_reads_in_chinese():
    import errno

    for number in sorted(errno.errorcode):
        english = os.strerror(number)
        reason = disk_reason(OSError(number, english))
        assert english not in reason and any("\u4e00" <= c <= "\u9fff" for c in reason), number
    assert disk_reason(OSError(errno.EXDEV, "x")) == "不能跨磁盘移动文件"
    assert disk_reason(OSError(errno.ECHILD, "x")) == "操作系统报告错误 ECHILD（错误号 10）"
    assert disk_reason(OSError(9999, "x")) == "操作系统报告错误（错误号 9999）"
    assert disk_reason(OSError("no number")) == "操作系统报告了一个没有说明原因的错误"
    assert disk_reason(PermissionError(errno.EACCES, "x"), reading=True) == "没有读取权限"
    in_use = PermissionError(errno.EACCES, "x")
    in_use.winerror = 32  # type: ignore[attr-defined]  # as Windows reports a file open in WPS
    assert disk_reason(in_use) == HELD_OPEN


@pytest.mark.parametrize("winerror", [1, 50])  # ERROR_INVALID_FUNCTION, ERROR_NOT_SUPPORTED
def test_what_a_windows_disk_cannot_do_is_not_told_as_a_bad_name(winerror):
    # as Windows says a hard link is refused on FAT32 or exFAT; Python makes both EINVAL
    refused = OSError(errno.EINVAL, "Incorrect function")
    refused.winerror = winerror  # type: ignore[attr-defined]  (set by Python on Windows only)
    assert disk_reason(refused) == "这个磁盘不支持这项操作"


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (PermissionError(errno.EACCES, "x", "projects"), "无法访问 projects：没有访问权限；请检查路径和它的权限"),
        (OSError(errno.ENOSPC, "x", "a.docx"), "无法访问 a.docx：磁盘空间不足；请腾出磁盘空间后重试"),
        (OSError(errno.EROFS, "x", "output"), "无法访问 output：文件系统只读；请换一个可以写入的位置"),
        (OSError(errno.ENOENT, "x", "a.yaml"), "无法访问 a.yaml：文件不存在，可能已被移动或删除，或是指向不存在文件的链接；请检查路径是否正确"),
        (OSError(errno.EIO, "x", "b.yaml"), "无法访问 b.yaml：磁盘读取出错；请检查磁盘、U 盘或网络盘的连接后重试"),
        (OSError(errno.EAGAIN, "x", "a.yaml"), "无法访问 a.yaml：系统资源暂时不够，请稍后重试"),
        (OSError(errno.EBUSY, "x", "a.docx"), "无法访问 a.docx：文件正被其他程序占用；请关闭正在使用它的程序后重试"),
        (OSError(errno.ECHILD, "x"), "无法访问：操作系统报告错误 ECHILD（错误号 10）；请检查路径和它的权限"),
    ],
)  # fmt: skip
def test_an_unforeseen_os_error_says_what_to_do_for_its_reason(error, said):
    """Not “check the path and its permissions” after a full disk or a read-only file system.

    One-part paths: they print alike on every system."""
    assert access_refused(error) == said


def test_what_is_already_there_is_refused_as_a_usage_error_in_one_wording():
    refusal = AlreadyThere("templates/绩效目标表.docx", "要替换它，请加 --force")
    assert isinstance(refusal, UsageError) and refusal.exit_code == 2
    assert refusal.message == "templates/绩效目标表.docx 已存在，没有覆盖；要替换它，请加 --force"
    several = AlreadyThere("2027/_defaults.yaml", "请换一个输出文件夹", 39).message
    assert several == "2027/_defaults.yaml 等 39 个文件已存在，没有覆盖；请换一个输出文件夹"


# ---------------------------------------------------------------- paths longer than Windows allows


def _not_found(name: str, winerror: int | None = None) -> FileNotFoundError:
    """A FileNotFoundError as Python raises it on Windows (os.open carries no Windows number)."""
    error = FileNotFoundError(errno.ENOENT, "The system cannot find the path specified", name)
    if winerror is not None:
        error.winerror = winerror  # type: ignore[attr-defined]  (set by Python on Windows only)
    return error


def test_a_path_past_the_windows_limit_is_said_to_be_too_long(tmp_path, monkeypatch):
    monkeypatch.setattr("gen.errors.ON_WINDOWS", True)
    name = tmp_path / ("项" * (WINDOWS_PATH_LIMIT - len(str(tmp_path))))  # one past, with the /
    expected = (
        f"路径太长（完整路径共 {WINDOWS_PATH_LIMIT + 1} 个字符，Windows 默认最多 259 个）；"
        "请缩短文件夹和文件的名字，或把文件夹移到离盘符近的位置（如 D:\\预算）"
    )
    assert disk_reason(_not_found(str(name))) == expected
    assert disk_reason(_not_found(str(name), winerror=3), reading=True) == expected
    assert access_refused(_not_found(str(name))) == f"无法访问 {name}：{expected}"


def test_a_path_within_the_windows_limit_is_not_there(tmp_path, monkeypatch):
    monkeypatch.setattr("gen.errors.ON_WINDOWS", True)
    name = str(tmp_path / ("项" * (WINDOWS_PATH_LIMIT - 1 - len(str(tmp_path)))))
    assert disk_reason(_not_found(name, winerror=3)) == "文件或文件夹不存在（可能刚被移走或删除）"


def test_a_name_windows_says_is_out_of_range_is_too_long_at_any_length(monkeypatch):
    monkeypatch.setattr("gen.errors.ON_WINDOWS", True)
    assert disk_reason(_not_found("a.docx", winerror=206)).startswith("路径太长（完整路径共 ")


def test_a_long_path_elsewhere_than_windows_is_told_by_its_error(tmp_path, monkeypatch):
    monkeypatch.setattr("gen.errors.ON_WINDOWS", False)
    name = str(tmp_path / ("项" * 300))
    assert disk_reason(_not_found(name)) == "文件或文件夹不存在（可能刚被移走或删除）"


def test_characters_past_the_basic_plane_count_twice_as_windows_counts_them(tmp_path, monkeypatch):
    monkeypatch.setattr("gen.errors.ON_WINDOWS", True)
    room = WINDOWS_PATH_LIMIT - len(str(tmp_path)) - 1
    assert not path_too_long(_not_found(str(tmp_path / ("项" * room))))
    assert path_too_long(_not_found(str(tmp_path / ("𠀀" + "项" * (room - 1)))))
