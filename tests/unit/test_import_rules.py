"""The layer rules of .importlinter and .importlinter-runtime hold (issue 15): the domain is framework-free,
services import neither the HTTP layer nor the sandbox, the sandbox imports nothing of the product,
integrations stay clients, only checkup.db imports the ORM or a database driver, and services, api and
worker name the ORM models in type hints only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


CONFIGS = (ROOT / ".importlinter", ROOT / ".importlinter-runtime")


def lint_imports(*configs: Path, code: Path = ROOT / "backend") -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(code)}
    return subprocess.run([exe, *map(str, configs), "--no-cache"], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_the_import_rules_hold():
    done = lint_imports(*CONFIGS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("KEPT") == 6 and "BROKEN" not in done.stdout


def _add(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def test_the_database_rules_catch_the_orm_outside_db(tmp_path):
    # a copy of the code with three imports the rules forbid: a driver in a service, the ORM in a type hint
    # of the HTTP layer (type-only imports count for that rule), a model imported at run time by the worker
    shutil.copytree(ROOT / "backend" / "checkup", tmp_path / "checkup",
                    ignore=shutil.ignore_patterns("__pycache__"))
    _add(tmp_path / "checkup/services/alerts.py", "\nimport sqlite3  # noqa\n")
    _add(tmp_path / "checkup/api/metrics.py", "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                              "    import tortoise  # noqa\n")
    _add(tmp_path / "checkup/worker/runner.py", "\nfrom checkup.db.models import Job as _Job  # noqa\n")
    done = lint_imports(*CONFIGS, code=tmp_path)
    assert done.returncode != 0
    assert done.stdout.count("BROKEN") == 2 and done.stdout.count("KEPT") == 4, done.stdout
    assert "checkup.services.alerts -> sqlite3" in done.stdout
    assert "checkup.api.metrics -> tortoise" in done.stdout
    assert "checkup.worker.runner -> checkup.db.models" in done.stdout


def test_the_runtime_rule_lets_only_type_hints_pass(tmp_path):
    # the same rule counting type-only imports fails: services do name models in annotations, and it is
    # exclude_type_checking_imports (not a gap in the rule) that lets them through
    text = (ROOT / ".importlinter-runtime").read_text("utf-8")
    assert re.search(r"^exclude_type_checking_imports = True$", text, re.M)
    config = tmp_path / "rules.ini"
    config.write_text(re.sub(r"^exclude_type_checking_imports = True$", "", text, flags=re.M), "utf-8")
    done = lint_imports(config)
    assert done.returncode != 0 and "BROKEN" in done.stdout
    assert "checkup.services" in done.stdout and "checkup.db.models" in done.stdout


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
