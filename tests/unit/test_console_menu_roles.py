"""The console's menu permissions match the server's route roles.

Each page of the console's router (console/src/router/modules/*.ts) names the roles that see it (`roles`,
admin always) and its main list route(s) (`api`). Against the server's route table:
- a role the menu shows must be allowed by one of the page's main list routes (else it opens a page of 403s);
- a role the menu hides must not be allowed by every route the page calls (else the menu hides a page the
  role could use whole): the calls are the /api/ paths in the page's component and everything it imports.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import checkup.app  # noqa: F401 - fills the route table
from checkup.api.routing import ROUTES, RouteSpec
from checkup.domain.roles import ADMIN, ALL_ROLES

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "console" / "src"
MODULES = sorted((SRC / "router" / "modules").glob("*.ts"))

ENTRY = re.compile(r"path:\s*'(?P<path>[^']+)'.*?component:\s*\(\)\s*=>\s*import\('(?P<component>[^']+)'\)"
                   r".*?meta:\s*\{(?P<meta>.*?)\}", re.S)
IMPORT = re.compile(r"""(?:from|import)\s*\(?\s*'(?P<spec>(?:@/|\./|\.\./)[^']+)'""")
API_PATH = re.compile(r"""['"`](/api/[^'"`?\s]*)""")


def _strings(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


def _pages() -> list[dict]:
    pages = []
    for module in MODULES:
        for m in ENTRY.finditer(module.read_text(encoding="utf-8")):
            meta = m.group("meta")
            roles = re.search(r"roles:\s*\[([^\]]*)\]", meta)
            api = re.search(r"api:\s*\[([^\]]*)\]", meta)
            pages.append({
                "path": m.group("path"),
                "module": module.name,
                "component": m.group("component"),
                "roles": set(_strings(roles.group(1))) if roles else None,
                "api": _strings(api.group(1)) if api else [],
            })
    return pages


def _resolve(spec: str, importer: Path) -> Path | None:
    base = SRC / spec[2:] if spec.startswith("@/") else (importer.parent / spec)
    for candidate in (base, base.with_name(base.name + ".ts"), base / "index.ts"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _reached_paths(component: str) -> set[str]:
    """The /api/ path literals of a page's component and of every source file it imports, transitively."""
    start = _resolve(component, SRC / "router" / "routes.ts")
    assert start is not None, f"{component} not found"
    seen: set[Path] = set()
    todo = [start]
    paths: set[str] = set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        text = file.read_text(encoding="utf-8")
        paths.update(API_PATH.findall(text))
        for m in IMPORT.finditer(text):
            found = _resolve(m.group("spec"), file)
            if found is not None and found.suffix in (".ts", ".vue") and not found.name.endswith(".spec.ts"):
                todo.append(found)
    return paths


def _pattern(spec: RouteSpec) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{\w+(?::\w+)?\\\}", "[^/]+", re.escape(spec.path)))


def _routes_called(literals: set[str]) -> list[RouteSpec]:
    shapes = {re.sub(r"\$\{[^}]*\}", "X", p) for p in literals if not p.startswith("/api/${")}
    return [r for r in ROUTES if r.auth == "staff" and any(_pattern(r).fullmatch(s) for s in shapes)]


PAGES = _pages()
BY_KEY = {f"{r.method} {r.path}": r for r in ROUTES}


def test_the_router_modules_are_read():
    assert len(PAGES) >= 10
    assert {p["path"] for p in PAGES} >= {"payments", "bookings", "quota", "audit", "staff"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p["path"])
def test_every_role_the_menu_shows_may_call_the_page_main_list_route(page):
    assert page["api"], f"{page['module']}: meta.api must name the page's main list route(s)"
    mains = []
    for key in page["api"]:
        assert key in BY_KEY, f"{page['module']}: meta.api names {key!r}, which the server does not serve"
        mains.append(BY_KEY[key])
    shown = (page["roles"] | {ADMIN}) if page["roles"] else set(ALL_ROLES)
    refused = sorted(role for role in shown if not any(role in spec.roles for spec in mains))
    assert not refused, (f"console page {page['path']!r} is in the menu of {refused}, but its main route(s) "
                         f"{page['api']} refuse them (server roles: {[list(s.roles) for s in mains]})")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p["path"])
def test_no_role_is_hidden_from_a_page_every_route_of_which_it_may_call(page):
    called = _routes_called(_reached_paths(page["component"]))
    assert called, f"console page {page['path']!r} calls no staff route"
    called_keys = {f"{r.method} {r.path}" for r in called}
    assert set(page["api"]) <= called_keys, f"{page['path']!r}: meta.api routes the page never calls"
    if page["roles"] is None:
        return
    allowed_everywhere = set.intersection(*(set(r.roles) for r in called))
    hidden = sorted(allowed_everywhere - page["roles"] - {ADMIN})
    assert not hidden, (f"console page {page['path']!r} is hidden from {hidden}, though every route it calls "
                        f"allows them: {sorted(called_keys)}")


def test_the_check_catches_a_menu_that_shows_a_page_to_a_refused_role():
    payments = next(p for p in PAGES if p["path"] == "payments")
    spec = BY_KEY[payments["api"][0]]
    assert "staff" not in spec.roles  # so a menu showing 缴费记录 to staff would fail the test above
    assert _routes_called({"/api/console/payments/${encodeURIComponent(no)}/refund"}) == [
        BY_KEY["POST /api/console/payments/{payment_no}/refund"]]
