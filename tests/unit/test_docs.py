"""The documents that can be checked against the code stay true to it.

- docs/interfaces/http-api.md is exactly what docs/tools/gen_api_reference.py renders from the route table.
- Every image docs/user-manual.md shows exists, and every screenshot the console e2e test takes for the
  manual is shown in it (so a page added to the e2e gets described, and a renamed shot breaks no link).
- Every F-xx the test plan maps to exists in docs/functional-spec.md.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MANUAL = DOCS / "user-manual.md"
E2E = ROOT / "console" / "tests" / "e2e" / "console.e2e.ts"
SHOT_NAME = re.compile(r"'(\d\d-[a-z0-9-]+)'")
H5_E2E = ROOT / "h5" / "tests" / "e2e" / "h5.e2e.ts"
H5_SHOT_NAME = re.compile(r"'(h5-\d\d-[a-z0-9-]+)'")


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, DOCS / "tools" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_http_api_reference_is_generated_from_the_code():
    gen = _tool("gen_api_reference")
    committed = (DOCS / "interfaces" / "http-api.md").read_text(encoding="utf-8")
    assert committed == gen.build(), (
        "docs/interfaces/http-api.md differs from the routes: run "
        "`.venv/bin/python docs/tools/gen_api_reference.py` and commit the result")


def test_api_reference_names_only_real_error_codes():
    gen = _tool("gen_api_reference")
    known = set(gen.error_codes()) | gen.EXTRA_CODES
    unknown = {f"{route}: {code}" for route, codes in gen.ERRORS.items() for code in codes if code not in known}
    assert not unknown, f"error codes that no AppError declares: {sorted(unknown)}"


def test_api_reference_tables_name_only_served_routes():
    gen = _tool("gen_api_reference")
    import checkup.app  # noqa: F401
    from checkup.api.routing import ROUTES

    served = {r.method + " " + re.sub(r"\{(\w+):\w+\}", r"{\1}", r.path) for r in ROUTES}
    # /api/ready and /api/metrics may be documented before they are served.
    stale = set(gen.SUMMARY) - served - {"GET /api/ready", "GET /api/metrics"}
    stale |= set(gen.ERRORS) - served
    assert not stale, f"docs/tools/gen_api_reference.py describes routes the app does not serve: {sorted(stale)}"


def _manual_images() -> set[str]:
    text = MANUAL.read_text(encoding="utf-8")
    return set(re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text))


def test_every_image_of_the_user_manual_exists():
    images = _manual_images()
    assert images, "docs/user-manual.md shows no screenshot"
    missing = sorted(img for img in images if not (MANUAL.parent / img).is_file())
    assert not missing, f"docs/user-manual.md shows images that do not exist: {missing} (make docs-screenshots)"


def test_every_manual_screenshot_of_the_e2e_is_in_the_manual():
    shots = set(SHOT_NAME.findall(E2E.read_text(encoding="utf-8")))
    assert shots, f"no screenshot names found in {E2E}"
    shown = {Path(img).stem for img in _manual_images() if Path(img).parent.name == "manual"}
    assert shots - shown == set(), f"screenshots the console e2e takes but the manual does not show: {sorted(shots - shown)}"
    assert shown - shots == set(), f"images the manual shows that the e2e does not take: {sorted(shown - shots)}"
    committed = {p.stem for p in (DOCS / "images" / "manual").glob("*.png")}
    assert committed == shots, (f"docs/images/manual/ should hold exactly the e2e's screenshots; extra "
                                f"{sorted(committed - shots)}, missing {sorted(shots - committed)} (make docs-screenshots)")


def test_every_h5_screenshot_of_the_h5_e2e_is_in_the_manual():
    shots = set(H5_SHOT_NAME.findall(H5_E2E.read_text(encoding="utf-8")))
    assert shots, f"no screenshot names found in {H5_E2E}"
    shown = {Path(img).stem for img in _manual_images() if Path(img).parent.name == "h5"}
    assert shots == shown, f"H5 e2e screenshots {sorted(shots)} vs shown in the manual {sorted(shown)}"
    committed = {p.stem for p in (DOCS / "images" / "h5").glob("*.png")}
    assert committed == shots, "docs/images/h5/ should hold exactly the H5 e2e's screenshots (make docs-screenshots)"
    assert {Path(img).parent.name for img in _manual_images()} <= {"manual", "h5"}


def test_manual_screenshots_stay_small():
    sizes = {p.name: p.stat().st_size for p in (DOCS / "images" / "manual").glob("*.png")}
    assert sum(sizes.values()) < 1_500_000, f"manual screenshots total {sum(sizes.values())} bytes: {sizes}"


def test_the_test_plan_maps_only_to_specified_functions():
    spec_ids = set(re.findall(r"^#+ (F-\d\d)\b", (DOCS / "functional-spec.md").read_text(encoding="utf-8"), re.M))
    assert len(spec_ids) >= 20, "docs/functional-spec.md numbers its functions F-01, F-02, … in headings"
    gen = _tool("gen_test_report")
    mapped = {f for suite in gen.SUITES for f in suite.functions}
    assert mapped - spec_ids == set(), f"the test plan maps to functions not in the spec: {sorted(mapped - spec_ids)}"


def test_the_test_report_names_the_bench_run_its_figures_come_from():
    gen = _tool("gen_test_report")
    run = {"started_at": "2026-12-03T17:10:00+00:00", "commit": "abc1234", "dirty": False, "cpus": 2,
           "api_workers": 2}
    same = gen.bench_source(run, report_commit="abc1234")
    assert "2026-12-03T17:10:00+00:00" in same and "`abc1234`" in same and "即本报告所测的提交" in same
    assert "2 核，2 个 API 进程" in same
    other = gen.bench_source(run, report_commit="def5678")
    assert "不是本报告所测的提交 `def5678`" in other
    dirty = gen.bench_source({**run, "dirty": True}, report_commit="abc1234")
    assert "未提交的修改" in dirty and "即本报告所测的提交" not in dirty
    assert "运行时未记录提交" in gen.bench_source({"started_at": "x"}, report_commit="abc1234")
