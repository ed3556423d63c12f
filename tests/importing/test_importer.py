"""gen import as a command: existing files kept unless --force, shared values into _defaults.yaml."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from handmade import (
    TICKED,
    TITLE,
    document_xml,
    good_form,
    imported,
    leaf,
    make_docx,
    money_rows,
    normalised,
    target_docx,
    target_form_with,
    tc,
)

from gen.cli import main
from gen.errors import shown
from gen.importing.importer import import_forms

# ---------------------------------------------------------------- --force, --defaults, YAML


def test_existing_yaml_is_kept_unless_force(tmp_path):
    source = good_form(tmp_path)
    target = tmp_path / "out" / "普法.yaml"
    target.parent.mkdir()
    target.write_text("# mine\n", encoding="utf-8")
    result = import_forms([source], tmp_path / "out")
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert [(p.file, p.code) for p in result.problems] == [(target, "exists")]
    assert result.check is None
    result = import_forms([source], tmp_path / "out", force=True)
    assert result.problems == [] and imported(target)["项目名称"] == "普法"


def test_defaults_hold_what_every_form_of_a_folder_shares(tmp_path):
    folder = tmp_path / "in" / "司法所"
    target_docx(folder / "普法.docx", name="普法")
    lawsuits = [
        leaf(tc("产出指标"), "数量指标", "代理案件数", "12件"),
        leaf(tc("效益指标"), "社会效益指标", "合法权益", "得到维护"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "当事人满意度", "≥90%"),
    ]
    target_docx(folder / "诉讼.docx", name="诉讼", indicators=lawsuits)
    result = import_forms([tmp_path / "in"], tmp_path / "out", defaults=True)
    defaults = tmp_path / "out" / "司法所" / "_defaults.yaml"
    assert result.defaults == [defaults]
    assert imported(defaults) == {
        "表样": "绩效目标表",
        "年度": 2026,
        "主管部门": "浦江镇人民政府",
        "实施单位": "浦江镇司法所",
        "计划开始日期": date(2026, 1, 1),
        "计划完成日期": date(2026, 12, 31),
        "格式": {"日期格式": "YYYY年M月D日", "金额小数位": 0},
    }
    project = imported(tmp_path / "out" / "司法所" / "普法.yaml")
    assert list(project)[:2] == ["项目名称", "项目类别"] and "格式" not in project
    assert normalised(tmp_path / "out" / "司法所" / "普法.yaml")["主管部门"] == "浦江镇人民政府"
    assert result.check.findings == []


def _two_forms_for(tmp_path: Path, unit: str) -> Path:
    """普法 and 诉讼 as Word files in in/<unit>/, and the folder projects/<unit>/ they import to."""
    for name in ("普法", "诉讼"):
        target_docx(tmp_path / "in" / unit / f"{name}.docx", name=name)
    out = tmp_path / "projects" / unit
    out.mkdir(parents=True)
    return out


def test_defaults_other_projects_read_are_never_written_even_with_force(tmp_path):
    # 司法所's two forms imported into a folder whose own projects share its _defaults.yaml
    out = _two_forms_for(tmp_path, "平安办")
    theirs = "实施单位: 浦江镇平安办\n格式:\n  零值: '0'\n"
    (out / "_defaults.yaml").write_text(theirs, encoding="utf-8")
    (out / "安保.yaml").write_text("项目名称: 安保\n", encoding="utf-8")
    result = import_forms([tmp_path / "in"], tmp_path / "projects", defaults=True, force=True)
    assert (out / "_defaults.yaml").read_text(encoding="utf-8") == theirs
    assert result.defaults == [] and result.problems == []
    (note,) = [f for f in result.notes if f.code == "defaults-kept"]
    assert str(note) == (
        f"{shown(out / '_defaults.yaml')}: 警告: 没有写入 _defaults.yaml：{shown(out)} 下还有 1 个"
        f"别的项目文件（如 {shown(out / '安保.yaml')}），它们也读这个文件，改了会改变它们的表格；"
        "导入的项目把各自的内容全部写在自己的文件里"
    )
    for name in ("普法", "诉讼"):  # each keeps its own 实施单位 over the folder's
        assert imported(out / f"{name}.yaml")["实施单位"] == "浦江镇司法所"
        assert normalised(out / f"{name}.yaml")["实施单位"] == "浦江镇司法所"


def test_no_defaults_beside_a_project_file_the_import_keeps(tmp_path):
    out = _two_forms_for(tmp_path, "司法所")
    (out / "普法.yaml").write_text("项目名称: 普法\n", encoding="utf-8")  # kept: no --force
    result = import_forms([tmp_path / "in"], tmp_path / "projects", defaults=True)
    assert not (out / "_defaults.yaml").exists() and result.defaults == []
    assert [f.code for f in result.notes] == ["defaults-kept"]


def test_importing_a_folder_and_its_subfolder_again_with_force_gives_the_same(tmp_path):
    for name in ("普法", "诉讼"):
        target_docx(tmp_path / "in" / f"{name}.docx", name=name)
        target_docx(tmp_path / "in" / "下级" / f"{name}.docx", name=name)
    out = tmp_path / "projects"
    first = import_forms([tmp_path / "in"], out, defaults=True)
    written = {p: p.read_bytes() for p in out.rglob("*.yaml")}
    again = import_forms([tmp_path / "in"], out, defaults=True, force=True)
    assert again.defaults == first.defaults != [] and again.notes == first.notes
    assert {p: p.read_bytes() for p in out.rglob("*.yaml")} == written


def test_defaults_above_the_output_do_not_change_imported_values(tmp_path):
    out = tmp_path / "projects"
    out.mkdir()
    (out / "_defaults.yaml").write_text(
        "项目期间: 2020-2030\n格式:\n  日期格式: YYYY-M-D\n", encoding="utf-8"
    )
    import_forms([good_form(tmp_path)], out)
    doc = normalised(out / "普法.yaml")
    assert doc["项目期间"] == (2026, 2026)
    assert doc["格式"]["日期格式"] == "YYYY年M月D日"


def test_a_temp_left_by_a_killed_import_is_cleared_on_the_next(tmp_path):
    from test_output import finished_pid, temp_of

    source = good_form(tmp_path)
    stale = temp_of(tmp_path / "out", finished_pid())
    import_forms([source], tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["普法.yaml"]
    assert not stale.exists()


# ---------------------------------------------------------------- the closing line


def test_the_closing_line_counts_the_imports_own_warnings(tmp_path, runner, monkeypatch):
    """Each warning of the import is printed and counted apart from the check's findings."""
    dated = document_xml(*TITLE, target_form_with(TICKED, name="普法"))
    dated = dated.replace(">2026年1月1日<", ">二〇二六年一月一日<")
    make_docx(tmp_path / "旧表" / "普法.docx", dated)
    unsure = [
        leaf(tc("产出指标"), "数量指标", "调解次数", "40次"),
        leaf(tc("效益指标"), "社会效益指标", "矛盾化解", "有效"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "满意"),
    ]
    bare = money_rows("10", "10", "10", "10", label="项目资金")
    form = target_form_with(TICKED, name="人民调解", indicators=unsure, money=bare)
    make_docx(tmp_path / "旧表" / "人民调解.docx", document_xml(*TITLE, form))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表", "-o", "projects"])
    assert result.exit_code == 0, result.output
    warnings = [line.split(": 警告: ")[0] for line in result.stdout.splitlines() if "警告" in line]
    assert warnings == [
        "旧表/普法.docx",  # its dates, in Chinese numerals
        "旧表/人民调解.docx",  # no amount unit stated
        "projects/人民调解.yaml:27: 绩效指标.满意度指标.服务对象满意度指标.群众满意度",
    ]
    assert result.stderr.splitlines()[-1] == (
        "已导入 2 个表格，无法导入的文件 0 个，未覆盖 0 个，导入警告 2 条；检查：错误 0 条，警告 1 条"
    )
