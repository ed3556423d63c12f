"""build() and check() end to end: what gets written, what is refused, and what stays untouched."""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, SAMPLES, good_project
from docx_grid import docx_grid

from gen.build import BuildOptions, build, check
from gen.errors import UsageError
from gen.state import STATE_FILE


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if not p.name.startswith("_"))


def test_samples_build_clean_one_form_per_project(tmp_path):
    out = tmp_path / "output"
    report = build([SAMPLES], BuildOptions(out_dir=out, strict=True))
    assert report.findings == []
    assert report.exit_code == 0
    expected = {p.relative_to(SAMPLES).with_suffix(".docx") for p in yaml_files(SAMPLES)}
    written = {p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.name != STATE_FILE}
    assert written == expected
    assert len(report.built) == len(expected) == 33


def test_a_sample_form_reads_back_cell_by_cell(tmp_path):
    build([SAMPLES / "党群服务中心" / "社工.yaml"], BuildOptions(out_dir=tmp_path))
    grid = docx_grid((tmp_path / "党群服务中心" / "社工.docx").read_bytes())
    texts = [[cell.text for cell in row] for row in grid]
    assert texts[0] == ["项目名称", "社工", "项目类别", "专项资金☐ 经常性项目☑ 一次性项目☐"]
    assert texts[1] == ["主管部门", "浦江镇人民政府", "实施单位", "浦江镇社区党群服务中心"]
    assert texts[2] == ["计划开始日期", "2026-1-1", "计划完成日期", "2026-12-31"]
    assert texts[3] == ["项目资金 (万元)", "项目资金总额", "3082.53", "年度资金申请总额", "3082.53"]
    assert texts[7][1] == "项目总目标 (2026年-2026年)"
    assert texts[10:] == [
        ["", "产出指标", "数量指标", "社工数量", "118人"],
        ["", "", "质量指标", "资金发放准确率", "100%"],
        ["", "", "时效指标", "资金支付及时性", "每月"],
        ["", "效益指标", "社会效益指标", "对社工社保、福利等方面的保障", "提升"],
        ["", "满意度指标", "服务对象满意度指标", "社工满意度", "100%"],
    ]
    assert [row[1].vmerge for row in grid[10:]] == [
        "restart", "continue", "continue", "restart", "restart"
    ]  # fmt: skip
    assert [row[2].vmerge for row in grid[10:]] == ["restart"] * 5


