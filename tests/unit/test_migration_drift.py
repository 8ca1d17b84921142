"""The committed migrations build the schema the models describe (issue 15): a model changed without
a migration fails here, not on a hospital's database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "backend" / "checkup" / "migrations"


def drift(module: str, extra_path: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (ROOT / "backend", extra_path) if p)
    return subprocess.run([sys.executable, "-m", "checkup.db.drift", module], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def test_migrations_match_the_models():
    done = drift("checkup.migrations")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "migrations match the models" in done.stdout


def test_a_model_without_its_migration_is_found(tmp_path):
    # the migrations as they were before the newest one: the newest one's change shows as drift
    copy = tmp_path / "older_migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    newest = max(p for p in copy.glob("[0-9][0-9][0-9][0-9]_*.py"))
    newest.unlink()
    done = drift("older_migrations", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.strip(), "the differences are listed"
    assert "without a migration" in done.stderr
