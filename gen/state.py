"""The incremental-build state: what each form in the output folder was built from, kept in one JSON file."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gen import output
from gen._version import __version__
from gen.errors import Finding, Location
from gen.load import KeyPath, Source
from gen.rules import copy_marks

STATE_FILE = ".gen-state.json"  # in the output folder
FORMAT = 2  # bump when an entry's shape changes: an older file then just means a full build
# What the copy-paste checks read of a project: digests of these fields and where each was written.
CROSS_FIELDS = ("项目总目标", "年度总体目标", "绩效指标")


class Fingerprints:
    """Hashes of everything a project's findings and form depend on besides the template.

    Each file is read once per build, however many projects share it (a _defaults.yaml).
    """

    def __init__(self, options: Mapping[str, str]) -> None:
        shown = json.dumps(dict(options), sort_keys=True, ensure_ascii=False)
        self._head = f"gen {__version__}\0{shown}".encode()
        self._files: dict[Path, bytes | None] = {}

    def of(self, files: Iterable[Path]) -> str | None:
        """The hash of a project's inputs; None when one cannot be read.

        `files` are the project's _defaults.yaml files and the project file itself, named as
        the user gave them (the names appear in messages).
        """
        digest = hashlib.sha256(self._head)
        for file in files:
            if file not in self._files:
                self._files[file] = _file_digest(file)
            part = self._files[file]
            if part is None:
                return None
            digest.update(part)
        return digest.hexdigest()


def _file_digest(file: Path) -> bytes | None:
    """The hash of a file's name and bytes; None when it cannot be read."""
    try:
        data = file.read_bytes()
    except OSError:
        return None
    return hashlib.sha256(f"{file.as_posix()}\0{len(data)}\0".encode() + data).digest()


