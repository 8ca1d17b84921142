"""Reproducible builds (issue 15): the lock files pin every dependency with hashes and agree with
pyproject.toml, every install path uses them, and the third-party licence list matches them."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", re.M)


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    text = (ROOT / lock).read_text("utf-8")
    return {canonicalize_name(n): (v, hashes.count("--hash=")) for n, v, hashes in PIN.findall(text)}


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def test_every_dependency_is_pinned_with_hashes_within_its_range():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert runtime and dev
    for lock, wanted in ((runtime, project()["dependencies"]),
                         (dev, project()["dependencies"] + project()["optional-dependencies"]["dev"])):
        for spec in map(Requirement, wanted):
            name = canonicalize_name(spec.name)
            assert name in lock, f"{spec.name} is not in the lock file: run `make lock`"
            version, hashes = lock[name]
            assert spec.specifier.contains(version, prereleases=True), f"{name}=={version} is outside {spec}"
            assert hashes >= 1, f"{name} has no hash"
    for lock in (runtime, dev):  # no line of the lock escaped the pattern (every pin has its hashes)
        assert all(hashes >= 1 for _, hashes in lock.values())


def test_runtime_and_dev_locks_agree_and_name_no_machine_index():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    differ = {n: (v, dev.get(n, ("missing",))[0]) for n, (v, _) in runtime.items() if dev.get(n, ("",))[0] != v}
    assert not differ, f"runtime and dev locks disagree: {differ}"
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text("utf-8")
        assert "--index-url" not in text and "--find-links" not in text and "file://" not in text


def test_every_install_path_uses_the_lock():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "--require-hashes -r requirements-dev.lock" in makefile
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text("utf-8")
    assert "--require-hashes -r requirements.lock" in dockerfile and "pip install --no-cache-dir ." not in dockerfile
    assert "FROM node:22" in dockerfile
    bundle = (ROOT / "deploy" / "release" / "bundle.py").read_text("utf-8")
    assert "--no-index" in bundle and "--require-hashes" in bundle
    guide = (ROOT / "docs" / "deployment.md").read_text("utf-8")
    assert "install.sh" in guide and "requirements.lock" in guide and "pip install ." not in guide


def test_third_party_licence_list_matches_the_locks():
    done = subprocess.run([sys.executable, str(ROOT / "deploy" / "release" / "licenses.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    text = (ROOT / "docs" / "third-party-licenses.md").read_text("utf-8")
    for name in pins("requirements.lock"):
        assert re.search(rf"^\| {re.escape(name)} \|", text, re.M | re.I) or name.replace("-", "_") in text.lower()
    assert (ROOT / "LICENSE").read_text("utf-8").lstrip().startswith("Apache License")
    assert "docs/third-party-licenses.md" in (ROOT / "NOTICE").read_text("utf-8")
