"""PDFs beside the forms: one LibreOffice run per batch, own profile, timeouts, missing soffice."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, good_project
from pypdf import PdfReader

from gen import libreoffice, output
from gen.build import BuildOptions, build
from gen.cli import main
from gen.delivery import pdf
from gen.delivery.deliver import deliver

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="the fake soffice is a script")


def pdf_text(path: Path) -> str:
    """All text of a PDF, without the spaces a PDF puts between glyphs."""
    return "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")


def fake_soffice(tmp_path: Path, body: str) -> str:
    """A stand-in soffice: a Python script given the real command line in `argv`."""
    script = tmp_path / "fake-soffice"
    script.write_text(
        f"#!{sys.executable}\nimport sys, time\nfrom pathlib import Path\n"
        "from urllib.parse import unquote, urlparse\n"
        "argv = sys.argv[1:]\nout = Path(argv[argv.index('--outdir') + 1])\n"
        "inputs = [Path(a) for a in argv if a.endswith('.docx')]\n"
        "profile = Path(unquote(urlparse(argv[0].split('=', 1)[1]).path))\n"
        "here = Path(sys.argv[0]).parent\n" + body,
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


WRITES_PDFS = """\
for docx in inputs:
    (out / (docx.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + docx.read_bytes()[:4] + b"\\n%%EOF\\n")
"""


@needs_soffice
def test_each_form_gets_a_pdf_with_its_name_and_amounts(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/乙/b.yaml", good_project("乙项目").replace("3082.53", "87.90"))
    result = runner.invoke(main, ["build", "projects", "--pdf"])
    assert result.exit_code == 0, result.output
    assert "PDF：已生成 2 个" in result.stderr
    first, second = in_tmp / "output/a.pdf", in_tmp / "output/乙/b.pdf"
    assert len(PdfReader(first).pages) == 1
    assert len(PdfReader(second).pages) == 1
    assert "社工" in pdf_text(first) and "3082.53" in pdf_text(first)
    assert "乙项目" in pdf_text(second) and "87.90" in pdf_text(second)
    assert not list(in_tmp.rglob(".~gen-*"))


@needs_soffice
def test_a_broken_docx_fails_alone(tmp_path, write):
    write("projects/a.yaml", good_project("甲"))
    write("projects/c.yaml", good_project("丙"))
    out = tmp_path / "out"
    build([tmp_path / "projects"], BuildOptions(out_dir=out))
    broken = out / "b.docx"
    data = (out / "a.docx").read_bytes()
    broken.write_bytes(data[: len(data) // 2])  # a zip cut in half
    files = [out / "a.docx", broken, out / "c.docx"]
    result = pdf.convert([(f, f.with_suffix(".pdf")) for f in files])
    assert result.written == [out / "a.pdf", out / "c.pdf"]
    assert list(result.failed) == [broken]
    assert "未能把它转换为 PDF" in result.failed[broken]
    assert not (out / "b.pdf").exists()


def test_missing_soffice_says_what_to_install_and_still_builds(runner, in_tmp, write, monkeypatch):
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    monkeypatch.setattr(libreoffice, "_install_places", lambda: [])
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--pdf"])
    assert result.exit_code == 1
    assert "错误：找不到 LibreOffice（soffice），无法生成 PDF" in result.stderr
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert "Windows/macOS" in result.stderr and "（.docx 表格已生成）" in result.stderr
    assert "PDF：" not in result.stderr  # no count of PDFs that were never attempted
    assert result.stderr.splitlines()[-1].startswith("已生成 1 个，失败 0 个")
    assert (in_tmp / "output/a.docx").is_file()
    assert not (in_tmp / "output/a.pdf").exists()


@posix_only
def test_one_soffice_run_converts_the_batch(tmp_path, monkeypatch):
    for folder in ("x", "y"):  # the same file name in two folders must not clash
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "表.docx").write_bytes(folder.encode() * 4)
    files = [tmp_path / "x/表.docx", tmp_path / "y/表.docx"]
    soffice = fake_soffice(tmp_path, WRITES_PDFS)
    runs: list[list[str]] = []
    start = libreoffice.start
    monkeypatch.setattr(
        libreoffice, "start", lambda command, log: runs.append(command) or start(command, log)
    )
    result = pdf.convert([(f, f.with_suffix(".pdf")) for f in files], soffice=soffice, jobs=1)
    assert len(runs) == 1 and runs[0][0] == soffice
    assert runs[0][-2:] == [str(Path(runs[0][-1]).parent / "00000.docx"), runs[0][-1]]
    assert result.written == [tmp_path / "x/表.pdf", tmp_path / "y/表.pdf"]
    assert (tmp_path / "x/表.pdf").read_bytes().startswith(b"%PDF-1.4 xxxx")
    assert (tmp_path / "y/表.pdf").read_bytes().startswith(b"%PDF-1.4 yyyy")


def test_the_command_line_has_its_own_profile_and_no_window(tmp_path):
    profile = libreoffice.Profile(tmp_path / "profile").option()
    command = pdf.soffice_command("soffice", profile, tmp_path / "out", [tmp_path / "in/0.docx"])
    assert command[1] == f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    assert command[1].startswith("-env:UserInstallation=file:///")
    assert "--headless" in command and "--norestore" in command
    assert command[-3:] == ["--outdir", str(tmp_path / "out"), str(tmp_path / "in/0.docx")]


@posix_only
def test_a_hung_conversion_is_stopped_and_reported(tmp_path):
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"form")
    half = "(out / '00000.pdf').write_bytes(b'%PDF-1.4 half a page')\ntime.sleep(60)\n"
    started = time.monotonic()
    result = pdf.convert(
        [(docx, tmp_path / "a.pdf")], timeout=1, soffice=fake_soffice(tmp_path, half)
    )
    assert time.monotonic() - started < 15
    assert result.timed_out
    assert result.failed == {docx: "转换超时，未生成 PDF"}
    assert not (tmp_path / "a.pdf").exists()  # the half-written PDF never reaches the output


@posix_only
def test_a_timeout_is_reported_by_the_build(tmp_path, write, monkeypatch):
    write("projects/a.yaml", GOOD_PROJECT)
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out"))
    monkeypatch.setattr(pdf, "find_soffice", lambda: fake_soffice(tmp_path, "time.sleep(60)\n"))
    delivery = deliver(report, pdf=True, pdf_timeout=1)
    assert delivery.problems == [
        "LibreOffice 转换 PDF 时超过 1 秒没有进展，已停止；可用 --pdf-timeout 加长时限后重试"
    ]
    assert [str(f) for f in delivery.findings] == [
        f"{(tmp_path / 'out/a.docx').as_posix()}: 转换超时，未生成 PDF"
    ]
    assert delivery.exit_code == 1


@posix_only
def test_progress_counts_finished_pdfs(tmp_path):
    files = []
    for name in "abc":
        files.append(tmp_path / f"{name}.docx")
        files[-1].write_bytes(b"form")
    seen: list[int] = []
    pdf.convert([(f, f.with_suffix(".pdf")) for f in files],
                soffice=fake_soffice(tmp_path, WRITES_PDFS), progress=seen.append)  # fmt: skip
    assert seen[-1] == 3 and seen == sorted(seen)


def test_the_pdf_of_a_project_that_now_fails_is_removed(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    (in_tmp / "output").mkdir()
    (in_tmp / "output/a.pdf").write_bytes(b"%PDF- an old form")
    write("projects/a.yaml", GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 1
    assert not (in_tmp / "output/a.pdf").exists()
    assert "已删除 1 个失败项目的旧 PDF" in result.stderr


def test_the_pdf_of_a_form_that_changed_is_removed_unless_made_again(
    runner, in_tmp, write, monkeypatch
):
    """A PDF beside a form built again from a changed project shows the old form."""
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: fake_soffice(in_tmp, WRITES_PDFS))
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙项目"))
    assert runner.invoke(main, ["build", "projects", "--pdf"]).exit_code == 0
    kept = (in_tmp / "output/b.pdf").read_bytes()
    # an unchanged form keeps its PDF, even when it is written again
    forced = runner.invoke(main, ["build", "projects", "--force"])
    assert (in_tmp / "output/a.pdf").exists() and "PDF" not in forced.stderr
    write("projects/a.yaml", GOOD_PROJECT.replace("3082.53", "3082.54"))
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 0
    assert not (in_tmp / "output/a.pdf").exists()
    assert (in_tmp / "output/b.pdf").read_bytes() == kept
    assert result.stderr.splitlines()[-1].endswith(
        "；已删除 1 个按旧表格生成的 PDF（需要时用 gen build --pdf 重新生成）"
    )
    # with --pdf the outdated PDF is made again at once: nothing is missing to report
    write("projects/b.yaml", good_project("乙项目").replace("3082.53", "3082.54"))
    again = runner.invoke(main, ["build", "projects", "--pdf"])
    assert (in_tmp / "output/b.pdf").exists() and (in_tmp / "output/a.pdf").exists()
    assert "按旧表格生成" not in again.stderr


def test_pdfs_of_unchanged_forms_stay_when_the_state_file_is_lost(
    runner, in_tmp, write, monkeypatch
):
    """Without the state, the form on disk tells whether the PDF beside it is still its PDF."""
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: fake_soffice(in_tmp, WRITES_PDFS))
    write("projects/a.yaml", GOOD_PROJECT)
    assert runner.invoke(main, ["build", "projects", "--pdf"]).exit_code == 0
    (in_tmp / "output/.gen-state.json").unlink()
    result = runner.invoke(main, ["build", "projects"])
    assert result.stderr.splitlines()[-1].startswith("已生成 1 个")  # written again, the same
    assert (in_tmp / "output/a.pdf").exists() and "PDF" not in result.stderr


def test_an_outdated_pdf_that_cannot_be_removed_is_tried_again(runner, in_tmp, write, monkeypatch):
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: fake_soffice(in_tmp, WRITES_PDFS))
    write("projects/a.yaml", GOOD_PROJECT)
    assert runner.invoke(main, ["build", "projects", "--pdf"]).exit_code == 0
    write("projects/a.yaml", GOOD_PROJECT.replace("3082.53", "3082.54"))
    real = output.remove_output

    def refused(path):
        if path.suffix == ".pdf":
            raise output.RemoveFailed(path, PermissionError(13, "Permission denied"))
        return real(path)

    with monkeypatch.context() as patched:
        patched.setattr(output, "remove_output", refused)
        first = runner.invoke(main, ["build", "projects"])
    assert first.exit_code == 1
    assert (
        "错误：无法删除 output/a.pdf：没有写入权限；它是按旧表格生成的，请手动删除它，或加 --pdf 重新生成\n"
        in first.stderr
    )
    second = runner.invoke(main, ["build", "projects"])  # the form is as written, its PDF is not
    assert not (in_tmp / "output/a.pdf").exists()
    assert second.stderr.splitlines()[-1].endswith(
        "；已删除 1 个按旧表格生成的 PDF（需要时用 gen build --pdf 重新生成）"
    )


@posix_only
def test_pdf_finds_libreoffice_in_its_windows_install_folder(runner, in_tmp, write, monkeypatch):
    program = in_tmp / "Program Files" / "LibreOffice 7" / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    Path(fake_soffice(in_tmp, WRITES_PDFS)).rename(program)
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    monkeypatch.setenv("PROGRAMFILES", str(in_tmp / "Program Files"))
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--pdf"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "output/a.pdf").read_bytes().startswith(b"%PDF-1.4 PK")


@posix_only
def test_ctrl_c_stops_libreoffice(tmp_path, monkeypatch):
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"form")
    pid_file = tmp_path / "pid"
    partial = tmp_path / "pid.partial"  # renamed into place: never read half-written
    body = (
        f"import os\nPath({str(partial)!r}).write_text(str(os.getpid()))\n"
        f"os.replace({str(partial)!r}, {str(pid_file)!r})\ntime.sleep(60)\n"
    )

    def interrupted(run, timeout):  # Ctrl-C while gen waits for LibreOffice
        while not pid_file.exists():
            time.sleep(0.05)
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf._Run, "check", interrupted)
    with pytest.raises(KeyboardInterrupt):
        pdf.convert([(docx, tmp_path / "a.pdf")], soffice=fake_soffice(tmp_path, body))
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # LibreOffice is gone, not left running


# ---------------------------------------------------------------- one LibreOffice per core

# A fake soffice that sets up its profile as LibreOffice does (noting each set-up in
# setups.txt), converts its share, and notes which files each run had.
SETS_UP_AND_CONVERTS = """\
settings = profile / "user" / "registrymodifications.xcu"
if not (profile / "user" / "config").exists():
    (profile / "user" / "config").mkdir(parents=True)
    if not settings.exists():
        settings.write_text("<items/>")
    with open(here / "setups.txt", "a") as notes:
        notes.write(f"{profile}\\n")
with open(here / "runs.txt", "a") as notes:
    notes.write(" ".join(sorted(p.name for p in inputs)) + "\\n")
for docx in inputs:
    (out / (docx.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + docx.read_bytes()[:4] + b"\\n%%EOF\\n")
"""


def forms(folder: Path, sizes: list[int]) -> list[tuple[Path, Path]]:
    """Fake forms of these sizes in bytes, with the PDF each is to get."""
    folder.mkdir(exist_ok=True)
    pairs = []
    for number, size in enumerate(sizes):
        docx = folder / f"表{number}.docx"
        docx.write_bytes(f"{number:04d}".encode() + b"x" * size)
        pairs.append((docx, docx.with_suffix(".pdf")))
    return pairs


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_files_are_split_by_size_into_shares_of_about_equal_total():
    assert pdf.split_by_size([10, 70, 20, 30, 40], 2) == [[1, 2], [0, 3, 4]]
    assert pdf.split_by_size([5, 5, 5, 5], 2) == [[0, 2], [1, 3]]
    assert pdf.split_by_size([5, 5], 8) == [[0], [1]]  # no LibreOffice without a file
    assert pdf.split_by_size([5], 1) == [[0]]


@posix_only
def test_each_core_gets_a_libreoffice_of_its_own_with_its_share(tmp_path, cache_folder):
    pairs = forms(tmp_path / "forms", [400, 100, 100, 100, 100])
    runs: list[list[str]] = []
    start = libreoffice.start
    libreoffice.start = lambda command, log: runs.append(command) or start(command, log)
    try:
        result = pdf.convert(pairs, soffice=fake_soffice(tmp_path, SETS_UP_AND_CONVERTS), jobs=2)
    finally:
        libreoffice.start = start
    assert len(runs) == 2
    profiles = {command[1] for command in runs}
    assert len(profiles) == 2  # never one profile for two LibreOffices at once
    assert all(str(cache_folder.as_uri()) in option for option in profiles)
    shares = sorted(len([a for a in command if a.endswith(".docx")]) for command in runs)
    assert shares == [1, 4]  # the big file alone, the four small ones together
    assert result.written == [pdf for _, pdf in pairs]
    for number, (_, target) in enumerate(pairs):
        assert target.read_bytes().startswith(b"%PDF-1.4 " + f"{number:04d}".encode())


@posix_only
def test_a_kept_profile_is_set_up_once_and_reused(tmp_path):
    soffice = fake_soffice(tmp_path, SETS_UP_AND_CONVERTS)
    pairs = forms(tmp_path / "forms", [100, 100])
    for _ in range(3):
        assert len(pdf.convert(pairs, soffice=soffice, jobs=2).written) == 2
    setups = lines(tmp_path / "setups.txt")
    assert len(setups) == 2 and len(set(setups)) == 2  # one set-up per LibreOffice, ever
    assert len(lines(tmp_path / "runs.txt")) == 6


@posix_only
def test_a_profile_cut_off_by_a_killed_run_is_set_up_again(tmp_path, cache_folder):
    soffice = fake_soffice(tmp_path, SETS_UP_AND_CONVERTS)
    pairs = forms(tmp_path / "forms", [100])
    pdf.convert(pairs, soffice=soffice, jobs=1)
    profile = cache_folder / "libreoffice" / "0" / "profile"
    settings = profile / "user" / "registrymodifications.xcu"
    settings.write_text("<items><item", encoding="utf-8")  # cut off mid-write
    (profile / ".lock").write_text("[Lockdata]\n", encoding="utf-8")
    assert len(pdf.convert(pairs, soffice=soffice, jobs=1).written) == 1
    assert len(lines(tmp_path / "setups.txt")) == 2
    assert settings.read_text(encoding="utf-8") == "<items/>"
    assert not (profile / ".lock").exists()


@posix_only
def test_a_profile_that_never_finished_a_run_is_set_up_again(tmp_path, cache_folder):
    soffice = fake_soffice(tmp_path, SETS_UP_AND_CONVERTS)
    pairs = forms(tmp_path / "forms", [100])
    pdf.convert(pairs, soffice=soffice, jobs=1)
    (cache_folder / "libreoffice" / "0" / "ready").unlink()  # as if killed during the set-up
    pdf.convert(pairs, soffice=soffice, jobs=1)
    assert len(lines(tmp_path / "setups.txt")) == 2


@posix_only
def test_a_run_that_converts_nothing_with_a_kept_profile_is_run_again_with_a_new_one(
    tmp_path, cache_folder
):
    # a profile that breaks LibreOffice: it starts, then exits without converting anything
    poisoned = "if (profile / 'poison').exists():\n    sys.exit(81)\n" + SETS_UP_AND_CONVERTS
    soffice = fake_soffice(tmp_path, poisoned)
    pairs = forms(tmp_path / "forms", [100, 100])
    pdf.convert(pairs, soffice=soffice, jobs=1)
    (cache_folder / "libreoffice" / "0" / "profile" / "poison").write_text("", encoding="utf-8")
    result = pdf.convert(pairs, soffice=soffice, jobs=1)
    assert result.written == [pdf for _, pdf in pairs] and not result.failed
    assert len(lines(tmp_path / "setups.txt")) == 2
    assert len(lines(tmp_path / "runs.txt")) == 2  # the poisoned run converted nothing


@posix_only
def test_files_that_fail_with_a_new_profile_are_not_run_again(tmp_path):
    soffice = fake_soffice(tmp_path, "with open(here / 'runs.txt', 'a') as f:\n    f.write('run\\n')\n")  # fmt: skip
    pairs = forms(tmp_path / "forms", [100])
    result = pdf.convert(pairs, soffice=soffice, jobs=1)
    assert list(result.failed) == [pairs[0][0]]
    assert len(lines(tmp_path / "runs.txt")) == 1


@posix_only
def test_a_stalled_libreoffice_is_stopped_the_others_finish(tmp_path):
    stalls = "if any(p.name == '00000.docx' for p in inputs):\n    time.sleep(60)\n"
    pairs = forms(tmp_path / "forms", [300, 100, 100])
    soffice = fake_soffice(tmp_path, stalls + WRITES_PDFS)
    started = time.monotonic()
    result = pdf.convert(pairs, soffice=soffice, jobs=2, timeout=1)
    assert time.monotonic() - started < 30
    assert result.timed_out
    assert result.failed == {pairs[0][0]: "转换超时，未生成 PDF"}
    assert result.written == [pairs[1][1], pairs[2][1]]


def in_an_install(tmp_path: Path, body: str, version: str) -> Path:
    """A fake soffice in an install folder whose settings state `version`."""
    program = tmp_path / "install/program/soffice"
    program.parent.mkdir(parents=True)
    shutil.copy(fake_soffice(tmp_path, body), program)
    registry = tmp_path / "install/share/registry"
    registry.mkdir(parents=True)
    (registry / "main.xcd").write_text(
        f'<prop oor:name="ooSetupVersion"><value>{version}</value></prop>', encoding="utf-8"
    )
    return program


@posix_only
def test_a_new_profile_records_that_this_version_has_run(tmp_path, cache_folder):
    soffice = in_an_install(tmp_path, SETS_UP_AND_CONVERTS, "7.4")
    pairs = forms(tmp_path / "forms", [100])
    assert len(pdf.convert(pairs, soffice=str(soffice), jobs=1).written) == 1
    slot = cache_folder / "libreoffice" / "0"
    settings = (slot / "profile/user/registrymodifications.xcu").read_text(encoding="utf-8")
    assert (
        '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
        'oor:op="fuse"><value>7.4</value></prop></item>'
    ) in settings
    assert (slot / "ready").read_text(encoding="utf-8") == f"{soffice}\n7.4"


@posix_only
def test_a_profile_set_up_for_another_version_or_by_an_older_gen_is_set_up_again(
    tmp_path, cache_folder
):
    soffice = in_an_install(tmp_path, SETS_UP_AND_CONVERTS, "7.4")
    pairs = forms(tmp_path / "forms", [100])
    pdf.convert(pairs, soffice=str(soffice), jobs=1)
    pdf.convert(pairs, soffice=str(soffice), jobs=1)
    assert len(lines(soffice.parent / "setups.txt")) == 1
    ready = cache_folder / "libreoffice" / "0" / "ready"
    ready.write_text(str(soffice), encoding="utf-8")  # as an older gen wrote it
    pdf.convert(pairs, soffice=str(soffice), jobs=1)
    assert len(lines(soffice.parent / "setups.txt")) == 2
    (tmp_path / "install/share/registry/main.xcd").write_text(
        '<prop oor:name="ooSetupVersion"><value>7.5</value></prop>', encoding="utf-8"
    )  # LibreOffice updated in place
    pdf.convert(pairs, soffice=str(soffice), jobs=1)
    assert len(lines(soffice.parent / "setups.txt")) == 3
    assert ready.read_text(encoding="utf-8") == f"{soffice}\n7.5"


def test_two_gen_processes_never_share_a_profile(tmp_path):
    with (
        libreoffice.profiles(2, "soffice", tmp_path) as first,
        libreoffice.profiles(2, "soffice", tmp_path) as second,
    ):
        folders = [profile.folder for profile in first + second]
        assert len(set(folders)) == 4
    with libreoffice.profiles(1, "soffice", tmp_path) as again:
        assert again[0].folder == first[0].folder  # released at the end of the run


def test_without_a_usable_cache_folder_the_profiles_are_temporary(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setattr(libreoffice, "cache_folder", lambda: blocked / "gen")
    with libreoffice.profiles(2, "soffice", tmp_path / "work") as given:
        assert [p.folder for p in given] == [
            tmp_path / "work/profile-0",
            tmp_path / "work/profile-1",
        ]
        assert not any(p.reused for p in given)


@pytest.mark.parametrize(
    ("platform", "environment", "expected"),
    [
        ("win32", {"LOCALAPPDATA": "C:/Users/甲/AppData/Local"}, "C:/Users/甲/AppData/Local/gen"),
        ("darwin", {}, "HOME/Library/Caches/gen"),
        ("linux", {"XDG_CACHE_HOME": "/var/cache/甲"}, "/var/cache/甲/gen"),
        ("linux", {}, "HOME/.cache/gen"),
    ],
)
def test_the_cache_folder_is_where_each_system_keeps_caches(
    platform, environment, expected, monkeypatch, tmp_path
):
    monkeypatch.setattr(libreoffice.sys, "platform", platform)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(libreoffice.Path, "home", lambda: tmp_path)
    expected = expected.replace("HOME", tmp_path.as_posix())
    assert libreoffice.cache_folder().as_posix() == expected


@needs_soffice
def test_libreoffice_on_every_core_makes_each_pdf_and_keeps_its_profiles(tmp_path, cache_folder):
    for name in ("甲", "乙", "丙"):
        (tmp_path / "projects").mkdir(exist_ok=True)
        (tmp_path / "projects" / f"{name}.yaml").write_text(good_project(name), encoding="utf-8")
    out = tmp_path / "out"
    build([tmp_path / "projects"], BuildOptions(out_dir=out))
    files = sorted(out.glob("*.docx"))
    result = pdf.convert([(f, f.with_suffix(".pdf")) for f in files], jobs=2)
    assert result.written == [f.with_suffix(".pdf") for f in files] and not result.failed
    for name in ("甲", "乙", "丙"):
        text = pdf_text(out / f"{name}.pdf")
        assert f"{name}数量" in text and "3082.53" in text
        assert [other for other in "甲乙丙" if other in text] == [name]  # not another's form
    slots = cache_folder / "libreoffice"
    ready = sorted(path.parent.name for path in slots.glob("*/ready"))
    assert len(ready) == 2
    assert all((slots / slot / "profile" / "user" / "registrymodifications.xcu").is_file() for slot in ready)  # fmt: skip
    # LibreOffice's graphics self-test (a second at each start) did not run: the profile says
    # this version has started before
    assert not list(slots.glob("*/profile/user/GraphicsRenderTests.log"))


@posix_only
def test_a_read_only_pdf_of_the_book_is_never_replaced(runner, in_tmp, write, monkeypatch):
    """The book's PDF is named after a file the user named: kept read-only as the book would be."""
    monkeypatch.setattr(libreoffice, "find_soffice", lambda: fake_soffice(in_tmp, WRITES_PDFS))
    write("projects/a.yaml", GOOD_PROJECT)
    kept = in_tmp / "book/全部.pdf"
    kept.parent.mkdir()
    kept.write_bytes(b"the user's own")
    kept.chmod(0o444)  # the 只读 attribute on Windows
    result = runner.invoke(main, ["build", "projects", "--pdf", "--book", "book/全部.docx"])
    assert result.exit_code == 1
    assert (
        "book/全部.docx: 无法写入 book/全部.pdf：文件是只读的，没有覆盖；"
        "请取消它的只读属性后重试，或另选一个文件名"
    ) in result.stdout.splitlines()
    assert result.stderr.startswith("PDF：已生成 1 个，失败 1 个\n")
    assert kept.read_bytes() == b"the user's own"
    assert (in_tmp / "book/全部.docx").is_file()  # the book itself is written
    assert (in_tmp / "output/a.pdf").read_bytes().startswith(b"%PDF-")  # a form's PDF is gen's


# LibreOffice (7.4) ignores the arguments after about the 250th, without a word or an exit code
CONVERTS_THE_FIRST_ARGUMENTS = """\
for docx in [Path(a) for a in argv[:252] if a.endswith('.docx')]:
    (out / (docx.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + docx.read_bytes()[:4] + b"\\n%%EOF\\n")
"""


@posix_only
def test_libreoffice_is_given_the_files_a_batch_at_a_time(tmp_path, monkeypatch):
    files = []
    for number in range(450):
        files.append(tmp_path / f"{number}.docx")
        files[-1].write_bytes(f"{number:04d}".encode())
    runs: list[list[str]] = []
    start = libreoffice.start
    monkeypatch.setattr(
        libreoffice, "start", lambda command, log: runs.append(command) or start(command, log)
    )
    soffice = fake_soffice(tmp_path, CONVERTS_THE_FIRST_ARGUMENTS)
    result = pdf.convert([(f, f.with_suffix(".pdf")) for f in files], soffice=soffice, jobs=1)
    assert not result.failed
    assert result.written == [f.with_suffix(".pdf") for f in files]
    assert [len([a for a in run if a.endswith(".docx")]) for run in runs] == [200, 200, 50]
    assert len({run[1] for run in runs}) == 1  # one profile, set up once
    assert (tmp_path / "449.pdf").read_bytes().startswith(b"%PDF-1.4 0449")
