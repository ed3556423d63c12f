"""The command line: options, printed findings, the closing line and exit codes."""

from __future__ import annotations

import errno
import gc
import json
import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from conftest import GOOD_PROJECT, built_with_pdf, good_project, held_open, read_only_disk

from gen.cli import main, run

BAD_AMOUNT = GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千")


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "build" in result.output and "check" in result.output


def test_python_dash_m_gen_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "gen", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("gen 版本 ")


def test_the_program_ends_as_the_command_line_does_in_process(runner, in_tmp, write):
    """`python -m gen` (run) and main() in process: same exit code, output, forms and state."""
    write("projects/平安办/安保经费.yaml", BAD_AMOUNT)
    write("projects/a.yaml", GOOD_PROJECT)
    command = ["build", "projects", "-q", "-o"]
    done = subprocess.run(
        [sys.executable, "-m", "gen", *command, "out"], capture_output=True, text=True
    )
    inside = runner.invoke(main, [*command, "out2"])
    assert (done.returncode, done.stdout, done.stderr) == (1, inside.stdout, inside.stderr)
    assert (
        "projects/平安办/安保经费.yaml:11: 项目资金.财政资金: 应为数字，实际为“三千”" in done.stdout
    )
    assert Path("out/a.docx").read_bytes() == Path("out2/a.docx").read_bytes()
    states = [
        json.loads(Path(f"{out}/.gen-state.json").read_text("utf-8")) for out in ("out", "out2")
    ]
    assert "a.docx" in states[0]["forms"]
    assert states[0] == states[1]


