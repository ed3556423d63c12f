"""The redline: the changed forms with Word's tracked changes; accepting them all gives the new
forms cell for cell, rejecting them all the old ones, merges stay valid, LibreOffice sees them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GOOD_PROJECT, REPO, SAMPLES, good_project
from docx_grid import docx_paragraphs, docx_part, docx_tables
from lxml import etree
from scenario import change_everything, sample_repository
from word_revisions import accept_all, canonical, merge_problems, merged_grid, reject_all, w

from gen.build import BuildOptions, build
from gen.cli import main
from gen.delivery.book import compose_documents
from gen.errors import GenError
from gen.review.diff import diff

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)

# The projects whose form changed, in path order (普法 was only renamed: its form is the same).
NEW_FORMS = ["人才办/人才新项目", "信访办/信访代理员经费", "信访办/劝导队经费", "平安办/安保经费", "平安办/社工点经费"]  # fmt: skip
OLD_FORMS = ["人才办/人才活动", "信访办/信访代理员经费", "信访办/劝导队经费", "平安办/安保经费", "平安办/社工点经费"]  # fmt: skip


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The sample repository with every change in its working tree; the redline of it, and the
    forms gen build makes of the old and the new version."""
    root = tmp_path_factory.mktemp("redline")
    repo = sample_repository(root / "repo")
    change_everything(repo)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(repo)
        result = CliRunner().invoke(main, ["diff", "--docx", "修订稿.docx"])
        again = CliRunner().invoke(main, ["diff", "--docx", "again.docx"])
    assert result.exit_code == 0, result.output
    assert again.exit_code == 0, again.output
    old = build([SAMPLES], BuildOptions(out_dir=root / "old"))
    new = build([repo / "projects"], BuildOptions(out_dir=root / "new"))
    assert not old.failed and not new.failed
    return {
        "repo": repo,
        "result": result,
        "redline": (repo / "修订稿.docx").read_bytes(),
        "again": (repo / "again.docx").read_bytes(),
        "old_book": _joined([root / "old" / f"{n}.docx" for n in OLD_FORMS]),
        "new_book": _joined([root / "new" / f"{n}.docx" for n in NEW_FORMS]),
    }


def _joined(forms: list[Path]) -> bytes:
    """The forms joined as the redline joins them, each starting on a new page (where sections
    end is not compared: see test_a_value_printed_in_a_page_header_or_footer_is_a_tracked_change_there)."""
    import docx

    documents = (docx.Document(str(form)) for form in forms)
    return compose_documents(documents, title="修订稿", own_sections=False)


def _book(forms: list[Path]) -> etree._Element:
    """The forms joined as the redline joins them, the document part."""
    return docx_part(_joined(forms))


def _document(data: bytes) -> etree._Element:
    return docx_part(data)


def test_the_redline_is_announced(scenario):
    assert scenario["result"].stderr.splitlines()[-1] == (
        "修订稿：修订稿.docx（6 个项目的表格，修订标记可逐条接受或拒绝）"
    )


def test_accepting_every_change_gives_the_new_forms_cell_for_cell(scenario):
    accepted = accept_all(_document(scenario["redline"]))
    assert canonical(accepted) == canonical(docx_part(scenario["new_book"]))


def test_rejecting_every_change_gives_the_old_forms_cell_for_cell(scenario):
    rejected = reject_all(_document(scenario["redline"]))
    assert canonical(rejected) == canonical(docx_part(scenario["old_book"]))


def test_merges_stay_valid_in_the_redline_and_after_accepting_or_rejecting(scenario):
    redline = _document(scenario["redline"])
    assert merge_problems(redline) == []
    assert merge_problems(accept_all(redline)) == []
    assert merge_problems(reject_all(redline)) == []


