"""Speed features of build(): parallel output, incremental skips, lazy imports, the fast render path."""

from __future__ import annotations

import concurrent.futures
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jinja2
import pytest
from conftest import GOOD_PROJECT, REPO, SAMPLES, built_with_pdf, good_project
from lxml import etree

from gen import plan, workers
from gen.balance import FILTER, balancing_indent, prepare
from gen.build import BuildOptions, build, check
from gen.docxtpl_tags import GroupMergeTemplate
from gen.model import TEXT_FIELDS, project_from, render_context
from gen.render import Renderer
from gen.state import STATE_FILE

TEMPLATES = REPO / "templates"


def forms(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.docx"))}


@pytest.fixture
def many(write, tmp_path):
    """Enough projects for a process pool, two of them sharing goals (a finding across projects)."""
    for index in range(workers.PARALLEL_MIN + 5):
        write(f"projects/单位{index % 3}/项目{index:03d}.yaml", good_project(f"项目{index:03d}"))
    write("projects/单位1/抄的.yaml", GOOD_PROJECT.replace("项目名称: 社工", "项目名称: 抄的"))
    write("projects/单位0/社工.yaml", GOOD_PROJECT)
    return tmp_path / "projects"


# ---------------------------------------------------------------- parallel


def test_two_jobs_write_the_same_bytes_and_findings_as_one(many, tmp_path):
    calls: dict[int, list[Path]] = {1: [], 2: []}
    one = build(
        [many],
        BuildOptions(out_dir=tmp_path / "j1", jobs=1),
        progress=lambda r, *_: calls[1].append(r.path),
    )
    two = build(
        [many],
        BuildOptions(out_dir=tmp_path / "j2", jobs=2),
        progress=lambda r, *_: calls[2].append(r.path),
    )
    assert forms(tmp_path / "j1") == forms(tmp_path / "j2")
    assert len(forms(tmp_path / "j1")) == len(one.built) == workers.PARALLEL_MIN + 7
    assert [str(f) for f in one.findings] == [str(f) for f in two.findings]
    assert {f.code for f in two.findings} == {"duplicate-goal", "duplicate-indicators"}
    assert calls[1] == calls[2] == sorted(calls[1], key=lambda p: p.as_posix())


def test_one_job_starts_no_process_pool(many, tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert (
        len(build([many], BuildOptions(out_dir=tmp_path / "out", jobs=1)).built)
        > workers.PARALLEL_MIN
    )


def test_a_handful_of_projects_starts_no_process_pool(write, tmp_path, monkeypatch):
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", None)  # calling it would fail
    write("projects/a.yaml", GOOD_PROJECT)
    assert (
        len(build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out", jobs=8)).built)
        == 1
    )


def test_a_template_error_in_processes_fails_each_project(many, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("绩效目标表.docx", "绩效目标申报表.docx"):
        (broken / name).write_bytes(b"not a zip")
    report = build([many], BuildOptions(out_dir=tmp_path / "out", templates=broken, jobs=2))
    assert report.built == [] and len(report.failed) == len(report.results)
    assert {f.code for r in report.results for f in r.errors} == {"template-failed"}
    assert report.problem_lines() == [  # said once for the template, not once per project
        f"模板文件 {(broken / '绩效目标表.docx').as_posix()} 不是有效的 Word 文档（.docx），"
        "可能已损坏；请在 Word 中打开它另存为 .docx，或换回 gen 自带的模板；"
        f"{len(report.results)} 个项目因此没有生成"
    ]


# ---------------------------------------------------------------- incremental


@pytest.fixture
def project_tree(write, tmp_path):
    write("projects/_defaults.yaml", "年度: 2026\n")
    write("projects/单位/_defaults.yaml", "主管部门: 浦江镇人民政府\n")
    write("projects/单位/a.yaml", good_project("甲"))
    write("projects/单位/b.yaml", good_project("乙"))
    write("projects/c.yaml", good_project("丙"))
    return tmp_path / "projects"


def names(results) -> list[str]:
    return [r.path.name for r in results]


def test_an_unchanged_build_skips_every_project(project_tree, tmp_path):
    out = tmp_path / "out"
    first = build([project_tree], BuildOptions(out_dir=out))
    before = forms(out)
    again = build([project_tree], BuildOptions(out_dir=out))
    assert names(first.built) == ["c.yaml", "a.yaml", "b.yaml"]
    assert again.built == [] and names(again.skipped) == ["c.yaml", "a.yaml", "b.yaml"]
    assert forms(out) == before
    assert again.exit_code == 0


def test_a_build_reads_each_project_file_once(project_tree, tmp_path, monkeypatch):
    """The bytes hashed for the state are the bytes checked and rendered: no second reading."""
    opened: list[str] = []

    def counting(real):
        def opening(path, *args, **kwargs):
            if str(path).endswith(".yaml"):
                opened.append(Path(path).relative_to(project_tree).as_posix())
            return real(path, *args, **kwargs)

        return opening

    monkeypatch.setattr(os, "open", counting(os.open))
    monkeypatch.setattr(io, "open", counting(io.open))
    build([project_tree], BuildOptions(out_dir=tmp_path / "out", jobs=1))
    assert sorted(name for name in opened if not name.endswith("_defaults.yaml")) == [
        "c.yaml",
        "单位/a.yaml",
        "单位/b.yaml",
    ]


def test_findings_of_skipped_projects_are_still_reported(project_tree, tmp_path, write):
    write("projects/单位/b.yaml", GOOD_PROJECT.replace("社工数量: 118人", "社工数量: 很多"))
    write("projects/单位/d.yaml", GOOD_PROJECT.replace("项目名称: 社工", "项目名称: 丁"))
    out = tmp_path / "out"
    first = build([project_tree], BuildOptions(out_dir=out))
    again = build([project_tree], BuildOptions(out_dir=out))
    assert [str(f) for f in again.findings] == [str(f) for f in first.findings]
    assert {f.code for f in again.findings} >= {"quantity-no-number", "duplicate-goal"}
    assert names(again.skipped) == names(first.built)


def test_editing_a_project_rebuilds_only_that_one(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    path = project_tree / "单位" / "a.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("118人", "119人"), encoding="utf-8")
    again = build([project_tree], BuildOptions(out_dir=out))
    assert names(again.built) == ["a.yaml"]
    assert names(again.skipped) == ["c.yaml", "b.yaml"]


def test_editing_a_defaults_file_rebuilds_the_projects_below_it(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    (project_tree / "单位" / "_defaults.yaml").write_text(
        "主管部门: 浦江镇政府\n", encoding="utf-8"
    )
    assert names(build([project_tree], BuildOptions(out_dir=out)).built) == ["a.yaml", "b.yaml"]
    (project_tree / "_defaults.yaml").write_text("年度: 2026 # 全部\n", encoding="utf-8")
    assert names(build([project_tree], BuildOptions(out_dir=out)).built) == [
        "c.yaml",
        "a.yaml",
        "b.yaml",
    ]


def test_a_new_defaults_file_rebuilds_the_projects_below_it(project_tree, tmp_path, write):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    write("projects/单位/子/_defaults.yaml", "年度: 2026\n")
    write(
        "projects/单位/_defaults.yaml",
        "主管部门: 浦江镇人民政府\n实施单位: 浦江镇社区党群服务中心\n",
    )
    assert names(build([project_tree], BuildOptions(out_dir=out)).built) == ["a.yaml", "b.yaml"]


def test_a_changed_template_rebuilds_the_projects_of_its_form(project_tree, tmp_path, write):
    write("projects/单位/申报.yaml", _application())
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("绩效目标表.docx", "绩效目标申报表.docx"):
        (templates / name).write_bytes((TEMPLATES / name).read_bytes())
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out, templates=templates))
    table = templates / "绩效目标申报表.docx"
    with zipfile.ZipFile(table, "a") as package:
        package.writestr("customXml/note.xml", "<note/>")
    again = build([project_tree], BuildOptions(out_dir=out, templates=templates))
    assert names(again.built) == ["申报.yaml"]
    assert len(again.skipped) == 3


def _application() -> str:
    return (
        good_project("申报")
        .replace("表样: 绩效目标表", "表样: 绩效目标申报表\n项目性质: 经常性项目")
        .replace("项目类别: 经常性项目", "项目类别: 运转类项目")
    )


def test_a_new_tool_version_or_output_option_rebuilds_everything(
    project_tree, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    monkeypatch.setattr("gen.state.__version__", "99.0")
    assert len(build([project_tree], BuildOptions(out_dir=out)).built) == 3
    monkeypatch.setattr(plan, "OUTPUT_OPTIONS", {"纸张": "A3"})
    assert len(build([project_tree], BuildOptions(out_dir=out)).built) == 3
    assert len(build([project_tree], BuildOptions(out_dir=out)).skipped) == 3


def test_force_rebuilds_unchanged_projects(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    assert len(build([project_tree], BuildOptions(out_dir=out, force=True)).built) == 3


def test_a_form_deleted_or_changed_by_hand_is_rebuilt(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    good = (out / "c.docx").read_bytes()
    (out / "c.docx").unlink()
    (out / "单位" / "a.docx").write_bytes(b"edited in Word")
    again = build([project_tree], BuildOptions(out_dir=out))
    assert names(again.built) == ["c.yaml", "a.yaml"]
    assert (out / "c.docx").read_bytes() == good


def test_a_corrupt_or_missing_state_means_a_full_build(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    (out / STATE_FILE).write_text('{"format": 1, "forms": {"c.docx": {"inp', encoding="utf-8")
    assert len(build([project_tree], BuildOptions(out_dir=out)).built) == 3
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    state["forms"]["c.docx"] = 7
    (out / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
    assert names(build([project_tree], BuildOptions(out_dir=out)).built) == ["c.yaml"]
    (out / STATE_FILE).unlink()
    assert len(build([project_tree], BuildOptions(out_dir=out)).built) == 3


@pytest.mark.parametrize("folder", [False, True])  # a folder of the project's name is no project
def test_forms_of_deleted_projects_are_stale_until_cleaned(project_tree, tmp_path, folder):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    (project_tree / "单位" / "b.yaml").unlink()
    if folder:
        (project_tree / "单位" / "b.yaml").mkdir()
    report = build([project_tree], BuildOptions(out_dir=out))
    assert report.stale == [out / "单位" / "b.docx"] and not report.cleaned
    assert (out / "单位" / "b.docx").exists()
    cleaned = build([project_tree], BuildOptions(out_dir=out, clean=True))
    assert cleaned.stale == [out / "单位" / "b.docx"] and cleaned.cleaned
    assert not (out / "单位" / "b.docx").exists()
    assert build([project_tree], BuildOptions(out_dir=out)).stale == []


def test_clean_removes_the_folders_it_empties_and_no_other(project_tree, tmp_path):
    out = tmp_path / "out"
    (project_tree / "单位" / "子").mkdir()
    (project_tree / "单位" / "b.yaml").rename(project_tree / "单位" / "子" / "b.yaml")
    build([project_tree], BuildOptions(out_dir=out))
    (out / "空").mkdir()  # the user's own, empty
    (project_tree / "单位" / "子").rename(project_tree / "单位" / "子2")  # a folder renamed
    build([project_tree], BuildOptions(out_dir=out, clean=True))
    assert not (out / "单位" / "子").exists()
    assert (out / "单位" / "子2" / "b.docx").exists() and (out / "空").is_dir()


def test_clean_counts_the_pdfs_it_deletes_as_it_counts_forms(runner, in_tmp, write):
    from gen.cli import main

    for name in ("甲", "乙", "丙"):
        write(f"projects/{name}.yaml", good_project(name))
    assert runner.invoke(main, ["build", "projects"]).exit_code == 0
    for name in ("乙", "丙"):
        (in_tmp / f"output/{name}.pdf").write_bytes(b"%PDF-1.4 made by gen build --pdf")
        (in_tmp / f"projects/{name}.yaml").unlink()
    (in_tmp / "output/丙.docx").unlink()  # by hand: its PDF is left
    result = runner.invoke(main, ["build", "projects"])
    assert result.stderr.endswith(
        "；1 个旧表格和 2 个旧 PDF 的项目文件已不存在（加 --clean 删除）\n"
    )  # what --clean then removes
    result = runner.invoke(main, ["build", "projects", "--clean"])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(
        "；已删除 1 个项目文件已不存在的旧表格；已删除 2 个项目文件已不存在的旧 PDF\n"
    )
    assert sorted(p.name for p in (in_tmp / "output").glob("*.*")) == [".gen-state.json", "甲.docx"]


def test_clean_removes_the_pdf_left_of_a_form_deleted_by_hand(runner, in_tmp, write):
    from gen.cli import main

    out = built_with_pdf(runner, write, in_tmp, "乙")
    (out / "乙.docx").unlink()
    (out / "乙.xlsx").write_bytes(b"the user's own")  # not a PDF gen makes: never touched
    (out / "丙.pdf").write_bytes(b"%PDF-1.4 of no form gen recorded")
    (in_tmp / "projects/乙.yaml").unlink()
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith("；1 个旧 PDF 的项目文件已不存在（加 --clean 删除）\n")
    assert (out / "乙.pdf").exists()
    result = runner.invoke(main, ["build", "projects", "--clean"])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(" 秒；已删除 1 个项目文件已不存在的旧 PDF\n")
    assert sorted(p.name for p in out.glob("*.*")) == [
        ".gen-state.json",
        "丙.pdf",
        "乙.xlsx",
        "甲.docx",
    ]
    assert "乙.docx" not in (out / STATE_FILE).read_text(encoding="utf-8")


def test_a_stale_pdf_held_open_is_removed_by_the_next_clean(runner, in_tmp, write, monkeypatch):
    from conftest import held_open

    from gen.cli import main

    out = built_with_pdf(runner, write, in_tmp, "乙")
    (in_tmp / "projects/乙.yaml").unlink()
    with monkeypatch.context() as patch:
        patch.setattr(os, "unlink", held_open("乙.pdf")[1])
        result = runner.invoke(main, ["build", "projects", "--clean"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "错误：无法删除 output/乙.pdf：文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成\n"
    )
    assert result.stderr.endswith("；已删除 1 个项目文件已不存在的旧表格\n")
    assert (out / "乙.pdf").exists() and not (out / "乙.docx").exists()
    result = runner.invoke(main, ["build", "projects", "--clean"])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith("；已删除 1 个项目文件已不存在的旧 PDF\n")
    assert sorted(p.name for p in out.glob("*.*")) == [".gen-state.json", "甲.docx"]


def test_building_one_folder_leaves_the_other_forms_alone(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree / "单位"], BuildOptions(out_dir=out))
    build([project_tree / "c.yaml"], BuildOptions(out_dir=out))
    report = build([project_tree / "单位"], BuildOptions(out_dir=out, clean=True))
    assert report.stale == [] and names(report.skipped) == ["a.yaml", "b.yaml"]
    assert sorted(p.name for p in out.iterdir()) == [STATE_FILE, "c.docx", "单位"]
    assert sorted(p.name for p in (out / "单位").iterdir()) == ["a.docx", "b.docx"]


def test_a_project_that_now_fails_loses_its_form_and_stays_failed(project_tree, tmp_path):
    out = tmp_path / "out"
    build([project_tree], BuildOptions(out_dir=out))
    path = project_tree / "c.yaml"
    path.write_text(GOOD_PROJECT.replace("财政资金: 3082.53", "财政资金: 三千"), encoding="utf-8")
    for _ in range(2):
        report = build([project_tree], BuildOptions(out_dir=out))
        assert names(report.failed) == ["c.yaml"] and not (out / "c.docx").exists()


def test_the_summary_line_counts_unchanged_projects(runner, in_tmp, write):
    from gen.cli import main

    write("projects/a.yaml", GOOD_PROJECT)
    runner.invoke(main, ["build", "-q"])
    result = runner.invoke(main, ["build", "-j", "1"])
    assert result.exit_code == 0
    assert "已生成 0 个，失败 0 个，有警告 0 个，未变 1 个" in result.stderr
    (in_tmp / "projects" / "a.yaml").unlink()
    result = runner.invoke(main, ["build", "--clean"])
    assert result.exit_code == 2  # no project left: a usage error, nothing is removed
    write("projects/b.yaml", good_project("乙"))
    result = runner.invoke(main, ["build"])
    assert "1 个旧表格的项目文件已不存在（加 --clean 删除）" in result.stderr
    result = runner.invoke(main, ["build", "--clean", "--force"])
    assert "已删除 1 个项目文件已不存在的旧表格" in result.stderr
    assert sorted(p.name for p in (in_tmp / "output").iterdir()) == [STATE_FILE, "b.docx"]


# ---------------------------------------------------------------- lazy imports

WORD = ("docxtpl", "lxml", "docx", "jinja2")
PROCESSES = ("multiprocessing", "concurrent.futures")
CHECKING = ("yaml", "cerberus", "json")
PROBE = """
import sys
from gen.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def loaded(args: list[str], heavy: tuple[str, ...], folder: Path) -> subprocess.CompletedProcess:
    """Run gen with `args` in `folder`; its stdout ends with the `heavy` modules it loaded."""
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=heavy), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.parametrize(
    ("args", "heavy"),
    [(["--help"], WORD + PROCESSES + CHECKING), (["check", "a.yaml"], WORD + PROCESSES)],
)
def test_help_and_check_import_only_what_they_use(args, heavy, tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    done = loaded(args, heavy, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "LOADED:"


def test_a_build_with_nothing_to_render_loads_no_word_library(in_tmp):
    (in_tmp / "projects").mkdir()
    (in_tmp / "projects" / "a.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    assert len(build([Path("projects")], BuildOptions(templates=TEMPLATES)).built) == 1
    done = loaded(["build", "projects", "--templates", str(TEMPLATES)], WORD + PROCESSES, in_tmp)
    assert "未变 1 个" in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "LOADED:"


def test_a_build_without_pdf_loads_no_pdf_code(in_tmp):
    (in_tmp / "projects").mkdir()
    (in_tmp / "projects" / "a.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    heavy = ("gen.delivery.pdf", "gen.libreoffice", "subprocess")
    done = loaded(["build", "projects", "--templates", str(TEMPLATES)], heavy, in_tmp)
    assert "已生成 1 个" in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "LOADED:"


# ---------------------------------------------------------------- fast path = plain docxtpl


DOCUMENT = "word/document.xml"


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def plain_docxtpl(template_file: Path, context: dict) -> bytes:
    """The docxtpl way: one DocxTemplate per document, rendered with the same patch, then saved.

    Its title is made a placeholder, as the fast path sets the project name as the title.
    """
    template = GroupMergeTemplate(template_file)
    template.init_docx()
    template.docx.core_properties.title = "{{ 项目名称 }}"
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters[FILTER] = balancing_indent
    template.render(context, env)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def prepared_template(form: str, folder: Path) -> tuple[Path, tuple]:
    """A copy of a template whose cells are prepared for balanced lines, as the fast path
    prepares them when it compiles the template; and those cells."""
    source = TEMPLATES / f"{form}.docx"
    copy = folder / source.name
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(copy, "w") as out:
        root = etree.fromstring(package.read(DOCUMENT))
        cells = prepare(root, package.read("word/styles.xml"), TEXT_FIELDS)
        for item in package.infolist():
            data = package.read(item)
            if item.filename == DOCUMENT:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(item, data)
    return copy, cells


def sorted_children(xml: bytes) -> list[bytes]:
    """[Content_Types].xml as a set of entries: their order means nothing in a package."""
    return sorted(etree.tostring(child, method="c14n") for child in etree.fromstring(xml))


def without_empty_elements(xml: bytes) -> bytes:
    """core.xml minus the empty properties docxtpl writes for every property it renders."""
    root = etree.fromstring(xml)
    for element in list(root):
        if not (element.text or len(element)):
            root.remove(element)
    return etree.tostring(root, method="c14n")


def test_the_fast_path_gives_the_same_document_as_plain_docxtpl(tmp_path):
    """docxtpl's document from the template prepared for balanced lines (gen.balance)."""
    renderer = Renderer(TEMPLATES)
    report = check([SAMPLES])
    assert len(report.results) == 33
    templates = {
        form: prepared_template(form, tmp_path) for form in ("绩效目标表", "绩效目标申报表")
    }
    balanced_forms = 0
    for result in report.results:
        project = project_from(result.doc)
        context = render_context(project)
        fast = parts(renderer.render(project.form, context))
        template, cells = templates[project.form]
        plain = parts(plain_docxtpl(template, context))
        balanced_forms += any(balancing_indent(context.get(c.field), c.room, c.em) for c in cells)
        assert fast.keys() == plain.keys(), result.path
        for name in fast.keys() - {"[Content_Types].xml", "docProps/core.xml"}:
            assert canonical(fast[name]) == canonical(plain[name]), (result.path, name)
        types = "[Content_Types].xml"
        assert sorted_children(fast[types]) == sorted_children(plain[types])
        core = "docProps/core.xml"
        assert canonical(fast[core]) == without_empty_elements(plain[core])
    assert balanced_forms == 3  # 社区矫正安置帮教 and two more names


def test_the_fast_path_fixes_the_title_and_writes_no_timestamps():
    renderer = Renderer(TEMPLATES)
    project = project_from(check([SAMPLES / "党群服务中心" / "社工.yaml"]).results[0].doc)
    core = parts(renderer.render(project.form, render_context(project)))["docProps/core.xml"]
    root = etree.fromstring(core)
    assert [(etree.QName(e).localname, e.text) for e in root] == [
        ("title", "社工"),
        ("creator", "gen"),
    ]


def test_the_zip_writer_matches_zipfile_byte_for_byte():
    from gen.ooxml import DEFLATE_LEVEL, ZIP_DATE, zip_member, zip_package

    members = [("[Content_Types].xml", b"<x/>" * 50), ("word/媒体.xml", "中文".encode() * 99)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in [*members, ("empty", b"")]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            package.writestr(info, data, compresslevel=DEFLATE_LEVEL)
    mine = zip_package([zip_member(n, d) for n, d in [*members, ("empty", b"")]])
    assert mine == buffer.getvalue()
