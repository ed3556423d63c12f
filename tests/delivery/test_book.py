"""The book: every built form in one .docx, in path order, each on a new page, styles kept."""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, REPO, SAMPLES, good_project
from docx_grid import NS, docx_cell, docx_part, docx_tables, w
from pypdf import PdfReader

from gen.build import BuildOptions, build, check
from gen.cli import main
from gen.delivery.book import compose_book
from gen.delivery.deliver import built_forms, deliver
from gen.delivery.pdf import convert
from gen.errors import GenError

DECLARATION = (
    good_project("丙")
    .replace("表样: 绩效目标表", "表样: 绩效目标申报表")
    .replace("项目类别: 经常性项目", "项目类别: 运转类项目\n项目性质: 经常性项目")
)


@pytest.fixture
def forms(tmp_path, write) -> list[Path]:
    """Three built forms of both 表样, one in a subfolder."""
    write("projects/b.yaml", good_project("乙"))
    write("projects/a.yaml", good_project("甲"))
    write("projects/c/c.yaml", DECLARATION)
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"))
    assert report.exit_code == 0, [str(f) for f in report.findings]
    return built_forms(report)


def page_starts(data: bytes) -> int:
    """How many body paragraphs start a new page (“段前分页”)."""
    paragraphs = docx_part(data).iterfind("w:body/w:p", NS)
    return sum(p.find("w:pPr/w:pageBreakBefore", NS) is not None for p in paragraphs)


def project_names(data: bytes) -> list[tuple[str, str]]:
    """The first two cells of each form: the label 项目名称 and the project's name."""
    names = []
    for table in docx_tables(data):
        first_row = table.find("w:tr", NS)
        cells = [docx_cell(c).text for c in first_row.findall("w:tc", NS)]
        names.append((cells[0], cells[1]))
    return names


def test_forms_are_in_path_order_each_on_a_new_page(forms):
    data = compose_book(forms, title="全部表格")
    assert project_names(data) == [("项目名称", "甲"), ("项目名称", "乙"), ("项目名称", "丙")]
    assert len(docx_tables(data)) == len(forms) == 3
    assert page_starts(data) == 3
    paragraphs = docx_part(data).iterfind("w:body/w:p", NS)
    titles = [p for p in paragraphs if p.find(".//w:pageBreakBefore", NS) is not None]
    assert ["".join(t.itertext()) for t in titles] == [
        "财政项目支出绩效目标表",
        "财政项目支出绩效目标表",
        "财政项目支出绩效目标申报表",
    ]


def test_styles_are_kept(forms):
    data = compose_book(forms, title="全部表格")
    used = {s.get(w("val")) for s in docx_part(data).iter(w("pStyle"))}
    defined = {s.get(w("styleId")) for s in docx_part(data, "word/styles.xml").iter(w("style"))}
    assert used and used <= defined
    assert {"FormTitle", "FormYear"} <= used


def test_the_same_forms_give_the_same_bytes(forms):
    first, second = compose_book(forms, "全部表格"), compose_book(forms, "全部表格")
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "<dc:title>全部表格</dc:title>" in package.read("docProps/core.xml").decode()


def test_the_sample_book_holds_every_sample_form(tmp_path):
    report = build([SAMPLES], BuildOptions(out_dir=tmp_path / "out"))
    forms = built_forms(report)
    data = compose_book(forms, "全部表格")
    assert len(docx_tables(data)) == page_starts(data) == len(report.results) == 33
    names = [r.doc["项目名称"] for r in check([SAMPLES]).results]
    assert [name for _, name in project_names(data)] == names


def test_the_book_is_written_through_the_build(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["build", "projects", "--book", "output/全部表格.docx"])
    assert result.exit_code == 1  # b failed; the book holds what was built
    data = (in_tmp / "output/全部表格.docx").read_bytes()
    assert [name for _, name in project_names(data)] == ["社工"]
    assert "合订本：output/全部表格.docx" in result.stderr
    assert not list(in_tmp.rglob(".~gen-*"))