def test_check_prints_file_line_path_and_message(runner, in_tmp, write):
    write("projects/平安办/安保经费.yaml", BAD_AMOUNT)
    result = runner.invoke(main, ["check", "projects"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "projects/平安办/安保经费.yaml:11: 项目资金.财政资金: 应为数字，实际为“三千”"
    ]
    assert result.stderr.strip() == "已检查 1 个项目，失败 1 个，有警告 0 个"


def test_check_defaults_to_projects_folder(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_without_projects_folder_is_a_usage_error(runner, in_tmp):
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2
    assert "找不到 projects" in result.stderr


def test_check_json_lists_findings(runner, in_tmp, write):
    write("projects/a.yaml", BAD_AMOUNT)
    result = runner.invoke(main, ["check", "--format", "json", "projects"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": "projects/a.yaml",
            "line": 11,
            "path": "项目资金.财政资金",
            "level": "error",
            "code": "wrong-type",
            "message": "应为数字，实际为“三千”",
        }
    ]


def test_strict_turns_warnings_into_exit_1(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("社工满意度: ≥90%", "社工满意度: 满意"))
    assert runner.invoke(main, ["check", "projects"]).exit_code == 0
    assert runner.invoke(main, ["check", "--strict", "projects"]).exit_code == 1


def test_build_writes_forms_and_says_how_many(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["build", "projects", "-o", "out"])
    assert result.exit_code == 1
    assert (in_tmp / "out" / "a.docx").is_file()
    assert not (in_tmp / "out" / "b.docx").exists()
    closing = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"已生成 1 个，失败 1 个，有警告 0 个，用时 \d+\.\d 秒", closing)


def test_build_with_a_missing_template_folder_is_a_usage_error(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "--templates", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    assert not (in_tmp / "output").exists()


def test_every_build_option_is_an_option_of_gen_build_and_gen_watch_builds_with_its_own():
    from dataclasses import fields

    from gen.build import BuildOptions
    from gen.delivery.deliver import deliver

    build, watch = ({p.name for p in main.commands[name].params} for name in ("build", "watch"))
    options = {field.name for field in fields(BuildOptions)}
    assert options <= build
    assert build - options == {"paths", "quiet", *deliver.__kwdefaults__} - {
        "pdf_progress",
        "pdf_jobs",
    }
    assert watch - {"paths"} <= options


def test_unknown_option_is_a_usage_error(runner):
    assert runner.invoke(main, ["check", "--nope"]).exit_code == 2


def test_a_form_and_the_summary_held_open_by_another_program(runner, in_tmp, write, monkeypatch):
    for name in ("甲", "乙", "丙"):
        write(f"projects/{name}.yaml", good_project(name))
    monkeypatch.setattr(os, "replace", held_open("乙.docx", "汇总表.xlsx")[0])
    args = ["build", "projects", "-j", "1", "--summary", "output/汇总表.xlsx"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    held = "文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
    assert result.stdout == f"projects/乙.yaml: 无法写入 output/乙.docx：{held}\n"
    assert f"错误：未生成汇总表：无法写入 output/汇总表.xlsx：{held}\n" in result.stderr
    assert sorted(p.name for p in (in_tmp / "output").glob("*.docx")) == ["丙.docx", "甲.docx"]


def test_a_form_open_in_wps_is_one_line_and_the_others_build(runner, in_tmp, write, monkeypatch):
    # Windows refuses both to replace and to delete a form WPS or Word has open
    for name in ("甲", "乙", "丙"):
        write(f"projects/{name}.yaml", good_project(name))
    assert runner.invoke(main, ["build", "projects", "-j", "1"]).exit_code == 0
    (in_tmp / "output/乙.pdf").write_bytes(b"%PDF-1.4 old")
    replace, unlink = held_open("乙.docx")
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)
    result = runner.invoke(main, ["build", "projects", "-j", "1", "--force"])
    assert result.exit_code == 1
    assert result.stdout == (
        "projects/乙.yaml: 无法写入 output/乙.docx：文件正被其他程序（如 WPS、Word、Excel）打开，"
        "请关闭后重新生成\n"
    )
    assert "已生成 2 个，失败 1 个" in result.stderr
    assert not (in_tmp / "output/乙.pdf").exists()  # it showed the old form


def test_the_old_form_of_a_failed_project_held_open(runner, in_tmp, write, monkeypatch):
    write("projects/甲.yaml", good_project("甲"))
    assert runner.invoke(main, ["build", "projects"]).exit_code == 0
    write("projects/甲.yaml", BAD_AMOUNT.replace("社工", "甲"))
    monkeypatch.setattr(os, "unlink", held_open("甲.docx")[1])
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (  # a finding about the whole file comes first
        "projects/甲.yaml: 无法删除 output/甲.docx：文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
    )


def test_a_failed_project_without_a_form_on_a_read_only_disk(runner, in_tmp, write, monkeypatch):
    # Linux refuses to delete on a read-only mount (EROFS) before it looks whether the file is there
    write("projects/甲.yaml", good_project("甲"))
    write("projects/乙.yaml", BAD_AMOUNT.replace("社工", "乙"))
    assert runner.invoke(main, ["build", "projects"]).exit_code == 1
    read_only_disk(monkeypatch)
    write("projects/甲.yaml", BAD_AMOUNT.replace("社工", "甲"))  # its form is there
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 1
    assert "output/乙" not in result.output  # never made, so not “无法删除”
    assert (
        "projects/甲.yaml: 无法删除 output/甲.docx：文件系统只读；这张旧表格与项目文件不符，请手动删除它"
        in result.stdout.splitlines()
    )
    assert "output/甲.pdf" not in result.output


def test_the_old_form_and_pdf_of_a_failed_project_both_held_open(
    runner, in_tmp, write, monkeypatch
):
    built_with_pdf(runner, write, in_tmp, "甲")
    old_form = (in_tmp / "output/乙.docx").read_bytes()
    write("projects/甲.yaml", BAD_AMOUNT.replace("社工", "甲"))
    write("projects/乙.yaml", good_project("乙").replace("项目名称: 乙", "项目名称: 乙二"))
    monkeypatch.setattr(os, "unlink", held_open("甲.docx", "甲.pdf")[1])
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 1
    held = "文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
    assert result.stdout.splitlines()[:2] == [
        f"projects/甲.yaml: 无法删除 output/甲.docx：{held}",
        f"projects/甲.yaml: 无法删除 output/甲.pdf：{held}",
    ]
    assert "已生成 1 个，失败 1 个" in result.stderr
    assert (in_tmp / "output/甲.pdf").read_bytes() == b"%PDF-1.4 old"
    assert (in_tmp / "output/乙.docx").read_bytes() != old_form  # the other project still built


def test_a_form_open_in_wps_and_its_pdf_too_are_both_told(runner, in_tmp, write, monkeypatch):
    built_with_pdf(runner, write, in_tmp, "乙")
    monkeypatch.setattr(os, "replace", held_open("乙.docx")[0])
    monkeypatch.setattr(os, "unlink", held_open("乙.docx", "乙.pdf")[1])
    result = runner.invoke(main, ["build", "projects", "-j", "1", "--force"])
    assert result.exit_code == 1
    held = "文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
    assert result.stdout == (
        f"projects/乙.yaml: 无法写入 output/乙.docx：{held}\n"
        f"projects/乙.yaml: 无法删除 output/乙.pdf：{held}\n"
    )
    assert "已生成 1 个，失败 1 个" in result.stderr
    assert (in_tmp / "output/乙.pdf").read_bytes() == b"%PDF-1.4 old"


def test_a_deleted_projects_form_and_pdf_held_open_are_both_told(
    runner, in_tmp, write, monkeypatch
):
    built_with_pdf(runner, write, in_tmp, "乙")
    (in_tmp / "projects/乙.yaml").unlink()
    with monkeypatch.context() as patch:
        patch.setattr(os, "unlink", held_open("乙.docx", "乙.pdf")[1])
        result = runner.invoke(main, ["build", "projects", "--clean"])
    assert result.exit_code == 1
    held = "文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
    assert result.stderr.startswith(
        f"错误：无法删除 output/乙.docx：{held}\n错误：无法删除 output/乙.pdf：{held}\n"
    )
    assert sorted(p.name for p in (in_tmp / "output").glob("*.*")) == [
        ".gen-state.json",
        "乙.docx",
        "乙.pdf",
        "甲.docx",
    ]
    result = runner.invoke(
        main, ["build", "projects", "--clean"]
    )  # closed: the next build removes them
    assert result.exit_code == 0
    assert result.stderr.endswith(
        "；已删除 1 个项目文件已不存在的旧表格；已删除 1 个项目文件已不存在的旧 PDF\n"
    )
    assert sorted(p.name for p in (in_tmp / "output").glob("*.*")) == [".gen-state.json", "甲.docx"]


def test_a_path_the_system_refuses_to_look_at_is_a_message(runner, in_tmp, write, monkeypatch):
    # e.g. a folder below one that may not be entered: asking whether it exists is refused
    write("projects/甲.yaml", good_project("甲"))
    looking = Path.stat

    def stat(path, **kwargs):
        if path.name == "projects":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return looking(path, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    for command in (["check", "projects"], ["build", "projects"], ["summary", "projects"]):
        result = runner.invoke(main, command)
        assert (result.exit_code, result.stdout) == (1, ""), command
        assert result.stderr == "错误：无法访问 projects：没有访问权限；请检查路径和它的权限\n"


def test_the_program_freezes_what_is_left_once_the_command_is_done(monkeypatch):
    """run() ends like main(), then freezes the objects left, so that exit does not collect them."""
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(len(frozen)))
    monkeypatch.setattr(sys, "argv", ["gen", "--version"])
    with pytest.raises(SystemExit) as ended:
        run()
    assert (ended.value.code, frozen) == (0, [0])


def test_the_installed_gen_command_is_the_program():
    (command,) = [e for e in entry_points(group="console_scripts") if e.name == "gen"]
    assert command.value == "gen.cli:run"
    assert command.load() is run


def test_build_into_a_folder_below_a_file_is_refused_once(runner, in_tmp, write):
    for name in ("a", "b", "c"):
        write(f"projects/{name}.yaml", GOOD_PROJECT)
    Path("afile").write_text("kept", encoding="utf-8")
    result = runner.invoke(main, ["build", "projects", "-o", "afile/sub"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "错误：无法生成到 afile/sub：afile 是一个文件，不是文件夹；"
        "请用 -o 换一个输出文件夹，或把它移走\n"
    )
    assert Path("afile").read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in Path().iterdir()) == ["afile", "projects"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize("links", [{"broken": "nowhere"}, {"loop1": "loop2", "loop2": "loop1"}])
def test_build_into_a_broken_link_is_refused_once(runner, in_tmp, write, links):
    for name in ("a", "b"):
        write(f"projects/{name}.yaml", GOOD_PROJECT)
    for link, target in links.items():
        os.symlink(target, link)
    first = next(iter(links))
    result = runner.invoke(main, ["build", "projects", "-o", f"{first}/out"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"错误：无法生成到 {first}/out：{first} 是一个失效的符号链接（指向不存在的位置或指向自己），"
        "不是文件夹；请用 -o 换一个输出文件夹，或把它移走\n"
    )


def test_a_reader_that_stops_reading_ends_gen_quietly(in_tmp, write):
    """`gen check | head -1`: no error about the closed pipe, the shell's code for it."""
    for number in range(200):  # more findings than a pipe holds
        write(f"projects/p{number}.yaml", BAD_AMOUNT)
    reader = subprocess.Popen(
        [sys.executable, "-m", "gen", "check", "projects"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    first = reader.stdout.readline().decode("utf-8")
    reader.stdout.close()
    with reader.stderr:
        stderr = reader.stderr.read().decode("utf-8")
    assert reader.wait() == 141
    assert first.startswith("projects/p")
    assert "错误" not in stderr and "Exception" not in stderr and "EPIPE" not in stderr


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["build", ""], "“[路径]...”"),
        (["check", "", "projects"], "“[路径]...”"),
        (["build", "-o", ""], "“-o/--output”"),
    ],
)
def test_an_empty_path_is_refused_not_taken_for_the_current_folder(runner, in_tmp, args, what):
    (in_tmp / "loose.yaml").write_text("项目名称: 不是项目\n", encoding="utf-8")
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"错误：{what}的值无效：路径是空的；请写出文件或文件夹的路径（当前文件夹写 .）"
    )
    assert sorted(p.name for p in in_tmp.iterdir()) == ["loose.yaml"]


# ---------------------------------------------------------------- names Windows cannot hold

WINDOWS_LATER = "（否则在 Windows 电脑上无法打开、复制它）"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "projects", "--book", "CON.docx"],
            "“--book”的值无效：文件名“CON.docx”在 Windows 上不能用：“CON”是留给设备的名字；"
            "请换一个名字，如 CON_.docx",
        ),
        (
            ["build", "projects", "--book", "合订\x01本.docx"],
            "“--book”的值无效：文件名“合订\\u0001本.docx”在 Windows 上不能用：含有控制字符 U+0001；"
            "请换一个名字，如 合订_本.docx",
        ),
        (
            ["build", "projects", "--summary", "报送:2026/汇总.xlsx"],
            "“--summary”的值无效：文件夹名“报送:2026”在 Windows 上不能用：含有字符“:”；"
            "请换一个名字，如 报送_2026/汇总.xlsx",
        ),
        (
            ["build", "projects", "-o", "输出 "],
            "“-o/--output”的值无效：文件夹名“输出 ”在 Windows 上不能用：以空格结尾；"
            "请换一个名字，如 输出",
        ),
        (
            ["summary", "projects", "-o", "汇总/lpt1.xlsx"],
            "“-o/--output”的值无效：文件名“lpt1.xlsx”在 Windows 上不能用：“lpt1”是留给设备的名字；"
            "请换一个名字，如 汇总/lpt1_.xlsx",
        ),
        (
            ["diff", "a", "b", "--docx", "修订稿.docx."],
            "“--docx”的值无效：文件名“修订稿.docx.”在 Windows 上不能用：以句点结尾；"
            "请换一个名字，如 修订稿.docx",
        ),
        (
            ["schema", "-o", "Aux.json"],
            "“-o/--output”的值无效：文件名“Aux.json”在 Windows 上不能用：“Aux”是留给设备的名字；"
            "请换一个名字，如 Aux_.json",
        ),
        (
            ["import", "表.docx", "-o", "项目|2026"],
            "“-o/--output”的值无效：文件夹名“项目|2026”在 Windows 上不能用：含有字符“|”；"
            "请换一个名字，如 项目_2026",
        ),
        (
            ["template", "表.docx", "-o", "com3"],
            "“-o/--output”的值无效：文件夹名“com3”在 Windows 上不能用：“com3”是留给设备的名字；"
            "请换一个名字，如 com3_",
        ),
        (
            ["rollover", "projects", "--to", "2027", "-o", "2027/prn.项目"],
            "“-o/--output”的值无效：文件夹名“prn.项目”在 Windows 上不能用：“prn”是留给设备的名字；"
            "请换一个名字，如 2027/prn_.项目",
        ),
        (
            ["watch", "projects", "-o", "输出*"],
            "“-o/--output”的值无效：文件夹名“输出*”在 Windows 上不能用：含有字符“*”；"
            "请换一个名字，如 输出_",
        ),
        (
            ["build", "projects", "--book", "..."],  # nothing of it is left to suggest
            "“--book”的值无效：文件名“...”在 Windows 上不能用：以句点结尾；请换一个名字",
        ),
    ],
    ids=[
        "build-book-device",
        "build-book-control",
        "build-summary-folder",
        "build-output-space",
        "summary-output-device",
        "diff-docx-dot",
        "schema-output-device",
        "import-output-bar",
        "template-output-device",
        "rollover-output-device",
        "watch-output-star",
        "build-book-dots",
    ],
)
def test_an_output_named_as_windows_cannot_hold_is_refused_before_anything(
    runner, in_tmp, write, monkeypatch, args, message
):
    write("projects/a.yaml", GOOD_PROJECT)
    monkeypatch.setattr("gen.watch.watch", lambda *_, **__: pytest.fail("gen watch started"))
    result = runner.invoke(main, args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == f"错误：{message}{WINDOWS_LATER}"
    assert sorted(p.name for p in in_tmp.iterdir()) == ["projects"]


def test_names_windows_holds_are_taken_as_they_are(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    book, summary = "新建文件夹 (2)/合订本 2026.docx", "汇总表（第 1 版）.xlsx"
    command = ["build", "projects", "-o", "输出 (1)", "--book", book, "--summary", summary]
    result = runner.invoke(main, [*command, "-q"])
    assert (result.exit_code, result.output) == (0, "")
    assert (in_tmp / "输出 (1)/a.docx").is_file()
    assert (in_tmp / book).is_file() and (in_tmp / summary).is_file()
    absolute = runner.invoke(main, ["schema", "-o", str(in_tmp / "编辑器 .vscode/project.json")])
    assert absolute.exit_code == 0, absolute.output
    assert (in_tmp / "编辑器 .vscode/project.json").is_file()


def test_a_folder_there_already_is_the_users_and_taken_as_it_is(runner, in_tmp, write):
    """Only the names gen makes are held to Windows's rules: a folder the user made is theirs."""
    write("projects/a.yaml", GOOD_PROJECT)
    (in_tmp / "报送:2026").mkdir()
    result = runner.invoke(main, ["build", "projects", "-q", "--book", "报送:2026/合订本.docx"])
    assert (result.exit_code, result.output) == (0, "")
    assert (in_tmp / "报送:2026/合订本.docx").is_file()
    new = runner.invoke(main, ["build", "projects", "-q", "--book", "报送:2026/新:稿/合订本.docx"])
    assert new.exit_code == 2
    assert "文件夹名“新:稿”在 Windows 上不能用：含有字符“:”；" in new.stderr
    file = runner.invoke(main, ["build", "projects", "-q", "--book", "报送:2026/CON.docx"])
    assert "文件名“CON.docx”在 Windows 上不能用" in file.stderr


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (PureWindowsPath(r"D:\报送\合订本.docx"), None),  # the drive's colon is no name
        (PureWindowsPath(r"\\服务器\共享\汇总.xlsx"), None),
        (PureWindowsPath(r"..\.\汇总.xlsx"), None),
        (PurePosixPath("/home/张三/.gen/a b.docx"), None),
        (
            PureWindowsPath(r"C:\报送\CON.docx"),
            r"文件名“CON.docx”在 Windows 上不能用：“CON”是留给设备的名字；"
            r"请换一个名字，如 C:\报送\CON_.docx",
        ),
        (
            PurePosixPath("/报送/conout$.docx"),  # the console's own names are devices too
            "文件名“conout$.docx”在 Windows 上不能用：“conout$”是留给设备的名字；"
            '请换一个名字，如 "/报送/conout$_.docx"',  # quoted to be typed: $ is the shell's
        ),
        (
            PurePosixPath("/报送/a?/b:c.docx"),  # every name of the suggestion is one Windows holds
            "文件夹名“a?”在 Windows 上不能用：含有字符“?”；请换一个名字，如 /报送/a_/b_c.docx",
        ),
    ],
)
def test_the_names_of_a_path_on_either_system(path, problem):
    from gen.files import windows_name_problem

    expected = None if problem is None else problem + WINDOWS_LATER
    assert windows_name_problem(path, folder=False) == expected