def test_same_inputs_give_byte_identical_forms(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    build([SAMPLES], BuildOptions(out_dir=first))
    build([SAMPLES], BuildOptions(out_dir=second))
    for form in first.rglob("*.docx"):
        assert form.read_bytes() == (second / form.relative_to(first)).read_bytes(), form


def test_zip_entries_have_fixed_timestamps(tmp_path):
    build([SAMPLES], BuildOptions(out_dir=tmp_path))
    form = next(tmp_path.rglob("*.docx"))
    with zipfile.ZipFile(form) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_bad_project_fails_alone_and_its_old_form_is_removed(write, tmp_path):
    write("projects/好.yaml", GOOD_PROJECT)
    write("projects/坏.yaml", good_project("坏").replace("财政资金: 3082.53", "财政资金: 三千"))
    out = tmp_path / "output"
    (out).mkdir()
    (out / "坏.docx").write_bytes(b"an outdated form from an earlier build")
    report = build([tmp_path / "projects"], BuildOptions(out_dir=out))
    assert report.exit_code == 1
    assert [r.path.name for r in report.built] == ["好.yaml"]
    assert [r.path.name for r in report.failed] == ["坏.yaml"]
    assert sorted(p.name for p in out.iterdir()) == [STATE_FILE, "好.docx"]
    assert report.removed == [out / "坏.docx"]


def test_an_unforeseen_failure_while_rendering_one_project_fails_only_that_one(
    write, tmp_path, monkeypatch
):
    from gen.render import Renderer

    write("projects/好.yaml", GOOD_PROJECT)
    write("projects/怪.yaml", good_project("怪"))
    out = tmp_path / "output"
    out.mkdir()
    (out / "怪.docx").write_bytes(b"an outdated form from an earlier build")
    (out / "怪.pdf").write_bytes(b"%PDF- of it")
    real_render = Renderer.render

    def render(self, form, context):
        if context["项目名称"] == "怪":
            raise RuntimeError("something\nunforeseen")
        return real_render(self, form, context)

    monkeypatch.setattr(Renderer, "render", render)
    report = build([tmp_path / "projects"], BuildOptions(out_dir=out, jobs=1))
    assert [r.path.name for r in report.built] == ["好.yaml"]
    assert [str(f) for f in report.findings] == [
        f"{(tmp_path / 'projects/怪.yaml').as_posix()}: 生成表格时出现意外错误"
        "（RuntimeError: something unforeseen）；其他项目不受影响。"
        "请检查这个项目文件里不寻常的字符或数值；无法解决时请把这条消息告诉维护 gen 的同事"
    ]
    assert sorted(p.name for p in out.iterdir()) == [STATE_FILE, "好.docx"]
    assert report.removed == [out / "怪.docx", out / "怪.pdf"]
    assert report.closing_line().endswith(
        "；已删除 1 个失败项目的旧表格；已删除 1 个失败项目的旧 PDF"
    )


def test_strict_refuses_projects_with_warnings(write, tmp_path):
    write("projects/a.yaml", GOOD_PROJECT.replace("社工满意度: ≥90%", "社工满意度: 满意"))
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out", strict=True))
    assert report.exit_code == 1
    assert [f.code for f in report.findings] == ["satisfaction-not-percent"]
    assert not (tmp_path / "out" / "a.docx").exists()
    relaxed = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"))
    assert relaxed.exit_code == 0
    assert (tmp_path / "out" / "a.docx").exists()


def test_output_mirrors_the_tree_below_each_named_folder(write, tmp_path):
    write("projects/_defaults.yaml", "年度: 2026\n")
    write("projects/平安办/安保经费.yaml", GOOD_PROJECT)
    write("projects/平安办/_defaults.yaml", "实施单位: 平安办\n")
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "output"))
    assert report.exit_code == 0
    assert [p.relative_to(tmp_path) for p in (tmp_path / "output").rglob("*.docx")] == [
        Path("output/平安办/安保经费.docx")
    ]


def test_a_single_file_or_folder_writes_where_the_whole_tree_would(write, tmp_path):
    project = write("projects/平安办/安保经费.yaml", GOOD_PROJECT)
    build([project], BuildOptions(out_dir=tmp_path / "output"))
    assert (tmp_path / "output" / "平安办" / "安保经费.docx").is_file()
    build([project.parent], BuildOptions(out_dir=tmp_path / "again"))
    assert [p.relative_to(tmp_path) for p in (tmp_path / "again").rglob("*.docx")] == [
        Path("again/平安办/安保经费.docx")
    ]
    outside = write("别处/安保经费.yaml", GOOD_PROJECT)  # no projects/ folder: below the one given
    build([outside], BuildOptions(out_dir=tmp_path / "third"))
    assert (tmp_path / "third" / "安保经费.docx").is_file()


def test_an_unwritable_output_fails_that_project_with_a_message(write, tmp_path):
    write("projects/平安办/安保经费.yaml", GOOD_PROJECT)
    write("projects/其他.yaml", good_project("其他"))
    out = tmp_path / "output"
    out.mkdir()
    (out / "平安办").write_text("a file where the folder should be")
    report = build([tmp_path / "projects"], BuildOptions(out_dir=out))
    assert report.exit_code == 1
    assert [r.path.name for r in report.built] == ["其他.yaml"]
    (failure,) = report.findings
    assert failure.code == "write-failed"
    assert failure.message.startswith(f"无法写入 {(out / '平安办' / '安保经费.docx').as_posix()}：")
    assert not list(out.rglob(".~gen-*"))


def test_a_folder_without_projects_is_a_usage_error(write, tmp_path):
    write("projects/_defaults.yaml", "年度: 2026\n")
    with pytest.raises(UsageError, match="没有找到项目文件"):
        check([tmp_path / "projects"])


