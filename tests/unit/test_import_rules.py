"""The layer rules of .importlinter hold (issue 15): the domain is framework-free, services import neither
the HTTP layer nor the sandbox, the sandbox imports nothing of the product, integrations stay clients."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(config: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "backend")}
    return subprocess.run([exe, "--config", str(config), "--no-cache"], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_the_import_rules_hold():
    done = lint_imports(ROOT / ".importlinter")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("KEPT") == 4 and "BROKEN" not in done.stdout


def test_a_broken_rule_is_reported(tmp_path):
    # the same checker on a rule the code does not keep (api imports services): it must fail
    config = tmp_path / "rules.ini"
    config.write_text("[importlinter]\nroot_packages =\n    checkup\n\n[importlinter:contract:x]\nname = x\n"
                      "type = forbidden\nsource_modules =\n    checkup.api\nforbidden_modules =\n"
                      "    checkup.services\n", "utf-8")
    done = lint_imports(config)
    assert done.returncode != 0 and "BROKEN" in done.stdout


def test_the_demo_peis_notes_repeat_the_centre_default():
    # the sandbox keeps its own copy (it imports nothing of the product); they must not drift apart
    from checkup.config import DEFAULT_CENTRE_NOTICE
    from checkup.sandbox.demo_data import DEMO_GENERAL_NOTICE

    assert DEMO_GENERAL_NOTICE == DEFAULT_CENTRE_NOTICE
