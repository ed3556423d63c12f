"""Messages print a path the way the user's system writes it: backslashes on Windows."""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from gen.errors import Finding, shown
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
        where, 6, "项目资金.财政资金", "error", "not-a-number", '应为数字，实际为 "三千"'
    )  # type: ignore[arg-type]
    assert (
        str(finding)
        == r'projects\平安办\安保经费.yaml:6: 项目资金.财政资金: 应为数字，实际为 "三千"'
    )
    assert (
        finding.as_dict()["file"] == "projects/平安办/安保经费.yaml"
    )  # JSON stays the same everywhere


def test_a_write_failure_on_windows_names_its_file_with_backslashes():
    failed = WriteFailed(
        PureWindowsPath(r"output\平安办\安保经费.docx"), PermissionError(13, "denied")
    )  # type: ignore[arg-type]
    assert failed.message == r"无法写入 output\平安办\安保经费.docx：没有写入权限"