def test_a_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="找不到"):
        check([tmp_path / "nowhere"])


def test_check_writes_nothing(in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    report = check()
    assert report.exit_code == 0
    assert [r.path for r in report.results] == [Path("projects/a.yaml")]
    assert not (in_tmp / "output").exists()


def test_stale_temp_files_of_a_killed_build_are_cleared(write, tmp_path):
    from test_output import finished_pid, temp_of

    write("projects/a.yaml", GOOD_PROJECT)
    out = tmp_path / "output"
    temp_of(out, finished_pid())
    build([tmp_path / "projects"], BuildOptions(out_dir=out))
    assert sorted(p.name for p in out.iterdir()) == [STATE_FILE, "a.docx"]


def test_a_build_compiles_each_template_once(tmp_path, compiled_forms):
    report = build([SAMPLES], BuildOptions(out_dir=tmp_path))
    assert len(report.built) == 33
    assert sorted(compiled_forms) == ["绩效目标申报表", "绩效目标表"]


def test_progress_is_called_once_per_project_in_path_order(write, tmp_path):
    write("projects/b.yaml", good_project("乙"))
    write("projects/a.yaml", good_project("甲"))
    write("projects/c.yaml", good_project("丙").replace("财政资金: 3082.53", "财政资金: -1"))
    seen = []

    def progress(result, done, total):
        seen.append((result.path.name, result.built, done, total))

    build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"), progress=progress)
    assert seen == [("a.yaml", True, 1, 3), ("b.yaml", True, 2, 3), ("c.yaml", False, 3, 3)]


def test_check_compares_projects_with_each_other(write, tmp_path):
    write("projects/a.yaml", good_project("甲"))
    copied = good_project("乙").replace("乙", "甲").replace("项目名称: 甲", "项目名称: 乙")
    write("projects/b.yaml", copied)
    report = check([tmp_path / "projects"])
    assert [(f.file.name, f.line, f.code) for f in report.findings] == [
        ("b.yaml", 18, "duplicate-goal"),
        ("b.yaml", 19, "duplicate-goal"),
        ("b.yaml", 22, "duplicate-indicators"),
    ]
    assert report.findings[0].message == (
        f"项目总目标与 {(tmp_path / 'projects/a.yaml').as_posix()}:18 的项目总目标完全相同；"
        "请按本项目实际情况改写"
    )


def test_build_reports_the_same_copies_as_check(write, tmp_path):
    write("projects/a.yaml", good_project("甲"))
    write("projects/b.yaml", good_project("甲").replace("项目名称: 甲", "项目名称: 乙"))
    checked = check([tmp_path / "projects"]).findings
    built = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out")).findings
    rebuilt = build(
        [tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out")
    ).findings  # from the state
    assert [f.code for f in checked] == ["duplicate-goal", "duplicate-goal", "duplicate-indicators"]
    assert built == checked == rebuilt


def test_an_output_that_is_a_file_is_a_usage_error(write, tmp_path):
    write("projects/a.yaml", GOOD_PROJECT)
    (tmp_path / "afile").write_text("")
    with pytest.raises(UsageError) as raised:
        build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "afile"))
    where = (tmp_path / "afile").as_posix()
    assert (
        raised.value.message == f"输出位置 {where} 是一个文件，不是文件夹；请用 -o 指定一个文件夹"
    )


