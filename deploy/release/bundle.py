"""Build the offline release bundle: everything a hospital needs to install on a machine with no internet.

    python deploy/release/bundle.py [--python-version 3.12] [--out var/release]

The bundle (a directory and its .tar.gz) holds:
  wheelhouse/       the product's own wheel and every dependency of requirements.lock as wheels, for the
                    target Python (default: the one running this) on x86_64 Linux, checked against the
                    lock's hashes when downloaded
  requirements.lock the pinned versions and their hashes (install refuses anything else)
  console/dist, h5/dist   the built staff console and patient H5 pages
  miniprogram/      the mini-program's sources and its per-environment settings (no node_modules, no tests)
  deploy/, docs/    units, nginx, grants, backup scripts, env template; every document
  install.sh        checks SHA256SUMS, makes a virtual environment, installs from the wheelhouse only
  SHA256SUMS        a checksum of every file above
Built on a machine with internet (pip download); installed on one without (pip --no-index).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64", "linux_x86_64")

INSTALL_SH = """#!/usr/bin/env bash
# Install the checkup release from this bundle, without network: ./install.sh [PREFIX] (default /opt/checkup).
# Needs python{pyver} (python3 -m venv). Then: deploy/ units and docs/deployment.md (migrate, grants, nginx).
set -euo pipefail
cd "$(dirname "$0")"
PREFIX="${{1:-/opt/checkup}}"
PY="${{PYTHON:-python{pyver}}}"
sha256sum --quiet -c SHA256SUMS
"$PY" -m venv "$PREFIX/.venv"
"$PREFIX/.venv/bin/python" -m pip install --quiet --no-index --find-links wheelhouse --require-hashes -r requirements.lock
"$PREFIX/.venv/bin/python" -m pip install --quiet --no-index --no-deps wheelhouse/checkup-*.whl
mkdir -p "$PREFIX"
for part in console h5 deploy docs miniprogram; do
  rm -rf "${{PREFIX:?}}/$part" && cp -r "$part" "$PREFIX/$part"
done
echo "installed in $PREFIX: $PREFIX/.venv/bin/checkup (console: $PREFIX/console/dist, H5: $PREFIX/h5/dist)"
"""


def run(*cmd: str | os.PathLike) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def version() -> str:
    sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    import tomllib

    base = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    return f"{base}-{sha.stdout.strip()}" if sha.returncode == 0 else base


def copy_tree(src: Path, dst: Path, *, skip: tuple[str, ...] = ()) -> None:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("node_modules", "__pycache__", *skip))


def checksums(bundle: Path) -> None:
    lines = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(bundle).as_posix()}")
    (bundle / "SHA256SUMS").write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--python-version", default=f"{sys.version_info.major}.{sys.version_info.minor}",
                   help="the Python of the target machine (its wheels go into the wheelhouse)")
    p.add_argument("--out", type=Path, default=ROOT / "var" / "release")
    args = p.parse_args(argv)
    for built in ("console/dist/index.html", "h5/dist/index.html"):
        if not (ROOT / built).is_file():
            print(f"bundle: {built} is missing; run `make console h5` first", file=sys.stderr)
            return 2
    name = f"checkup-{version()}-py{args.python_version}"
    bundle = args.out / name
    shutil.rmtree(bundle, ignore_errors=True)
    wheelhouse = bundle / "wheelhouse"
    wheelhouse.mkdir(parents=True)
    pip = [sys.executable, "-m", "pip"]
    run(*pip, "wheel", "--quiet", "--no-deps", "--wheel-dir", wheelhouse, ".")
    platforms = [x for plat in PLATFORMS for x in ("--platform", plat)]
    run(*pip, "download", "--quiet", "--require-hashes", "--only-binary=:all:", "--implementation", "cp",
        "--python-version", args.python_version, *platforms, "-r", "requirements.lock", "-d", wheelhouse)
    shutil.copy2(ROOT / "requirements.lock", bundle / "requirements.lock")
    for part in ("console/dist", "h5/dist"):
        copy_tree(ROOT / part, bundle / part)
    copy_tree(ROOT / "miniprogram", bundle / "miniprogram", skip=("tests", "coverage", "dist"))
    copy_tree(ROOT / "deploy", bundle / "deploy", skip=("release",))
    copy_tree(ROOT / "docs", bundle / "docs")
    for top in ("README.md", "LICENSE", "NOTICE"):
        if (ROOT / top).is_file():
            shutil.copy2(ROOT / top, bundle / top)
    install = bundle / "install.sh"
    install.write_text(INSTALL_SH.format(pyver=args.python_version), "utf-8")
    install.chmod(0o755)
    checksums(bundle)
    archive = args.out / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(bundle, arcname=name)
    print(f"bundle: {bundle} and {archive} ({archive.stat().st_size // 1024 // 1024} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