def test_a_group_whose_first_row_moved_is_shown_deleted_and_inserted_again(scenario):
    """社工点经费: 预防和减少违法犯罪 started the 效益指标 and 社会效益指标 groups and moved to
    可持续影响指标. Another row now starts both groups, so the whole 效益指标 group is shown as
    its old rows deleted, then its new rows inserted: merged cells come out right on accepting
    or rejecting, in Word (row flags) and in LibreOffice (merged cells as spans) alike."""
    forms = _forms(_document(scenario["redline"]))
    table = forms[-1].find(f".//{w('tbl')}")
    rows = [(_row_state(r), _row_cells(r)) for r in table.iterchildren(w("tr"))]
    start = next(i for i, row in enumerate(rows) if "效益指标" in row[1])
    assert rows[start : start + 7] == [
        ("del", ["", "效益指标", "社会效益指标", "预防和减少违法犯罪", "有效"]),
        ("del", ["", "", "", "社工专业服务覆盖面", "扩大"]),
        ("del", ["", "", "可持续影响指标", "社工点长效管理机制", "建立健全"]),
        ("ins", ["", "效益指标", "社会效益指标", "社工专业服务覆盖面", "扩大"]),
        ("ins", ["", "", "可持续影响指标", "社工点长效管理机制", "建立健全"]),
        ("ins", ["", "", "", "预防和减少违法犯罪", "有效"]),
        ("", ["", "满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%"]),
    ]


def _forms(root: etree._Element) -> list[etree._Element]:
    """The redline split into its forms: each starts with a paragraph that starts a page."""
    forms: list[etree._Element] = []
    for block in root.find(w("body")):
        if block.tag == w("p") and block.find(f"{w('pPr')}/{w('pageBreakBefore')}") is not None:
            forms.append(etree.Element(w("body")))
        if block.tag in (w("p"), w("tbl")):
            forms[-1].append(block)
    return forms


def _row_state(row: etree._Element) -> str:
    """ "ins" or "del" for a tracked row, "" for a kept one."""
    marks = row.find(w("trPr"))
    for kind in ("ins", "del"):
        if marks is not None and marks.find(w(kind)) is not None:
            return kind
    return ""


def _row_cells(row: etree._Element) -> list[str]:
    """The text of each cell, deleted text included."""
    return [
        "".join(t.text or "" for t in cell.iter(w("t"), w("delText")))
        for cell in row.iterchildren(w("tc"))
    ]


def test_a_new_project_is_all_inserted_and_a_removed_one_all_deleted(scenario):
    forms = _forms(_document(scenario["redline"]))
    added, removed = forms[0], forms[1]
    assert "人才新项目" in "".join(t.text or "" for t in added.iter(w("t")))
    assert list(added.iter(w("delText"))) == []
    assert all(_inside(t, "ins") for t in added.iter(w("t")) if t.text)
    assert all(_row_state(r) == "ins" for r in added.iter(w("tr")))
    assert "人才活动" in "".join(t.text or "" for t in removed.iter(w("delText")))
    assert [t.text for t in removed.iter(w("t")) if t.text] == []
    assert all(_row_state(r) == "del" for r in removed.iter(w("tr")))
    paragraphs = list(added.iter(w("p"))) + list(removed.iter(w("p")))
    assert all(p.find(f"{w('pPr')}/{w('rPr')}/*") is not None for p in paragraphs if p.getparent().tag == w("body"))  # fmt: skip


def _inside(element: etree._Element, kind: str) -> bool:
    return any(a.tag == w(kind) for a in element.iterancestors())


def test_a_changed_cell_holds_the_old_text_deleted_and_the_new_inserted(scenario):
    forms = _forms(_document(scenario["redline"]))
    security = forms[4]
    cells = {
        tuple(_row_cells(row)[-2:])
        for row in security.iter(w("tr"))
        if row.find(f".//{w('delText')}") is not None and _row_state(row) == ""
    }
    assert ("特勤安保岗位数", "360380岗") in cells
    amount = next(
        t.getparent().getparent() for t in security.iter(w("delText")) if t.text == "2035.58"
    )
    assert amount.tag == w("del") and amount.get(w("author")) == "gen"
    assert amount.getnext().tag == w("ins") and amount.getnext().findtext(f".//{w('t')}") == "2100"  # fmt: skip
    goal = [t.text for t in security.iter(w("delText"), w("t")) if t.text in ("建立", "进一步")]
    assert goal == ["建立", "进一步"]


def test_revision_marks_are_numbered_once_each_by_gen_at_a_fixed_date(scenario):
    marks = [m for m in _document(scenario["redline"]).iter(w("ins"), w("del"))]
    ids = [m.get(w("id")) for m in marks]
    assert len(ids) == len(set(ids)) > 100
    assert {m.get(w("author")) for m in marks} == {"gen"}
    assert {m.get(w("date")) for m in marks} == {"2000-01-01T00:00:00Z"}


