"""Benchmark: prints every speed figure of gen beside its target; it asserts nothing.

Run `python bench/run.py` from the repository root (`--quick` for a short run). Projects are
generated from the shapes of the sample projects/: 5–20 indicators, goals of 20–400
characters, both 表样, folders with _defaults.yaml. Every gen figure is the wall time of a
`python -m gen …` process, start-up included, so it is what a user waits for. Each timing is
repeated (`--repeat`), the runs of gen and of what it is compared with alternating, and the
median is printed. Whatever gen is importable is measured (PYTHONPATH=<checkout> measures
another one). gen's caches go to a temporary folder, never the user's.
"""

from __future__ import annotations

import argparse
import os
import pickle
import queue
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
FOLDERS = 10
CATEGORY = {
    "绩效目标表": ("专项资金", "经常性项目", "一次性项目"),
    "绩效目标申报表": ("人员类项目", "运转类项目", "特定目标类项目"),
}
LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "效益指标": ("社会效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
VALUES = {
    "数量指标": ("{n}次", "{n}人", "≥{n}份", "{n}个"),
    "质量指标": ("100%", "≥95%", "合格"),
    "时效指标": ("及时", "每月", "按时完成"),
    "社会效益指标": ("提升", "明显改善", "有效保障"),
    "可持续影响指标": ("建立健全", "长期"),
    "服务对象满意度指标": ("≥90%", "95%", "100%"),
}
WORDS = tuple(
    [
        "保障",
        "社区",
        "居民",
        "服务",
        "开展",
        "活动",
        "宣传",
        "经费",
        "管理",
        "提升",
        "工作",
        "落实",
        "安全",
        "治理",
        "规范",
        "建设",
        "培训",
        "志愿者",
        "法治",
        "党建",
        "平安",
        "健康",
        "信息",
        "采集",
        "维护",
        "设施",
        "运行",
        "人员",
        "队伍",
        "考核",
        "监督",
    ]
)


def text(rng: random.Random, low: int, high: int, tag: str) -> str:
    """A goal of low–high characters made of plausible words, unique through `tag`."""
    length = rng.randint(low, high)
    words = [tag]
    while sum(map(len, words)) < length:
        words.append(rng.choice(WORDS))
    return "".join(words)[:length] + "。"


def project(rng: random.Random, index: int, form: str) -> str:
    """One project file: what a clerk writes below a folder's _defaults.yaml."""
    amount = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
    lines = [
        f"项目名称: 项目{index:05d}",
        f"项目类别: {rng.choice(CATEGORY[form])}",
        *(["项目性质: 经常性项目"] if form == "绩效目标申报表" else []),
        "项目资金:",
        f"  财政资金: {amount}",
        "年度资金:",
        f"  当年财政拨款: {amount}",
        f"项目总目标: {text(rng, 20, 400, f'项目{index}')}",
        "年度总体目标: |",
        f"  {text(rng, 20, 200, f'项目{index}年度')}",
        f"  {text(rng, 20, 200, '另')}",
        "绩效指标:",
    ]
    lines += indicators(rng, index, rng.randint(5, 20))
    return "\n".join(lines) + "\n"


def indicators(rng: random.Random, index: int, count: int) -> list[str]:
    """`count` indicators over the three required 一级, at least one under each."""
    slots = [(l1, l2) for l1, l2s in LEVEL2.items() for l2 in l2s]
    chosen = slots[:1] + [slots[3]] + [slots[5]] + [rng.choice(slots) for _ in range(count - 3)]
    tree: dict[str, dict[str, list[str]]] = {}
    for number, (l1, l2) in enumerate(sorted(chosen, key=slots.index)):
        value = rng.choice(VALUES[l2]).format(n=rng.randint(1, 500))
        tree.setdefault(l1, {}).setdefault(l2, []).append(
            f"      {l2[:2]}{index}-{number}: {value}"
        )
    lines = []
    for l1, level2 in tree.items():
        lines.append(f"  {l1}:")
        for l2, rows in level2.items():
            lines += [f"    {l2}:", *rows]
    return lines


def generate(root: Path, n: int, seed: int = 2026) -> Path:
    """N projects in FOLDERS folders below root/projects; half the folders are 申报表."""
    rng = random.Random(seed)
    projects = root / "projects"
    projects.mkdir(parents=True)
    (projects / "_defaults.yaml").write_text(
        "年度: 2026\n计划开始日期: 2026-01-01\n计划完成日期: 2026-12-31\n主管部门: 浦江镇人民政府\n",
        encoding="utf-8",
    )
    for folder in range(FOLDERS):
        form = ("绩效目标表", "绩效目标申报表")[folder % 2]
        where = projects / f"单位{folder:02d}"
        where.mkdir()
        (where / "_defaults.yaml").write_text(
            f"表样: {form}\n实施单位: 浦江镇单位{folder:02d}\n", encoding="utf-8"
        )
    for index in range(n):
        folder = index % FOLDERS
        form = ("绩效目标表", "绩效目标申报表")[folder % 2]
        path = projects / f"单位{folder:02d}" / f"项目{index:05d}.yaml"
        path.write_text(project(rng, index, form), encoding="utf-8")
    return projects


# ---------------------------------------------------------------- measuring

# gen as users run it: the installed command; python -m gen when there is none, or when
# PYTHONPATH points at another copy of gen (the command names the entry point of this one)
_SCRIPT = Path(sys.executable).with_name("gen.exe" if os.name == "nt" else "gen")
_OWN = _SCRIPT.is_file() and not os.environ.get("PYTHONPATH")
GEN = [str(_SCRIPT)] if _OWN else [sys.executable, "-m", "gen"]
SAMPLES = REPO / "projects"
WATCHED = Path("平安办") / "安保经费.yaml"  # the sample project saved again and again
RSS_PROBE = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def environment(root: Path) -> dict[str, str]:
    """The environment of every gen run: its cache folder in the benchmark's temp folder.

    Python may write its .pyc files, as it does for an installed gen.
    """
    cache = str(root / "cache")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "XDG_CACHE_HOME": cache, "LOCALAPPDATA": cache, "PYTHONUNBUFFERED": "1"}


