#!/usr/bin/env python3
"""Known vulnerabilities in the dependencies: pip-audit (installed venv) and npm audit (console/,
miniprogram/), with the accepted exceptions of audit-exceptions.md.

Exit status: 0 nothing found; 1 a finding (Python: any severity not excepted; npm: high or
critical); 3 the audit could not run completely (no network, registry without an advisory service,
packages the vulnerability service does not know). A run that audited nothing is never reported as
clean: pip-audit says "No known vulnerabilities found" even when it skipped every package.

Usage: .ci/audit.py [--python PATH_TO_VENV_PYTHON]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXCEPTIONS = ROOT / "audit-exceptions.md"
NPM_DIRS = ("console", "miniprogram")
CLEAN, FOUND, INCOMPLETE = 0, 1, 3
_ID = re.compile(r"^\|\s*((?:GHSA|PYSEC|CVE|OSV)-[\w-]+)\s*\|", re.MULTILINE)


def accepted() -> set[str]:
    """Advisory ids in the first column of the tables of audit-exceptions.md."""
    return set(_ID.findall(EXCEPTIONS.read_text(encoding="utf-8"))) if EXCEPTIONS.exists() else set()


def python_audit(python: str, ignore: set[str]) -> int:
    cmd = [python, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "-f", "json"]
    for vuln in sorted(ignore):
        cmd += ["--ignore-vuln", vuln]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"pip-audit: could not run ({exc})")
        return INCOMPLETE
    try:
        report = json.loads(run.stdout)
    except ValueError:
        print(f"pip-audit: no report (exit {run.returncode}): {run.stderr.strip().splitlines()[-1:]}")
        return INCOMPLETE
    deps = report.get("dependencies", [])
    found = [(d["name"], d.get("version"), v["id"], v.get("fix_versions")) for d in deps for v in d.get("vulns", [])
             if v["id"] not in ignore and not set(v.get("aliases", [])) & ignore]
    skipped = [d["name"] for d in deps if d.get("skip_reason")]
    for name, version, vuln, fixes in found:
        print(f"pip-audit: {name} {version}: {vuln} (fixed in {', '.join(fixes or []) or 'no release yet'})")
    if found:
        return FOUND
    if skipped or not deps:
        print(f"pip-audit: {len(skipped)} of {len(deps)} packages could not be audited "
              f"(vulnerability service unreachable?), e.g. {', '.join(skipped[:5])}")
        return INCOMPLETE
    print(f"pip-audit: {len(deps)} packages, no known vulnerabilities")
    return CLEAN


def npm_audit(folder: str, ignore: set[str]) -> int:
    npm = shutil.which("npm")
    if npm is None:
        print(f"npm audit {folder}: npm not found")
        return INCOMPLETE
    try:
        run = subprocess.run([npm, "audit", "--audit-level=high", "--json"], cwd=ROOT / folder,
                             capture_output=True, text=True, timeout=300)
        report = json.loads(run.stdout or "{}")
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        print(f"npm audit {folder}: could not run ({exc})")
        return INCOMPLETE
    if "error" in report or "metadata" not in report:
        print(f"npm audit {folder}: could not run ({report.get('message') or report.get('error')})")
        return INCOMPLETE
    found = []
    for name, vuln in report.get("vulnerabilities", {}).items():
        if vuln.get("severity") not in ("high", "critical"):
            continue
        advisories = {v["url"].rsplit("/", 1)[-1] for v in vuln.get("via", []) if isinstance(v, dict) and v.get("url")}
        if advisories and advisories <= ignore:
            continue
        found.append(f"{name} ({vuln['severity']}): {', '.join(sorted(advisories)) or 'via ' + str(vuln.get('via'))}")
    for line in found:
        print(f"npm audit {folder}: {line}")
    if found:
        return FOUND
    print(f"npm audit {folder}: no high or critical vulnerabilities")
    return CLEAN


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    args = parser.parse_args()
    ignore = accepted()
    results = [python_audit(args.python, ignore)] + [npm_audit(folder, ignore) for folder in NPM_DIRS]
    if FOUND in results:
        return FOUND
    return INCOMPLETE if INCOMPLETE in results else CLEAN


if __name__ == "__main__":
    sys.exit(main())