def test_the_same_versions_give_the_same_bytes(scenario):
    assert scenario["redline"] == scenario["again"]


# A LibreOffice Basic macro: open the redline, save it as .odt; accept every change and save;
# reject every change and save. LibreOffice turns merged cells into spans when it opens a file,
# so this checks the redline against another reading of Word's format than ours.
MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Resolve(source As String, odt As String, accepted As String, rejected As String)
  Save(source, odt, &quot;&quot;, &quot;writer8&quot;)
  Save(source, accepted, &quot;AcceptAllTrackedChanges&quot;, &quot;MS Word 2007 XML&quot;)
  Save(source, rejected, &quot;RejectAllTrackedChanges&quot;, &quot;MS Word 2007 XML&quot;)
End Sub

Sub Save(source As String, target As String, command As String, format As String)
  Dim options(0) As New com.sun.star.beans.PropertyValue
  options(0).Name = &quot;Hidden&quot;
  options(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, options())
  If command &lt;&gt; &quot;&quot; Then
    frame = document.getCurrentController().getFrame()
    createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;).executeDispatch(frame, &quot;.uno:&quot; &amp; command, &quot;&quot;, 0, Array())
  End If
  Dim filter(0) As New com.sun.star.beans.PropertyValue
  filter(0).Name = &quot;FilterName&quot;
  filter(0).Value = format
  document.storeToURL(ConvertToURL(target), filter())
  document.close(True)