def _case_sensitive() -> bool:
    """Whether the temp folder's file system tells A.yaml from a.yaml (Linux: yes)."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "a").touch()
        return not (Path(folder) / "A").exists()


# two project files named alike but for case are one file on Windows and macOS: no clash to make
case_sensitive = pytest.mark.skipif(
    not _case_sensitive(), reason="this file system does not tell A.yaml from a.yaml"
)


@case_sensitive
def test_forms_that_differ_only_in_letter_case_clash(in_tmp, write):
    write("projects/Ping/a.yaml", good_project("甲"))
    write("projects/ping/A.yaml", good_project("乙"))
    write("projects/ping/b.yaml", good_project("丙"))
    report = build([Path("projects")], BuildOptions(jobs=1))
    (finding,) = report.findings
    assert str(finding) == (
        "projects/ping/A.yaml: 生成的 output/ping/A.docx 与 projects/Ping/a.yaml 生成的"
        " output/Ping/a.docx 只差字母大小写，在 Windows 和 macOS 上是同一个文件；请给其中一个改名"
    )
    assert report.exit_code == 1
    assert sorted(p.relative_to(in_tmp).as_posix() for p in in_tmp.glob("output/*/*.docx")) == [
        "output/Ping/a.docx",
        "output/ping/b.docx",
    ]


@case_sensitive
def test_gen_check_reports_the_clash_a_build_would_meet(in_tmp, write):
    write("projects/Ping/a.yaml", good_project("甲"))
    write("projects/ping/A.yaml", good_project("乙"))
    report = check([Path("projects")])
    (finding,) = report.findings
    assert str(finding) == (
        "projects/ping/A.yaml: 生成的 output/ping/A.docx 与 projects/Ping/a.yaml 生成的"
        " output/Ping/a.docx 只差字母大小写，在 Windows 和 macOS 上是同一个文件；请给其中一个改名"
    )
    assert report.exit_code == 1 and not Path("output").exists()


# names Windows cannot hold: a repository with one cannot be checked out there
windows_only_names = pytest.mark.skipif(
    sys.platform == "win32", reason="Windows cannot make such a file to check"
)


@windows_only_names
def test_names_windows_refuses_fail_their_project_saying_why(in_tmp, write):
    write("projects/平安办/a:b.yaml", good_project("甲"))
    write("projects/平安办/CON.yaml", good_project("乙"))
    write("projects/办公室./c.yaml", good_project("丙"))
    write("projects/平安办/d.yaml", good_project("丁"))
    report = build([Path("projects")], BuildOptions(jobs=1))
    assert sorted(str(f) for f in report.findings) == [
        "projects/办公室./c.yaml: 文件夹名“办公室.”在 Windows 上不能用：以句点结尾；请给它改名"
        "（否则在 Windows 电脑上无法检出、复制它和它的表格）",
        "projects/平安办/CON.yaml: 文件名“CON.yaml”在 Windows 上不能用：“CON”是留给设备的名字；"
        "请给它改名（否则在 Windows 电脑上无法检出、复制它和它的表格）",
        "projects/平安办/a:b.yaml: 文件名“a:b.yaml”在 Windows 上不能用：含有字符“:”；"
        "请给它改名（否则在 Windows 电脑上无法检出、复制它和它的表格）",
    ]
    assert report.exit_code == 1
    assert [p.as_posix() for p in Path("output").rglob("*.docx")] == ["output/平安办/d.docx"]


def test_a_name_windows_takes_with_its_spaces_and_dots_inside_passes(in_tmp, write):
    write("projects/平安办/a .b.yaml", good_project("甲"))  # Windows trims only the name's end
    write("projects/平安办/console.yaml", good_project("乙"))  # CON only as the whole stem
    assert check([Path("projects")]).findings == []


def test_a_project_named_twice_is_one_project(in_tmp, write):
    write("projects/平安办/a.yaml", good_project("甲"))
    write("projects/b.yaml", good_project("乙"))
    for paths in (["projects", "projects"], ["projects", "projects/平安办"]):
        report = check([Path(p) for p in paths])
        assert (len(report.results), report.findings) == (2, []), paths
    built = build([Path("projects"), Path("projects/平安办/a.yaml")], BuildOptions(jobs=1))
    assert (len(built.results), built.exit_code) == (2, 0)


def test_two_roots_writing_the_same_form_clash(in_tmp, write):
    write("a/社工.yaml", good_project("甲"))
    write("b/社工.yaml", good_project("乙"))
    (finding,) = build([Path("a"), Path("b")], BuildOptions(jobs=1)).findings
    assert (
        str(finding)
        == "b/社工.yaml: 与 a/社工.yaml 生成同一个文件 output/社工.docx；请给其中一个改名"
    )
