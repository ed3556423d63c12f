"""Property: whatever a sample project is mutated into, check() and build() stay within their promises.

A sample project is mutated at random (lines deleted, duplicated, swapped, re-indented; keys
and values replaced by hostile ones: odd numbers, tags, anchors, nesting, random Unicode with
control characters and lone surrogates; the file cut at a random byte) and put beside two of
its untouched siblings. Then no exception escapes, no finding is an internal error (a defect
the boundary caught), the mutated project passes or has located errors and no form, the
siblings' forms are byte-identical to a clean build, and nothing outside output/ changes.

The default run is small and derandomized (CI is reproducible); `pytest -m slow` runs many more.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from gen.build import BuildOptions, build, check
from gen.report import Report

PROJECTS = sorted(p for p in SAMPLES.rglob("*.yaml") if not p.name.startswith("_"))
SIBLINGS = 2  # untouched projects of the same folder built beside the mutated one
FEW = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MANY = settings(FEW, max_examples=3000, derandomize=False)

KEYS = [
    "年度",
    "项目名称",
    "项目类别",
    "项目资金",
    "财政资金",
    "项目资金总额",
    "绩效指标",
    "格式",
    "表样",
]
KEYS += ["计划开始日期", "项目期间", "金额小数位", "千分位", "零值", "日期格式", "产出指标", "x"]
VALUES = [  # each parses as YAML; each has broken a promise somewhere, or could
    "017", "0x1F", "0o17", "1:30", "1_000", "+5", ".5", "-1", "1e3", "1.0e-999999999", "9" * 5000,
    "123456789012.12345678901234567891", "999999999999999.999999", "yes", "no", "on", "~", "null",
    "!!int abc", "!!bool maybe", "!!str 5", "!!int ''", "!<tag:yaml.org,2002:int> zz", "!foo x",
    "&a x", "[1, [2, [3]]]", "{a: 1, b: [2]}", "'   '", "'　'", "　", '"\\v\\0\\e\\a\\f"',
    '"\\uD800"', '"\\uFFFE\\uFFFF"', '"\\x85\\x7f"', "2026-02-30", "2026-1-1", "9999-12-31",
    "0001-01-01", "2026-01-01 10:00:00", "|\n  多行\n  文字", ">-\n  折叠", "绩效目标申报表",
    "专项资金", "（请填写金额）", "YYYY", "0", "6", "7", "[" * 40 + "]" * 40, "2026", "20260",
    "3.14", "-0", "0.0000001", "1,000", "100万元", "2025-2026", "2027-2026", "0000-9999", "''",
]  # fmt: skip
BROKEN = ["'", '"', "[", "{", "- a", ": :", "%", "@", "`", "?", "\t", "a：b", "*a", "&"]
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # control and surrogate too
PRINTABLE = st.characters(exclude_categories=("Cs", "Cc"))


# ---------------------------------------------------------------- mutations of a file's text

Lines = list[str]


def _value(draw: st.DrawFn) -> str:
    """A hostile value: a known troublemaker, random text escaped or raw, or broken YAML."""
    kind = draw(st.sampled_from(["known", "known", "printable", "escaped", "raw", "broken"]))
    if kind == "known":
        return draw(st.sampled_from(VALUES))
    if kind == "broken":
        return draw(st.sampled_from(BROKEN))
    alphabet = PRINTABLE if kind == "printable" else ANY_CHARACTER
    text = draw(st.text(alphabet, max_size=12))
    return (
        text.replace("\n", " ")
        if kind == "raw"
        else json.dumps(text, ensure_ascii=kind == "escaped")
    )


EDITS = ["value", "value", "value", "insert", "insert", "key", "delete", "duplicate", "swap"]
EDITS += ["indent"]


@st.composite
def _line_edit(draw: st.DrawFn) -> Callable[[Lines], Lines]:
    """One edit of the lines: delete, duplicate, swap, re-indent, replace a key or a value."""
    kind = draw(st.sampled_from(EDITS))
    at, other = draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000))
    value, key = (
        _value(draw),
        draw(st.sampled_from([*KEYS, draw(st.text(ANY_CHARACTER, max_size=6))])),
    )
    indent = draw(st.sampled_from(["", "  ", "    ", "      ", " "]))

    def edit(lines: Lines) -> Lines:
        if not lines:
            return [f"{key}: {value}"]
        i, j = at % len(lines), other % len(lines)
        if kind == "delete":
            return lines[:i] + lines[i + 1 :]
        if kind == "duplicate":
            return lines[: i + 1] + lines[i:]
        if kind == "swap":
            lines = list(lines)
            lines[i], lines[j] = lines[j], lines[i]
            return lines
        if kind == "indent":
            return [*lines[:i], indent + lines[i].lstrip(" "), *lines[i + 1 :]]
        own = lines[i][: len(lines[i]) - len(lines[i].lstrip(" "))]  # a sibling's indentation
        if kind == "key" and ":" in lines[i]:
            return [*lines[:i], f"{own}{key}:{lines[i].partition(':')[2]}", *lines[i + 1 :]]
        if kind == "value":  # the value of the first "key: value" line from i on
            leaves = [n for n in range(len(lines)) if _leaf(lines[(i + n) % len(lines)])]
            if leaves:
                n = (i + leaves[0]) % len(lines)
                return [*lines[:n], f"{lines[n].partition(':')[0]}: {value}", *lines[n + 1 :]]
        return [*lines[:i], f"{own}{key}: {value}", *lines[i:]]

    return edit


def _leaf(line: str) -> bool:
    """A "key: value" line with a value on it (not a comment, not a block's header)."""
    head, colon, tail = line.partition(":")
    return bool(colon and tail.strip() and not head.lstrip().startswith("#"))


@st.composite
def mutated(draw: st.DrawFn) -> tuple[Path, bytes]:
    """A sample project and the bytes it is mutated into."""
    project = draw(st.sampled_from(PROJECTS))
    lines = project.read_text(encoding="utf-8").splitlines()
    for edit in draw(st.lists(_line_edit(), min_size=1, max_size=3)):
        lines = edit(lines)
    data = ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")  # a raw surrogate: bad UTF-8
    if draw(st.integers(0, 7)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # cut, maybe inside a character
    return project, data


# ---------------------------------------------------------------- the invariants


def plant(root: Path, project: Path, data: bytes) -> tuple[Path, list[Path]]:
    """root/projects: the samples' root _defaults.yaml, the project's folder _defaults.yaml,
    the mutated project and its first SIBLINGS siblings; the mutated file and the siblings."""
    tree = root / "projects"
    folder = tree / project.parent.name
    folder.mkdir(parents=True)
    for defaults in (SAMPLES / "_defaults.yaml", project.parent / "_defaults.yaml"):
        (tree / defaults.relative_to(SAMPLES)).write_bytes(defaults.read_bytes())
    siblings = [p for p in sorted(project.parent.glob("*.yaml")) if p in PROJECTS and p != project]
    for sibling in siblings[:SIBLINGS]:
        (folder / sibling.name).write_bytes(sibling.read_bytes())
    (folder / project.name).write_bytes(data)
    return folder / project.name, [folder / s.name for s in siblings[:SIBLINGS]]


def tree_state(tree: Path) -> dict[str, str]:
    """The hash of every file below the projects tree."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in tree.rglob("*") if p.is_file()
    }


def assert_located(report: Report, bad: Path, tree: Path) -> None:
    """Every finding is located in the tree; none is a defect; the mutated file passes or has errors."""
    for finding in report.findings:
        assert finding.code != "internal-error", str(finding)
        assert finding.line >= 0 and tree in (finding.file, *finding.file.parents), str(finding)
        assert "\n" not in str(finding)
    for result in report.results:
        if result.path != bad:
            assert result.errors == [], [str(f) for f in result.errors]


def assert_invariants(project: Path, data: bytes, clean: dict[str, bytes]) -> None:
    """check() and build() of the mutated project beside its siblings keep every promise."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        bad, siblings = plant(root, project, data)
        tree, out = root / "projects", root / "output"
        before = tree_state(tree)
        assert_located(check([tree]), bad, tree)
        report = build([tree], BuildOptions(out_dir=out, jobs=1))
        assert_located(report, bad, tree)
        assert tree_state(tree) == before
        for sibling in siblings:
            relative = sibling.relative_to(tree).with_suffix(".docx").as_posix()
            assert (out / relative).read_bytes() == clean[relative]
        form = out / bad.relative_to(tree).with_suffix(".docx")
        failed = next(r for r in report.results if r.path == bad).errors
        assert form.exists() == (not failed)
        if form.exists():
            with zipfile.ZipFile(form) as package:
                etree.fromstring(package.read("word/document.xml"))


class Forms(dict[str, bytes]):
    """Forms by their path in the output folder; shown briefly when hypothesis reports a failure."""

    def __repr__(self) -> str:
        return f"<{len(self)} clean forms>"


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Forms:
    """The sample forms of a clean build, by their path in the output folder."""
    out = tmp_path_factory.mktemp("clean")
    assert build([SAMPLES], BuildOptions(out_dir=out, jobs=1)).exit_code == 0
    return Forms({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.docx")})


@FEW
@given(mutated())
def test_a_mutated_project_never_breaks_a_promise(
    clean: dict[str, bytes], case: tuple[Path, bytes]
) -> None:
    assert_invariants(*case, clean)


@pytest.mark.slow
@MANY
@given(mutated())
def test_many_mutated_projects_never_break_a_promise(
    clean: dict[str, bytes], case: tuple[Path, bytes]
) -> None:
    assert_invariants(*case, clean)


@settings(FEW, max_examples=3)
@given(mutated())
def test_a_mutated_project_through_the_cli(
    clean: dict[str, bytes], case: tuple[Path, bytes]
) -> None:
    project, data = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        bad, siblings = plant(root, project, data)
        done = subprocess.run(
            [sys.executable, "-m", "gen", "build", "-q", "projects", "-o", "output"],
            cwd=root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
        )
        assert done.returncode in (0, 1) and "Traceback" not in done.stdout + done.stderr
        assert all(line.startswith("projects/") for line in done.stdout.splitlines())
        for sibling in siblings:
            relative = sibling.relative_to(root / "projects").with_suffix(".docx").as_posix()
            assert (root / "output" / relative).read_bytes() == clean[relative]
