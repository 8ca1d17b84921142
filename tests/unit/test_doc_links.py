"""The repository stands alone: every link in a document resolves to a file inside the repository,
nothing points outside it, every document docs/README.md names exists, and the repository paths the
documents quote exist."""

from __future__ import annotations

import glob
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
TOP = ("backend/", "deploy/", "docs/", "tests/", "console/", "miniprogram/", "bench/", ".ci/")
QUOTED_PATH = re.compile(r"`((?:" + "|".join(re.escape(t) for t in TOP) + r")[^`\s]*)`")


def tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", *patterns], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return [ROOT / line for line in out.splitlines() if line and "node_modules" not in line]


def documents() -> list[Path]:
    return [p for p in tracked("*.md") if p.exists()]


def test_every_link_resolves_inside_the_repository():
    problems = []
    for doc in documents():
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address, mailto:, or an anchor in the same document
            path = (doc.parent / target.split("#")[0]).resolve()
            if not path.is_relative_to(ROOT):
                problems.append(f"{doc.relative_to(ROOT)}: {target} points outside the repository")
            elif not path.exists():
                problems.append(f"{doc.relative_to(ROOT)}: {target} does not exist")
    assert problems == []


def test_nothing_refers_to_files_outside_the_repository():
    pattern = re.compile(r"\.\./shared|/work/shared|/work/main|/work/wt")
    offenders = [str(p.relative_to(ROOT)) for p in tracked() if p.suffix in {".md", ".py", ".ts", ".vue", ".js",
                                                                              ".json", ".yaml", ".sh", ""}
                 and p.is_file() and p != Path(__file__) and pattern.search(p.read_text(encoding="utf-8",
                                                                                        errors="ignore"))]
    assert offenders == []


def test_every_document_named_in_the_index_exists():
    index = (ROOT / "docs/README.md").read_text(encoding="utf-8")
    named = set(LINK.findall(index)) | set(re.findall(r"`([\w./-]+\.md)`", index))
    assert len(named) > 15
    missing = [n for n in named if not re.match(r"^[a-z]+:", n)
               and not ((ROOT / "docs" / n.split("#")[0]).exists() or (ROOT / n).exists())]
    assert missing == []


def test_the_index_names_every_document():
    """docs/README.md lists every document under docs/ (a new document cannot be left out of the index)."""
    index = (ROOT / "docs/README.md").read_text(encoding="utf-8")
    named = {(ROOT / "docs" / n.split("#")[0]).resolve() for n in LINK.findall(index) if not re.match(r"^[a-z]+:", n)}
    docs = [p for p in documents() if p.is_relative_to(ROOT / "docs") and p != ROOT / "docs/README.md"]
    assert len(docs) > 20
    unlisted = [str(p.relative_to(ROOT)) for p in docs if p.resolve() not in named]
    assert unlisted == []


def _ignored(path: str) -> bool:
    """A build or run output (console/dist, bench/results/...): git-ignored, made by a command."""
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0


def test_repository_paths_quoted_in_documents_exist():
    files = [str(p.relative_to(ROOT)) for p in tracked()]
    problems = []
    for doc in documents():
        for quoted in QUOTED_PATH.findall(doc.read_text(encoding="utf-8")):
            path = quoted.rstrip(".,;:)").split(":")[0].rstrip("/")
            if "{" in path or "<" in path:
                continue  # a pattern with a placeholder
            here = doc.parent.relative_to(ROOT).as_posix()
            candidates = [path, f"{here}/{path}"]
            if any(glob.glob(str(ROOT / c)) for c in candidates) or _ignored(path) or _ignored(path + "/"):
                continue
            # a path quoted inside its module's table ("console/schemas.py" under backend/checkup/api/)
            if any(f.endswith("/" + path) or f.startswith(path.rstrip("*") + "/") for f in files):
                continue
            problems.append(f"{doc.relative_to(ROOT)}: `{quoted}`")
    assert problems == []