@dataclass(frozen=True)
class Took:
    """How long a command took: wall seconds, and CPU seconds of it and its children."""

    wall: float
    cpu: float | None  # None where the system does not say (Windows)

    def __str__(self) -> str:
        cpu = "" if self.cpu is None else f" (cpu {self.cpu:.2f} s)"
        return f"{self.wall:.2f} s{cpu}"


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Took:
    """How long one command takes, start-up included; a failed run stops the benchmark."""
    settle_disk()
    before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    # 1: some project failed, still a whole run; but never a crash of gen itself
    if done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    after = _children_cpu()
    return Took(took, None if after is None or before is None else after - before)


def settle_disk() -> None:
    """Write out what earlier commands left for the disk to write, so the next one does not pay.

    On ext4 a command that runs while thousands of files written or deleted just before are
    still being written out pays several times the usual cost for each file it creates
    (0.3–0.7 ms instead of 0.02). Both runs compared start on a settled disk. Windows has no
    such call; there the figures move with it.
    """
    if hasattr(os, "sync"):
        os.sync()


def _children_cpu() -> float | None:
    """User and system seconds of every finished child process so far (POSIX only)."""
    if sys.platform == "win32":
        return None
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def alternating(runs: dict[str, Callable[[], Took]], repeat: int) -> dict[str, list[Took]]:
    """The times of each run, `repeat` of them, the runs taking turns so a busy moment hits them all."""
    times: dict[str, list[Took]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            times[name].append(run())
    return times


def median(times: list[Took]) -> Took:
    """The median wall time and the median CPU time."""
    cpus = [took.cpu for took in times if took.cpu is not None]
    wall = statistics.median(took.wall for took in times)
    return Took(wall, statistics.median(cpus) if len(cpus) == len(times) else None)


def ratio(top: list[Took], bottom: list[Took]) -> tuple[float, str]:
    """median(top) / median(bottom) in wall time, and the text showing it.

    The text adds the CPU-time ratio and, over several turns, the lowest and highest ratio of
    one turn's runs: how far the machine moved the figure while it was measured.
    """
    above, below = median(top), median(bottom)
    value = above.wall / below.wall
    cpu = "" if above.cpu is None or not below.cpu else f" (cpu {above.cpu / below.cpu:.1f}×)"
    turns = sorted(a.wall / b.wall for a, b in zip(top, bottom, strict=True))
    spread = f", turns {turns[0]:.2f}–{turns[-1]:.2f}×" if len(turns) > 1 else ""
    return value, f"{value:.2f}×{cpu}{spread}"


def peak_rss_mb(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """The peak RSS of a command in MB, measured by a parent of its own."""
    probe = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    return int(probe.stdout.strip()) / 1024


def show(name: str, value: str, target: str = "", met: bool | None = None) -> None:
    """One figure: what was measured, its target, and whether it is met (not said for a quick
    run: the targets are for the full one's sizes and turns; 60 forms are no 200)."""
    verdict = "" if met is None else ("  met" if met else "  NOT MET")
    if QUICK and met is not None:
        verdict = "  (not judged: --quick)"
    print(f"{name:<58} {value:<36} {target}{verdict}", flush=True)


def gen_build(projects: Path, out: Path, *options: str) -> list[str]:
    """The `gen build` command line for a tree, quiet, with the repository's templates."""
    return [*GEN, "build", str(projects), "-q", "-o", str(out), "--templates", str(TEMPLATES), *options]  # fmt: skip


# ---------------------------------------------------------------- the plain docxtpl loop


def write_contexts(projects: Path, file: Path) -> None:
    """Save gen's render context of every project, keyed by its path below `projects`."""
    from gen.build import check
    from gen.model import project_from, render_context

    contexts = {}
    for result in check([projects]).results:
        assert result.doc is not None, result.findings
        relative = result.path.relative_to(projects).as_posix()
        contexts[relative] = render_context(project_from(result.doc))
    file.write_bytes(pickle.dumps(contexts))


def plain_loop(projects: Path, contexts_file: Path, out: Path) -> None:
    """What a user would write with docxtpl: per project, read the YAML, render, save.

    Each project file is read with yaml.safe_load, its folders' _defaults.yaml merged in (each
    read once), and its 表样 taken from the merged data; a new DocxTemplate (gen's subclass,
    for the groupmerge tag) renders it with an autoescaping Jinja environment and saves the
    .docx. The context rendered is gen's own for that project, computed beforehand and not
    timed: the loop gets the indicator rows, amounts and boxes for free.
    """
    import jinja2
    import yaml

    from gen.docxtpl_tags import GroupMergeTemplate

    contexts = pickle.loads(contexts_file.read_bytes())
    defaults: dict[Path, dict[str, Any]] = {}
    for file in sorted(projects.rglob("*.yaml")):
        if file.name.startswith("_"):
            continue
        data: dict[str, Any] = {}
        for folder in [*reversed(file.parent.relative_to(projects).parents), file.parent.relative_to(projects)]:  # fmt: skip
            if folder not in defaults:
                shared = projects / folder / "_defaults.yaml"
                text = shared.read_text(encoding="utf-8") if shared.is_file() else ""
                defaults[folder] = yaml.safe_load(text) or {}
            data.update(defaults[folder])
        data.update(yaml.safe_load(file.read_text(encoding="utf-8")))
        relative = file.relative_to(projects)
        template = GroupMergeTemplate(TEMPLATES / f"{data.get('表样', '绩效目标表')}.docx")
        env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        template.render(contexts[relative.as_posix()], env)
        target = out / relative.with_suffix(".docx")
        target.parent.mkdir(parents=True, exist_ok=True)
        template.save(target)


def whole_build(root: Path, forms: int, repeat: int) -> None:
    """Cold `gen build -j 1` (fresh output folder, no state) against the plain loop."""
    projects = generate(root / "forms", forms)
    contexts = root / "contexts.pickle"
    write_contexts(projects, contexts)
    env = environment(root)
    count = iter(range(10**6))

    def gen() -> Took:
        return timed(gen_build(projects, root / f"cold-{next(count)}", "-j", "1"), root, env)

    def plain() -> Took:
        out = root / f"plain-{next(count)}"
        loop = [sys.executable, __file__, "--plain-loop", str(projects), str(contexts), str(out)]
        return timed(loop, root, env)

    creating_before = file_creation_ms(root)
    times = alternating({"gen": gen, "plain": plain}, repeat)
    creating_after = file_creation_ms(root)
    middle = {name: median(runs) for name, runs in times.items()}
    per = {name: f"{took}, {took.wall / forms * 1000:.1f} ms/form" for name, took in middle.items()}
    show(f"whole cold build `gen build -j 1`, {forms} forms", per["gen"])
    show("plain docxtpl loop (safe_load, render, save), same forms", per["plain"])
    value, text = ratio(times["plain"], times["gen"])
    show("  plain loop / gen build", text, "≥ 10×", value >= 10)
    creating = f"{creating_before:.2f} ms before, {creating_after:.2f} ms after"
    show("  creating one file here (gen and the loop write one a form)", creating)


def file_creation_ms(root: Path, count: int = 200) -> float:
    """What creating one new file costs here, in wall milliseconds: the same for gen and the loop.

    On some disks (ext4 while many files written or deleted just before are written out, an
    antivirus watching new files on Windows) this is a large part of a 2 ms form, and moves the
    ratio above with it.
    """
    folder = root / f"probe-{time.monotonic_ns()}"
    folder.mkdir()
    settle_disk()  # as before each timed command
    started = time.perf_counter()
    for number in range(count):
        (folder / f"{number}.docx").write_bytes(b"PK")
    took = time.perf_counter() - started
    shutil.rmtree(folder)
    return took / count * 1000


# ---------------------------------------------------------------- PDFs


def pdf_batch(root: Path, label: str, projects: Path, repeat: int) -> None:
    """`gen build --pdf` (forms up to date, profiles cached) against one soffice batch."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        show(f"--pdf, {label}", "skipped: no soffice")
        return
    env = environment(root)
    out = root / f"pdf-{label}"
    subprocess.run(gen_build(projects, out), cwd=root, env=env, check=False)
    forms = sorted(out.rglob("*.docx"))
    staged = root / f"staged-{label}"  # numbered copies: equal names in two folders cannot clash
    staged.mkdir()
    for number, form in enumerate(forms):
        shutil.copyfile(form, staged / f"{number:05d}.docx")
    inputs = sorted(str(path) for path in staged.iterdir())
    shutil.rmtree(root / "cache", ignore_errors=True)
    first = timed(gen_build(projects, out, "--pdf"), root, env)
    count = iter(range(10**6))

    def gen() -> Took:
        return timed(gen_build(projects, out, "--pdf"), root, env)

    def batch() -> Took:
        k = next(count)
        fresh = f"-env:UserInstallation={(root / f'fresh-{label}-{k}').as_uri()}"
        outdir = root / f"soffice-{label}-{k}"
        command = [soffice, fresh, "--headless", "--convert-to", "pdf", "--outdir", str(outdir)]
        return timed([*command, *inputs], root, env)

    times = alternating({"gen": gen, "soffice": batch}, repeat)
    made = len(list(out.rglob("*.pdf")))
    show(f"--pdf, {label} ({len(forms)} forms, {made} PDFs): gen build --pdf", str(median(times["gen"])))  # fmt: skip
    show("  the same, first run (profiles not yet cached)", str(first))
    show("  one soffice --convert-to pdf batch, fresh profile", str(median(times["soffice"])))
    value, text = ratio(times["gen"], times["soffice"])
    show("  gen / soffice batch", text, "≤ 0.6×", value <= 0.6)


# ---------------------------------------------------------------- gen watch


def watch_latency(root: Path, saves: int) -> None:
    """From a project file's write to its form's replace, with `gen watch` on the sample tree."""
    tree = root / "watch"
    shutil.copytree(SAMPLES, tree / "projects")
    command = [*GEN, "watch", "projects", "-o", "output", "--templates", str(TEMPLATES)]
    process = subprocess.Popen(
        command, cwd=tree, env=environment(root), stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL, text=True, encoding="utf-8",
        preexec_fn=_hear_ctrl_c if os.name == "posix" else None,  # Windows has no preexec_fn
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_forward, args=(process.stderr or [], lines), daemon=True).start()
    project, form = tree / "projects" / WATCHED, tree / "output" / WATCHED.with_suffix(".docx")
    original = project.read_text(encoding="utf-8")
    latencies = []
    try:
        _wait_for(lines, "正在监视改动")
        for k in range(saves):
            time.sleep(0.5)  # well apart, so each save is a batch of its own
            before = form.stat().st_ino
            started = time.perf_counter()
            project.write_text(original + f"# 第 {k} 次保存\n", encoding="utf-8")
            while form.stat().st_ino == before:
                if time.perf_counter() - started > 30:
                    sys.exit("gen watch did not rewrite the form within 30 s")
                time.sleep(0.0005)
            latencies.append(time.perf_counter() - started)
            _wait_for(lines, "已生成")
    finally:
        process.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            sys.exit("gen watch did not stop within 30 s of Ctrl-C")
    median = statistics.median(latencies) * 1000
    spread = f"{median:.0f} ms (max {max(latencies) * 1000:.0f})"
    show(f"gen watch: save → form replaced, sample tree, {saves} saves", spread, "< 150 ms", median < 150)  # fmt: skip


def _forward(stream: Iterable[str], lines: queue.Queue[str]) -> None:
    """Put each line the watcher prints into `lines`, until it ends."""
    for line in stream:
        lines.put(line)


def _hear_ctrl_c() -> None:
    """In the watcher, before it starts: Ctrl-C stops it, as it does in a terminal.

    A benchmark started in the background (`python bench/run.py &`) has SIGINT ignored, and an
    ignored signal stays ignored in every program it starts.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(lines: queue.Queue[str], text: str) -> None:
    """Read the watcher's stderr until a line containing `text`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if text in lines.get(timeout=1):
                return
        except queue.Empty:
            continue
    sys.exit(f"gen watch never printed “{text}”")


# ---------------------------------------------------------------- the rest


def many_projects(root: Path, small: int, large: int, repeat: int) -> None:
    """gen check and builds of `large` projects, peak memory at `small` and `large`, --help."""
    env = environment(root)
    few, many = generate(root / "few", small), generate(root / "many", large)
    build = gen_build(many, root / "many-out")
    took = median([timed([*GEN, "check", str(many)], root, env) for _ in range(repeat)])
    show(f"gen check, {large} projects, cold, one process", str(took), "< 2 s", took.wall < 2)
    show(f"gen build, {large} projects, cold, every core", str(timed(build, root, env)))
    unchanged = timed(build, root, env)
    show(f"gen build, {large} projects, nothing changed", str(unchanged), "< 1 s", unchanged.wall < 1)  # fmt: skip
    show(
        "  of which comparing every form with its SHA-256",
        f"{form_check_ms(root / 'many-out'):.0f} ms",
    )
    touched = many / "单位03" / "项目00003.yaml"
    touched.write_text(touched.read_text(encoding="utf-8") + "# 改动\n", encoding="utf-8")
    show(f"gen build, {large} projects, one file changed", str(timed(build, root, env)))
    book = [*build, "--book", str(root / "book.docx")]
    show(f"gen build, {large} projects unchanged, with --book", str(timed(book, root, env)))
    if sys.platform == "win32":  # the probe reads the peak through the resource module
        show(f"peak RSS, cold build -j 1, {small} → {large} projects", "not measured on Windows")
    else:
        rss = [peak_rss_mb(gen_build(tree, root / f"rss-{tree.parent.name}", "-j", "1"), root, env) for tree in (few, many)]  # fmt: skip
        growth = rss[1] / rss[0] - 1
        show(f"peak RSS, cold build -j 1, {small} → {large} projects",
             f"{rss[0]:.1f} → {rss[1]:.1f} MB ({growth:+.0%})", "≤ +20%", growth <= 0.2)  # fmt: skip
    helps = [timed([*GEN, "--help"], root, env) for _ in range(max(5, repeat))]
    took, best = median(helps), min(took.wall for took in helps)
    cpu = "" if took.cpu is None else f", cpu {took.cpu:.3f} s"
    show("gen --help", f"{took.wall:.3f} s (best {best:.3f}{cpu})", "< 0.2 s", took.wall < 0.2)
    took = unknown_keys(root, env)
    show("gen check, one file with 10,000 unknown keys", str(took), "< 2 s", took.wall < 2)
    took = nonstandard_level2(root, env)
    show("gen check, one file with 4,000 nonstandard 二级 names", str(took), "< 2 s", took.wall < 2)


def form_check_ms(out: Path) -> float:
    """ms a no-change build spends telling that every form is still as written (size, SHA-256)."""
    from gen.state import State

    state = State.read(out)
    entries = [(out / key, state.get(out / key, out / key)) for key in state.raw]
    started = time.perf_counter()
    unchanged = sum(entry.output_matches(form) for form, entry in entries if entry is not None)
    assert unchanged == len(entries)
    return (time.perf_counter() - started) * 1000


def unknown_keys(root: Path, env: dict[str, str], count: int = 10_000) -> Took:
    """`gen check` on one project with `count` unknown keys, start-up included."""
    folder = root / "unknown"
    folder.mkdir()
    extra = "".join(f"未知键{i}: {i}\n" for i in range(count))
    (folder / "项目.yaml").write_text(project(random.Random(1), 0, "绩效目标表") + extra, "utf-8")
    return timed([*GEN, "check", "unknown"], root, env)


def nonstandard_level2(root: Path, env: dict[str, str], count: int = 4000) -> Took:
    """`gen check` on one project whose 产出指标 has `count` 二级 names none of them standard."""
    folder = root / "level2"
    folder.mkdir()
    text = project(random.Random(2), 0, "绩效目标表")
    groups = "".join(f"    工作量{i}:\n      完成次数{i}: {i}次\n" for i in range(count))
    text = text.replace("  产出指标:\n", "  产出指标:\n" + groups, 1)
    (folder / "项目.yaml").write_text(text, "utf-8")
    return timed([*GEN, "check", "level2"], root, env)


def main() -> None:
    """Generate the projects, measure, print one line per figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer projects and repeats")
    parser.add_argument(
        "--repeat", type=int, help=f"runs per timing (default 3, whole {WHOLE_TURNS}, quick 1)"
    )
    parser.add_argument("--no-pdf", action="store_true", help="leave out the --pdf figures")
    parser.add_argument("--only", choices=PARTS, action="append", help="measure only this part")
    parser.add_argument("--plain-loop", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global QUICK
    QUICK = args.quick
    if args.plain_loop:
        plain_loop(*args.plain_loop)
        return
    repeat = args.repeat or (1 if args.quick else 3)
    forms, small, large = (60, 30, 300) if args.quick else (200, 100, 1000)
    import gen

    print(f"gen {gen.__version__} from {Path(gen.__file__).parent}, run as {' '.join(GEN)}; "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {repeat}"
          f"{'' if args.repeat or args.quick else f' ({WHOLE_TURNS} for the whole build)'}")  # fmt: skip
    parts = args.only or [part for part in PARTS if not (args.no_pdf and part == "pdf")]
    with tempfile.TemporaryDirectory(prefix="gen-bench-") as temp:
        root = Path(temp)
        if "whole" in parts:  # a one-second run: the machine moves it most, more turns steady it
            whole_build(root, forms, args.repeat or (1 if args.quick else WHOLE_TURNS))
        if "pdf" in parts:
            pdf_batch(root, "sample", SAMPLES, repeat)
            if not args.quick:
                pdf_batch(root, "200", generate(root / "pdf200", 200), repeat)
        if "watch" in parts:
            watch_latency(root, 5 if args.quick else 15)
        if "many" in parts:
            many_projects(root, small, large, repeat)


PARTS = ("whole", "pdf", "watch", "many")
QUICK = False  # a --quick run: figures beside their targets, not judged
WHOLE_TURNS = 7  # turns of the whole cold build by default


if __name__ == "__main__":
    main()