def file_hash(path: Path) -> str:
    """The hash of a template file's bytes ("" when it is missing: rendering will say so)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass(frozen=True)
class Digest:
    """The part of a checked project that the checks across projects read."""

    path: Path
    marks: dict[str, str]  # rules.copy_marks(): digests of the CROSS_FIELDS, not their texts
    origins: dict[str, Location]  # where each CROSS_FIELD was written (source.locate)

    @classmethod
    def of(cls, source: Source, doc: dict[str, Any]) -> Digest:
        """The digest of a validated project."""
        origins = {name: source.locate(name) for name in CROSS_FIELDS}
        return cls(source.path, copy_marks(doc), origins)

    def source(self) -> Source:
        """A stand-in Source that answers locate() for the CROSS_FIELDS as the real one did."""
        origins: dict[KeyPath, Location] = {(name,): at for name, at in self.origins.items()}
        return Source(self.path, {}, origins)

    def as_json(self) -> dict[str, Any]:
        """The digest as JSON data."""
        where = {k: [v.file.as_posix(), v.line] for k, v in self.origins.items()}
        return {"marks": self.marks, "origins": where}

    @classmethod
    def from_json(cls, path: Path, data: dict[str, Any]) -> Digest:
        """A digest read back from the state file."""
        origins = {k: Location(Path(file), line) for k, (file, line) in data["origins"].items()}
        return cls(path, dict(data["marks"]), origins)


@dataclass
class Entry:
    """One form in the output folder: the inputs it was built from and what checking found."""

    project: str  # the project file, absolute, to tell when it has been deleted
    inputs: str  # Fingerprints.of()
    findings: list[Finding]  # those of the project alone (the checks across projects rerun)
    digest: Digest | None  # None when the project did not validate
    form: str = ""  # the 表样 it was built with ("" when not built)
    template: str = ""  # file_hash() of that template
    size: int = -1  # the form as written, to tell when it was changed or deleted by hand
    mtime_ns: int = -1

    def output_matches(self, path: Path) -> bool:
        """Whether the form at `path` is still the one this entry wrote."""
        try:
            stat = path.stat()
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)

    def as_json(self) -> dict[str, Any]:
        """The entry as JSON data."""
        return {
            "project": self.project,
            "inputs": self.inputs,
            "findings": [_finding_json(f) for f in self.findings],
            "digest": self.digest.as_json() if self.digest else None,
            "form": self.form,
            "template": self.template,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: Path) -> Entry:
        """An entry read back; `path` is the project file as named in this run."""
        digest = data["digest"]
        return cls(
            project=data["project"],
            inputs=data["inputs"],
            findings=[_finding_from(item) for item in data["findings"]],
            digest=Digest.from_json(path, digest) if digest else None,
            form=data["form"],
            template=data["template"],
            size=data["size"],
            mtime_ns=data["mtime_ns"],
        )


def _finding_json(finding: Finding) -> list[Any]:
    """A finding as a JSON list."""
    f = finding
    return [f.file.as_posix(), f.line, f.path, f.level, f.code, f.message]


def _finding_from(item: list[Any]) -> Finding:
    """A finding read back."""
    file, line, path, level, code, message = item
    return Finding(Path(file), line, path, level, code, message)


@dataclass
class State:
    """Every entry, keyed by the form's path inside the output folder (posix)."""

    out_dir: Path
    # entries as read (parsed on use), or as written in this run (compact JSON text: a cold
    # build of many projects then holds a few hundred bytes per form, not a tree of dicts)
    raw: dict[str, dict[str, Any] | str] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def read(cls, out_dir: Path) -> State:
        """The state of `out_dir`; a missing, corrupt or older file gives an empty state."""
        try:
            data = json.loads((out_dir / STATE_FILE).read_bytes())
        except (OSError, ValueError):
            return cls(out_dir)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(out_dir)
        entries = data.get("forms")
        return cls(out_dir, entries if isinstance(entries, dict) else {})

    def key(self, form: Path) -> str:
        """The key of a form path inside the output folder."""
        return form.relative_to(self.out_dir).as_posix()

    def get(self, form: Path, project: Path) -> Entry | None:
        """The entry of a form, None when there is none or it cannot be read."""
        data = _parsed(self.raw.get(self.key(form)))
        if data is None:
            return None
        try:
            return Entry.from_json(data, project)
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, form: Path, entry: Entry) -> None:
        """Record (or replace) a form's entry."""
        self.raw[self.key(form)] = _compact(entry.as_json())
        self.changed = True

    def drop(self, form: Path) -> None:
        """Forget a form."""
        if self.raw.pop(self.key(form), None) is not None:
            self.changed = True

    def orphans(self) -> list[Path]:
        """Forms whose project file no longer exists, in path order."""
        gone = []
        for key, text in sorted(self.raw.items()):
            data = _parsed(text)
            project = data.get("project") if isinstance(data, dict) else None
            if not isinstance(project, str) or not os.path.exists(project):
                gone.append(self.out_dir / key)
        return gone

    def write(self) -> None:
        """Save the state atomically, if anything changed."""
        if not self.changed:
            return
        output.write_atomic(self.out_dir / STATE_FILE, self._text())
        self.changed = False

    def _text(self) -> Iterator[bytes]:
        """The state file, entry by entry: never the whole text in memory at once."""
        yield f'{{"format":{FORMAT},"forms":{{'.encode()
        for number, (key, entry) in enumerate(sorted(self.raw.items())):
            text = entry if isinstance(entry, str) else _compact(entry)
            yield f"{',' if number else ''}{_compact(key)}:{text}".encode()
        yield b"}}"


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _compact(data: Any) -> str:
    """JSON text without spaces, Chinese kept readable."""
    return _COMPACT.encode(data)


def _parsed(entry: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """An entry as JSON data, whichever form it is kept in."""
    if isinstance(entry, str):
        loaded = json.loads(entry)
        return loaded if isinstance(loaded, dict) else None
    return entry if isinstance(entry, dict) else None