End Sub
</script:module>
"""


@pytest.fixture(scope="module")
def libreoffice(scenario, tmp_path_factory) -> dict[str, Path]:
    """The redline as LibreOffice saves it: as .odt, all accepted, all rejected."""
    work = tmp_path_factory.mktemp("libreoffice")
    profile = f"-env:UserInstallation={(work / 'profile').as_uri()}"
    command = ["soffice", profile, "--headless", "--norestore"]
    subprocess.run([*command, "--terminate_after_init"], capture_output=True, timeout=180)
    module = work / "profile/user/basic/Standard/Module1.xba"
    assert module.is_file(), "LibreOffice did not make its profile"
    module.write_text(MACRO, encoding="utf-8")
    source = work / "修订稿.docx"
    source.write_bytes(scenario["redline"])
    made = {name: work / f"{name}.{kind}" for name, kind in (("odt", "odt"), ("accepted", "docx"), ("rejected", "docx"))}  # fmt: skip
    paths = ",".join(f'"{p}"' for p in [source, *made.values()])
    done = subprocess.run(
        [*command, f"macro:///Standard.Module1.Resolve({paths})"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert all(p.is_file() for p in made.values()), done.stdout + done.stderr
    return made


@needs_soffice
def test_libreoffice_opens_it_and_sees_the_tracked_changes(scenario, libreoffice):
    with zipfile.ZipFile(libreoffice["odt"]) as odt:
        content = odt.read("content.xml").decode()
    regions = re.findall(r"<text:changed-region .*?</text:changed-region>", content, re.S)
    deletions = [r for r in regions if "<text:deletion>" in r]
    insertions = [r for r in regions if "<text:insertion>" in r]
    marks = list(_document(scenario["redline"]).iter(w("ins"), w("del")))
    wrappers = [m for m in marks if m.getparent().tag not in (w("rPr"), w("trPr"))]
    assert len(regions) >= len(wrappers) // 2 > 50
    assert len(deletions) > 20 and len(insertions) > 20
    for text in ("2035.58", "360", "缓解警力不足", "建立", "人才活动", "浦江镇人民政府"):
        assert any(text in re.sub(r"<[^>]+>", "", r) for r in deletions), text
    body = re.sub(r"<[^>]+>", "", content.split("</text:tracked-changes>")[1])
    for text in ("2100", "380", "夜间巡逻岗位数", "进一步", "人才新项目", "浦江镇人民政府办公室"):
        assert text in body, text


@needs_soffice
@pytest.mark.parametrize(("result", "version"), [("accepted", "new"), ("rejected", "old")])
def test_libreoffice_accepting_or_rejecting_all_gives_the_forms(
    scenario, libreoffice, result, version
):
    """LibreOffice's own 接受全部 / 拒绝全部: every table cell for cell (text, spans, merges —
    LibreOffice writes a merged cell of one row as no merge), and the titles."""
    data = libreoffice[result].read_bytes()
    expected = scenario[f"{version}_book"]
    assert [merged_grid(data, i) for i in range(len(docx_tables(data)))] == [
        merged_grid(expected, i) for i in range(len(docx_tables(expected)))
    ]
    titles = [p for p in docx_paragraphs(data) if p.strip()]
    assert titles == [p for p in docx_paragraphs(expected) if p.strip()]


# ---------------------------------------------------------------- smaller cases, two folders


def _folders(tmp_path: Path, old: dict[str, str], new: dict[str, str]) -> tuple[Path, Path]:
    for folder, files in (("old", old), ("new", new)):
        for name, text in files.items():
            path = tmp_path / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return tmp_path / "old", tmp_path / "new"


def _redline_of(tmp_path: Path, old: dict[str, str], new: dict[str, str]) -> etree._Element:
    """The redline of two folders, checked against gen build's forms of each."""
    old_dir, new_dir = _folders(tmp_path, old, new)
    result = CliRunner().invoke(
        main, ["diff", str(old_dir), str(new_dir), "--docx", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == 0, result.output
    redline = docx_part((tmp_path / "r.docx").read_bytes())
    for folder, resolve in ((old_dir, reject_all), (new_dir, accept_all)):
        report = build([folder], BuildOptions(out_dir=tmp_path / f"{folder.name}-out"))
        forms = sorted((tmp_path / f"{folder.name}-out").rglob("*.docx"))
        assert not report.failed
        assert _same_forms(canonical(resolve(redline)), canonical(_book(forms)))
        assert merge_problems(resolve(redline)) == []
    return redline


def _same_forms(resolved: list[object], expected: list[object]) -> bool:
    """Equal; or equal but for one empty paragraph at the very end, which is left when the last
    form is one deleted (or inserted) whole: Word never removes a document's last paragraph."""
    extra = resolved[-1:] and resolved[-1][0] == "p" and resolved[-1][2] == []  # type: ignore[index]
    return resolved == expected or bool(extra and resolved[:-1] == expected)


GOALS_3 = GOOD_PROJECT.replace(
    "  保障公用经费的正常支出。\n",
    "  保障公用经费的正常支出。\n  新增一段：按季度检查经费使用。\n  再增一段。\n",
)
GOALS_1 = GOOD_PROJECT.replace("  保障公用经费的正常支出。\n", "")


@pytest.mark.parametrize(
    ("before", "after"),
    [(GOOD_PROJECT, GOALS_3), (GOALS_3, GOOD_PROJECT), (GOOD_PROJECT, GOALS_1), (GOALS_1, GOALS_3)],
    ids=["two-to-four", "four-to-two", "two-to-one", "one-to-four"],
)
def test_goal_paragraphs_added_or_removed_in_a_cell(tmp_path, before, after):
    """Whole paragraphs inserted or deleted in the 年度总体目标 cell, the cell's last one too:
    the changes stay inside the cell (no row is replaced) and paragraph marks carry them."""
    redline = _redline_of(tmp_path, {"a.yaml": before}, {"a.yaml": after})
    assert [r for r in redline.iter(w("tr")) if _row_state(r)] == []
    marked = [p for p in redline.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/*") is not None]
    assert len(marked) >= 1
    assert all(m.getparent().getparent().tag == w("pPr") for m in redline.iter(w("ins"), w("del")) if m.getparent().tag == w("rPr"))  # fmt: skip


def test_a_changed_form_layout_shows_the_old_form_deleted_and_the_new_inserted(tmp_path):
    declaration = GOOD_PROJECT.replace("表样: 绩效目标表", "表样: 绩效目标申报表").replace(
        "项目类别: 经常性项目", "项目类别: 运转类项目\n项目性质: 经常性项目"
    )
    redline = _redline_of(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": declaration})
    forms = _forms(redline)
    assert len(forms) == 2
    assert list(forms[0].iter(w("t"))) == [] or not any(t.text for t in forms[0].iter(w("t")))
    assert not list(forms[1].iter(w("delText")))


def test_indicator_groups_emptied_and_filled(tmp_path):
    """A whole 二级 group removed, another one added, rows moved across 一级 groups."""
    before = GOOD_PROJECT
    after = GOOD_PROJECT.replace("    时效指标:\n      资金支付及时性: 每月\n", "").replace(
        "  满意度指标:\n",
        "    可持续影响指标:\n      资金支付及时性: 每月\n      长效机制: 建立\n  满意度指标:\n",
    )
    _redline_of(tmp_path, {"a.yaml": before}, {"a.yaml": after})


def test_a_row_added_to_a_group_before_a_replaced_one_leaves_the_group_kept(tmp_path):
    """An indicator added at the end of 数量指标 and the one of 时效指标 replaced: the added row
    goes before the deleted one, inside its own group, so the rows around stay as they are
    (after the deleted row, LibreOffice would read it as part of 时效指标, and the whole 产出指标
    group came out deleted and inserted again)."""
    after = GOOD_PROJECT.replace(
        "      社工数量: 118人\n", "      社工数量: 118人\n      社工培训: 4次\n"
    ).replace("资金支付及时性: 每月", "资金拨付及时性: 每季度")
    redline = _redline_of(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": after})
    rows = [(_row_state(r), _row_cells(r)[1:]) for r in redline.iter(w("tr"))]
    start = next(i for i, row in enumerate(rows) if "社工数量" in row[1])
    assert rows[start : start + 5] == [
        ("", ["产出指标", "数量指标", "社工数量", "118人"]),
        ("ins", ["", "", "社工培训", "4次"]),
        ("del", ["", "时效指标", "资金支付及时性", "每月"]),
        ("ins", ["", "时效指标", "资金拨付及时性", "每季度"]),
        ("", ["效益指标", "社会效益指标", "对社工社保、福利等方面的保障", "提升"]),
    ]


def test_indicator_groups_printed_in_another_order(tmp_path):
    from test_compare import REORDERED

    _redline_of(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": REORDERED})


def test_no_changed_form_writes_no_redline(tmp_path):
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"b.yaml": GOOD_PROJECT})
    result = CliRunner().invoke(
        main, ["diff", str(old_dir), str(new_dir), "--docx", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == 0
    assert not (tmp_path / "r.docx").exists()
    assert result.stderr.splitlines()[-1] == "修订稿：没有表格内容改动的项目，未生成"


def test_an_earlier_redline_is_removed_when_no_form_changes_now(tmp_path):
    # it showed the changes of an earlier comparison: left there, it would look current
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": GOALS_1})
    redline = tmp_path / "r.docx"
    made = CliRunner().invoke(main, ["diff", str(old_dir), str(new_dir), "--docx", str(redline)])
    assert made.exit_code == 0 and redline.exists()
    same = CliRunner().invoke(main, ["diff", str(new_dir), str(new_dir), "--docx", str(redline)])
    assert same.exit_code == 0
    assert same.stderr.splitlines()[-1] == (
        f"修订稿：没有表格内容改动的项目，未生成；以前生成的 {redline.as_posix()} 与现在的项目不符，已删除"
    )
    assert not redline.exists()


def test_a_file_gen_did_not_write_is_left_when_no_form_changes(tmp_path):
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": GOOD_PROJECT})
    mine = tmp_path / "r.docx"
    mine.write_bytes(b"the user's own")
    result = CliRunner().invoke(main, ["diff", str(old_dir), str(new_dir), "--docx", str(mine)])
    assert result.stderr.splitlines()[-1] == "修订稿：没有表格内容改动的项目，未生成"
    assert mine.read_bytes() == b"the user's own"


def test_a_read_only_redline_is_never_replaced(tmp_path):
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": GOALS_1})
    kept = tmp_path / "r.docx"
    kept.write_bytes(b"the user's own")
    kept.chmod(0o444)  # the 只读 attribute on Windows
    result = CliRunner().invoke(main, ["diff", str(old_dir), str(new_dir), "--docx", str(kept)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"错误：无法写入 {kept}：文件是只读的，没有覆盖；请取消它的只读属性后重试，或另选一个文件名\n"
    )
    assert kept.read_bytes() == b"the user's own"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "old", "r.docx"]
    # the comparison is not lost with the redline: `gen diff --docx r.docx > 改动.txt` has it
    assert result.stdout.splitlines()[2:5] == [
        f"修改 {new_dir.as_posix()}/a.yaml（社工 · 浦江镇社区党群服务中心）",
        "  年度总体目标: 保障社工工资福利的正常支出。[-",
        "    保障公用经费的正常支出。-]",
    ]


def test_a_broken_template_loses_the_redline_not_the_listing_nor_leaves_an_old_one(tmp_path):
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": GOALS_1})
    redline = tmp_path / "r.docx"
    made = CliRunner().invoke(main, ["diff", str(old_dir), str(new_dir), "--docx", str(redline)])
    assert made.exit_code == 0 and redline.exists()
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "绩效目标表.docx").write_bytes(b"not a Word file")
    result = CliRunner().invoke(
        main,
        ["diff", str(old_dir), str(new_dir), "--docx", str(redline), "--templates", str(templates)],
    )
    assert result.exit_code == 1
    assert result.stdout == made.stdout
    assert result.stderr == (
        f"错误：未生成修订稿：模板文件 {templates.as_posix()}/绩效目标表.docx 不是有效的 Word 文档"
        "（.docx），可能已损坏；请在 Word 中打开它另存为 .docx，或换回 gen 自带的模板；"
        f"以前生成的 {redline.as_posix()} 与现在的项目不符，已删除\n"
    )
    assert (
        not redline.exists()
    )  # it showed an earlier comparison: left there, it would look current


def test_a_redline_must_be_a_docx(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["diff", "a", "b", "--docx", "修订稿.pdf"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "错误：“--docx”的值无效：“修订稿.pdf”须以 .docx 结尾（修订稿是 Word 文件）\n"
    )


def test_called_from_python_a_redline_not_named_docx_is_refused_too(tmp_path):
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": GOALS_1})
    with pytest.raises(GenError) as raised:
        diff([str(old_dir), str(new_dir)], redline=tmp_path / "修订稿.pdf")
    assert raised.value.message == (
        f"“{(tmp_path / '修订稿.pdf').as_posix()}”须以 .docx 结尾（修订稿是 Word 文件）"
    )
    assert not (tmp_path / "修订稿.pdf").exists()


def test_a_version_with_errors_is_left_out_of_the_redline(tmp_path):
    broken = GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千")
    old_dir, new_dir = _folders(tmp_path, {"a.yaml": GOOD_PROJECT}, {"a.yaml": broken})
    result = CliRunner().invoke(
        main, ["diff", str(old_dir), str(new_dir), "--docx", str(tmp_path / "r.docx")]
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"未列入修订稿：{new_dir.as_posix()}/a.yaml: {new_dir.as_posix()} 中的这个项目有错误，"
        "修订稿中未列入（错误见上面的比较结果）",
        "修订稿：其余项目的表格内容都没有改动，未生成",  # that one's form may well have changed
    ]


def test_the_redline_opens_with_python_docx(scenario):
    import docx

    document = docx.Document(io.BytesIO(scenario["redline"]))
    assert len(document.tables) == 6


# ---------------------------------------------------------------- page headers and footers

HEADED = {
    "a.yaml": good_project("甲"),
    "b.yaml": good_project("乙"),
}
HEADED_CHANGED = {
    "0.yaml": good_project("丁"),  # removed: deleted whole, first
    "a.yaml": good_project("甲").replace("项目名称: 甲", "项目名称: 甲站"),
    "b.yaml": good_project("乙").replace("实施单位: 浦江镇社区党群服务中心", "实施单位: 浦江镇党群服务站"),
    "c.yaml": good_project("丙"),  # added: inserted whole, last
}  # fmt: skip


def _headed_templates(folder: Path) -> Path:
    """The shipped templates printing 实施单位 and 项目名称 in the page header, 项目名称 in the
    page footer."""
    import docx

    folder.mkdir()
    for form in ("绩效目标表", "绩效目标申报表"):
        template = docx.Document(str(REPO / "templates" / f"{form}.docx"))
        section = template.sections[0]
        section.header.paragraphs[0].text = "{{ 实施单位 }}　{{ 项目名称 }}"
        section.footer.paragraphs[0].text = "项目名称：{{ 项目名称 }}"
        template.save(str(folder / f"{form}.docx"))
    return folder


@pytest.fixture
def headed(tmp_path) -> bytes:
    """The redline of HEADED against HEADED_CHANGED (0.yaml only in the old, c.yaml only in the
    new) with templates printing values in the page header and footer."""
    old = {"0.yaml": HEADED_CHANGED["0.yaml"], **HEADED}
    new = {name: text for name, text in HEADED_CHANGED.items() if name != "0.yaml"}
    old_dir, new_dir = _folders(tmp_path, old, new)
    templates = _headed_templates(tmp_path / "templates")
    redline = tmp_path / "r.docx"
    arguments = [str(old_dir), str(new_dir), "--docx", str(redline), "--templates", str(templates)]
    result = CliRunner().invoke(main, ["diff", *arguments])
    assert result.exit_code == 0, result.output
    return redline.read_bytes()


def _pages(data: bytes, kind: str) -> list[etree._Element]:
    """The default page header (`kind` "header") or footer of each section of a .docx, in order."""
    rels = docx_part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    references = [
        properties.find(f"{w(kind + 'Reference')}[@{w('type')}='default']")
        for properties in docx_part(data).iter(w("sectPr"))
    ]
    return [docx_part(data, f"word/{targets[r.get(r_id)]}") for r in references]


def _change(part: etree._Element) -> tuple[str, str, str, str]:
    """A header or footer's deleted text, inserted text, its text with every change accepted,
    and with every change rejected."""

    def text(root: etree._Element, *tags: str) -> str:
        return "".join(t.text or "" for t in root.iter(*(w(tag) for tag in tags)))

    deleted = "".join(text(mark, "delText") for mark in part.iter(w("del")))
    inserted = "".join(text(mark, "t") for mark in part.iter(w("ins")))
    return deleted, inserted, text(accept_all(part), "t"), text(reject_all(part), "t")


def test_a_value_printed_in_a_page_header_or_footer_is_a_tracked_change_there(headed):
    """Each form changed in place has its own section, its header and footer holding the old
    values deleted and the new inserted, as its body does; the form deleted whole (0.yaml) is
    in the section of the form after it, the form inserted whole (c.yaml, the last) in its own
    with all of its header inserted."""
    assert [_change(header) for header in _pages(headed, "header")] == [
        ("", "站", "浦江镇社区党群服务中心　甲站", "浦江镇社区党群服务中心　甲"),
        ("社区中心", "站", "浦江镇党群服务站　乙", "浦江镇社区党群服务中心　乙"),
        ("", "浦江镇社区党群服务中心　丙", "浦江镇社区党群服务中心　丙", ""),
    ]
    assert [_change(footer) for footer in _pages(headed, "footer")] == [
        ("", "站", "项目名称：甲站", "项目名称：甲"),
        ("", "", "项目名称：乙", "项目名称：乙"),  # printed the same: left as it is
        ("", "项目名称：丙", "项目名称：丙", ""),
    ]
    body = _document(headed)
    assert "".join(t.text for t in body.iter(w("delText"))).count("社区") >= 1
    parts = [body, *_pages(headed, "header"), *_pages(headed, "footer")]
    marks = [mark for part in parts for mark in part.iter(w("ins"), w("del"))]
    assert len({m.get(w("id")) for m in marks}) == len(marks)  # one document: ids once each
    assert {m.get(w("author")) for m in marks} == {"gen"}


@needs_soffice
def test_libreoffice_prints_each_forms_header_with_its_changes(headed, tmp_path):
    """One page per form, none more; each page's header and footer are its own form's, the
    deleted words printed (struck through) beside the inserted ones."""
    from pypdf import PdfReader

    from gen.delivery.pdf import convert

    source = tmp_path / "修订稿.docx"
    source.write_bytes(headed)
    pdf = convert([(source, tmp_path / "修订稿.pdf")]).written[0]
    pages = [re.sub(r"\s", "", page.extract_text()) for page in PdfReader(pdf).pages]
    assert len(pages) == 4  # 丁 (deleted), 甲, 乙, 丙 (inserted)
    assert "浦江镇社区党群服务中心甲站" in pages[1] and "项目名称：甲站" in pages[1]
    assert "浦江镇社区党群服务中心站乙" in pages[2] and "项目名称：乙" in pages[2]
    assert "浦江镇社区党群服务中心丙" in pages[3] and "项目名称：丙" in pages[3]
    assert "项目名称：乙" not in pages[1] + pages[3]
    assert "项目名称：甲站" in pages[0]  # deleted whole: in the section of the form after it