def test_an_earlier_book_goes_when_no_form_is_left_to_bind(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    assert runner.invoke(main, ["build", "projects", "--book", "output/全部.docx"]).exit_code == 0
    (in_tmp / "output/全部.pdf").write_bytes(b"its PDF")  # as --pdf makes it
    write("projects/a.yaml", GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["build", "projects", "--book", "output/全部.docx"])
    assert result.exit_code == 1
    assert (
        "错误：未生成合订本：没有已生成的表格，无法合订；以前生成的 output/全部.docx 与现在的项目不符，"
        "已删除；以前生成的 output/全部.pdf 与现在的项目不符，已删除"
    ) in result.stderr.splitlines()
    assert sorted(p.name for p in (in_tmp / "output").iterdir()) == [".gen-state.json"]


def test_a_book_that_could_not_be_written_is_not_taken_for_an_outdated_one(
    runner, in_tmp, write, monkeypatch
):
    import errno

    from gen import output

    write("projects/a.yaml", GOOD_PROJECT)
    assert runner.invoke(main, ["build", "projects", "--book", "output/全部.docx"]).exit_code == 0
    (in_tmp / "output/全部.pdf").write_bytes(b"its PDF")
    before = (in_tmp / "output/全部.docx").read_bytes()

    def disk_full(path, data):
        raise output.WriteFailed(path, OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(output, "write_named", disk_full)
    result = runner.invoke(main, ["build", "projects", "--book", "output/全部.docx"])
    assert "以前生成的" not in result.stderr
    assert (in_tmp / "output/全部.docx").read_bytes() == before
    assert (in_tmp / "output/全部.pdf").read_bytes() == b"its PDF"


def test_a_file_gen_did_not_write_stays_where_no_book_could_be_made(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千"))
    mine = tmp_path / "book.docx"
    mine.write_bytes(b"the user's own")
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"))
    delivery = deliver(report, book=mine)
    assert delivery.problems == ["未生成合订本：没有已生成的表格，无法合订"]
    assert mine.read_bytes() == b"the user's own"


def test_no_book_without_forms(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千"))
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"))
    delivery = deliver(report, book=tmp_path / "book.docx")
    assert delivery.problems == ["未生成合订本：没有已生成的表格，无法合订"]
    assert not (tmp_path / "book.docx").exists()


@pytest.mark.parametrize("name", ["a", "b"])  # a form built now, and one of a failed project
def test_a_book_never_overwrites_a_form(runner, in_tmp, write, name):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("  财政资金: 3082.53", "  财政资金: 三千"))
    runner.invoke(main, ["build", "projects"])
    form = (in_tmp / "output/a.docx").read_bytes()
    result = runner.invoke(main, ["build", "projects", "--book", f"output/{name}.docx"])
    assert result.exit_code == 1
    assert (
        f"错误：未生成合订本：output/{name}.docx 是一个项目的表格，合订本会覆盖它；"
        "请给合订本另起一个文件名"
    ) in result.stderr.splitlines()
    assert (in_tmp / "output/a.docx").read_bytes() == form
    assert not (in_tmp / "output/b.docx").exists()


def test_a_book_named_as_a_form_in_other_letter_case_is_refused(runner, in_tmp, write):
    """output/a.DOCX is output/a.docx on Windows and macOS, and their PDFs are one file anywhere."""
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--book", "output/a.DOCX"])
    assert result.exit_code == 1
    if sys.platform == "win32":  # resolve() gives the file's own name: the form itself
        said = "output\\a.DOCX 是一个项目的表格，合订本会覆盖它；请给合订本另起一个文件名"
    else:
        said = (
            "output/a.DOCX 与项目的表格 output/a.docx 只差字母大小写，在 Windows 和 macOS 上是"
            "同一个文件，它们的 PDF 也会互相覆盖；请给合订本另起一个文件名"
        )
    assert f"错误：未生成合订本：{said}" in result.stderr.splitlines()
    assert sorted(p.name for p in (in_tmp / "output").iterdir()) == [".gen-state.json", "a.docx"]


def test_a_read_only_book_is_never_replaced(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    kept = in_tmp / "output/全部表格.docx"
    kept.parent.mkdir()
    kept.write_bytes(b"the user's own")
    kept.chmod(0o444)  # the 只读 attribute on Windows
    result = runner.invoke(main, ["build", "projects", "--book", "output/全部表格.docx"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "错误：未生成合订本：无法写入 output/全部表格.docx：文件是只读的，没有覆盖；请取消它的只读属性后重试，或另选一个文件名\n"
    )
    assert kept.read_bytes() == b"the user's own"
    assert sorted(p.name for p in (in_tmp / "output").glob("*.*")) == [
        ".gen-state.json",
        "a.docx",
        "全部表格.docx",
    ]


def test_a_book_must_be_a_docx(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--book", "全部表格.pdf"])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "错误：“--book”的值无效：“全部表格.pdf”须以 .docx 结尾（合订本是 Word 文件）\n"
    )
    assert not (in_tmp / "output").exists()  # refused before the build


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
def test_with_pdf_the_book_is_a_pdf_too_with_every_page(runner, in_tmp, write):
    write("projects/a.yaml", good_project("甲"))
    write("projects/b.yaml", good_project("乙"))
    write("projects/c/c.yaml", DECLARATION)
    result = runner.invoke(main, ["build", "projects", "--pdf", "--book", "book/全部.docx"])
    assert result.exit_code == 0, result.output
    assert "PDF：已生成 4 个" in result.stderr
    pages = sum(len(PdfReader(p).pages) for p in (in_tmp / "output").rglob("*.pdf"))
    book = PdfReader(in_tmp / "book/全部.pdf")
    assert len(book.pages) == pages  # no blank page between forms, none lost
    texts = [page.extract_text().replace(" ", "") for page in book.pages]
    assert len(texts) == 3
    assert "甲" in texts[0] and "乙" in texts[1] and "丙" in texts[2]
    assert "绩效目标申报表" in texts[2] and "绩效目标申报表" not in texts[0]


def test_a_form_that_cannot_be_read_is_named_as_messages_show_paths(tmp_path, monkeypatch):
    import errno

    import docx

    def refuse(path: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(docx, "Document", refuse)
    form = tmp_path / "a\udcff.docx"  # a byte of the name that is no UTF-8
    with pytest.raises(GenError) as caught:
        compose_book([form], "合订本")
    assert caught.value.message == f"无法读取 {tmp_path}/a\\xff.docx，不能合订：没有读取权限"


def _with_pictures_and_bookmarks(picture: Path, index: int):
    """A document with a bookmark and a picture in its body and a picture in its header."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph(f"第 {index} 份")
    marks = (
        f'<w:bookmarkStart xmlns:w="{NS["w"]}" w:id="7" w:name="m{index}"/>',
        f'<w:bookmarkEnd xmlns:w="{NS["w"]}" w:id="7"/>',
    )
    for mark in marks:
        paragraph._p.append(parse_xml(mark))
    document.add_picture(str(picture))
    document.sections[0].header.paragraphs[0].add_run().add_picture(str(picture))
    return document


def test_numbering_bookmarks_and_drawings_once_gives_the_book_numbered_every_time(
    tmp_path, monkeypatch
):
    # The book's composer numbers bookmarks and drawings only as its last document goes in
    # (docxcompose does it after every one, in time square in the forms): the same bytes.
    import base64

    import gen.delivery.book as book

    class EveryTime(book._BookComposer):
        """Numbering after every document appended, as docxcompose does."""

        renumbering = property(lambda self: True, lambda self, value: None)  # type: ignore[assignment]

    picture = tmp_path / "dot.png"
    picture.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
        )
    )

    def made() -> bytes:
        documents = (_with_pictures_and_bookmarks(picture, i) for i in range(4))
        return book.compose_documents(documents, title="全部")

    ours = made()
    monkeypatch.setattr(book, "_BookComposer", EveryTime)
    assert ours == made()
    body = docx_part(ours)
    ids = [int(e.get(f"{{{NS['w']}}}id")) for e in body.iter(w("bookmarkStart"))]
    assert ids == [0, 1, 2, 3]  # numbered again, in order, so each is the book's own


def test_what_gen_wrote_is_told_by_its_creator_and_read_within_bounds(forms, tmp_path):
    import docx

    from gen.ooxml import made_by_gen

    assert made_by_gen(forms[0])  # a form
    assert made_by_gen(tmp_path / "book.docx") is False  # nothing there
    theirs = tmp_path / "theirs.docx"
    docx.Document().save(str(theirs))  # python-docx's creator
    assert not made_by_gen(theirs)
    padded = tmp_path / "padded.docx"  # says gen, behind 100 KB of padding: never read that far
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<!--{'x' * 100_000}--><dc:creator>gen</dc:creator></cp:coreProperties>"
    )
    with zipfile.ZipFile(padded, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("docProps/core.xml", core)
    assert not made_by_gen(padded)
    (tmp_path / "text.docx").write_text("not a zip", encoding="utf-8")
    assert not made_by_gen(tmp_path / "text.docx")


def _templates(folder: Path, headers: dict[str, str]) -> Path:
    """The shipped templates, each 表样 named in `headers` with that header and footer; the
    申报表's side margins 2.5 cm."""
    import docx
    from docx.shared import Cm

    folder.mkdir()
    for form in ("绩效目标表", "绩效目标申报表"):
        template = docx.Document(str(REPO / "templates" / f"{form}.docx"))
        section = template.sections[0]
        if form in headers:
            section.header.paragraphs[0].text = f"{headers[form]}页眉"
            section.footer.paragraphs[0].text = f"{headers[form]}页脚"
        if form == "绩效目标申报表":
            section.left_margin = section.right_margin = Cm(2.5)
        template.save(str(folder / f"{form}.docx"))
    return folder


def _forms_of(tmp_path: Path, write, templates: Path) -> list[Path]:
    """Four forms in path order: 申报表, 绩效目标表, 绩效目标表, 申报表."""
    write("projects/a.yaml", DECLARATION.replace("丙", "甲"))
    write("projects/b.yaml", good_project("乙"))
    write("projects/c.yaml", good_project("丙"))
    write("projects/d.yaml", DECLARATION.replace("丙", "丁"))
    options = BuildOptions(out_dir=tmp_path / "out", templates=templates)
    report = build([tmp_path / "projects"], options)
    assert report.exit_code == 0, [str(f) for f in report.findings]
    return built_forms(report)


def book_sections(data: bytes) -> list[tuple[str, str, int]]:
    """Each section of the book in order: its header's text, its footer's, its left margin."""
    rels = docx_part(data, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

    def text(properties, tag: str) -> str:
        reference = properties.find(f"w:{tag}Reference[@w:type='default']", NS)
        if reference is None:
            return "（无）"
        part = docx_part(data, f"word/{targets[reference.get(r_id)]}")
        return "".join(part.itertext())

    return [
        (text(p, "header"), text(p, "footer"), int(p.find("w:pgMar", NS).get(w("left"))))
        for p in docx_part(data).iter(w("sectPr"))
    ]


def test_each_form_keeps_its_templates_margins_header_and_footer(tmp_path, write):
    templates = _templates(tmp_path / "templates", {"绩效目标表": "甲表", "绩效目标申报表": "乙表"})
    data = compose_book(_forms_of(tmp_path, write, templates), "全部表格")
    declaration, form = ("乙表页眉", "乙表页脚", 1417), ("甲表页眉", "甲表页脚", 850)
    assert book_sections(data) == [declaration, form, form, declaration]
    assert len(docx_tables(data)) == page_starts(data) == 4
    with zipfile.ZipFile(io.BytesIO(data)) as package:  # one copy of each
        names = [n for n in package.namelist() if n.startswith(("word/header", "word/footer"))]
    assert len(names) == 4


def test_a_form_without_a_header_does_not_print_the_previous_forms(tmp_path, write):
    templates = _templates(tmp_path / "templates", {"绩效目标申报表": "乙表"})
    data = compose_book(_forms_of(tmp_path, write, templates), "全部表格")
    declaration, blank = ("乙表页眉", "乙表页脚", 1417), ("", "", 850)
    assert book_sections(data) == [declaration, blank, blank, declaration]
    # a blank one stands for "none": else Word and LibreOffice print the section before's
    book = tmp_path / "全部.docx"
    book.write_bytes(data)
    pdf = convert([(book, tmp_path / "全部.pdf")]).written[0]
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    forms = [form.with_suffix(".pdf") for form in sorted((tmp_path / "out").glob("*.docx"))]
    single = convert([(form.with_suffix(".docx"), form) for form in forms]).written
    assert len(pages) == sum(len(PdfReader(p).pages) for p in single)  # no page more or lost
    counts = [len(PdfReader(p).pages) for p in single]
    headed = [i for i, text in enumerate(pages) if "乙表页眉" in text]
    # every page of the two 申报表, the first and the last form, and no other
    assert headed == [*range(counts[0]), *range(sum(counts[:3]), sum(counts))]
