"""Write docs/test-report.md (系统测试计划及测试报告) from a run of every suite.

    .venv/bin/python docs/tools/gen_test_report.py --run     # run the suites, then write the report (make test-report)
    .venv/bin/python docs/tools/gen_test_report.py           # write the report from the last run's results
    .venv/bin/python docs/tools/gen_test_report.py --run --only pytest,vitest   # run some suites again

Results of a run go to var/test-report/ (git-ignored): pytest's JUnit XML, Vitest's JUnit XML, jest's JSON,
the two end-to-end scripts' output, and runs.json (command, exit status, start, seconds of each suite, and the
environment). Benchmark and soak figures come from bench/results/latest.json and bench/results/soak.json when
they exist (`make bench`, `make soak`). The plan part (scope, suites, what each proves, the F-xx of
docs/functional-spec.md each test file covers) is kept here, next to the code that counts the results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "var" / "test-report"
REPORT = ROOT / "docs" / "test-report.md"
SPEC = ROOT / "docs" / "functional-spec.md"
BIN = os.environ.get("BIN", str(ROOT / ".venv" / "bin"))

# Which functions (docs/functional-spec.md) each backend test file verifies.
FILE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "tests/unit/test_console_exports.py": ("F-21", "F-24", "F-25"),
    "tests/unit/test_deploy_files.py": ("F-40",),
    "tests/unit/test_docs.py": ("F-39",),
    "tests/unit/test_domain.py": ("F-02", "F-05", "F-09", "F-11", "F-30"),
    "tests/unit/test_pii_keys.py": ("F-30", "F-40"),
    "tests/unit/test_security_parts.py": ("F-01", "F-15", "F-30", "F-40"),
    "tests/unit/test_signing.py": ("F-08", "F-37"),
    "tests/unit/test_ttl_cache.py": ("F-09",),
    "tests/unit/test_wechat_domain.py": ("F-14", "F-36"),
    "tests/unit/test_wechatpay_crypto.py": ("F-06", "F-07"),
    "tests/api/test_console_audit.py": ("F-25",),
    "tests/api/test_console_auth.py": ("F-15", "F-24"),
    "tests/api/test_console_quota.py": ("F-17", "F-18", "F-19"),
    "tests/api/test_console_report.py": ("F-20", "F-21", "F-22"),
    "tests/api/test_console_routes.py": ("F-16", "F-25"),
    "tests/api/test_fuzz_openapi.py": ("F-39",),
    "tests/api/test_health_redis.py": ("F-34",),
    "tests/api/test_http_headers.py": ("F-35", "F-39"),
    "tests/api/test_logging.py": ("F-35",),
    "tests/api/test_metrics.py": ("F-34",),
    "tests/api/test_open_api.py": ("F-31", "F-32"),
    "tests/api/test_patient_access_matrix.py": ("F-02", "F-05", "F-12", "F-16"),
    "tests/api/test_patient_flow.py": ("F-01", "F-02", "F-03", "F-04", "F-05", "F-09", "F-10", "F-11", "F-12"),
    "tests/api/test_payments.py": ("F-06", "F-07", "F-08", "F-13", "F-27"),
    "tests/api/test_pii.py": ("F-30",),
    "tests/api/test_rate_limits.py": ("F-33",),
    "tests/api/test_reconciliation.py": ("F-26", "F-27", "F-28", "F-29"),
    "tests/api/test_wechat_messages.py": ("F-14",),
    "tests/integration/test_backup_restore.py": ("F-38",),
    "tests/integration/test_booking_concurrency.py": ("F-10", "F-11", "F-17"),
    "tests/integration/test_db_invariants.py": ("F-06", "F-07", "F-10", "F-17", "F-25"),
    "tests/integration/test_his_client.py": ("F-02", "F-05", "F-08", "F-37"),
    "tests/integration/test_payment_faults.py": ("F-06", "F-07", "F-08", "F-27", "F-29"),
    "tests/integration/test_peis_client.py": ("F-04", "F-23", "F-37"),
    "tests/integration/test_wechat_api.py": ("F-14", "F-36"),
    "tests/integration/test_wechat_login.py": ("F-01",),
    "tests/integration/test_wechatpay_client.py": ("F-06", "F-07", "F-27", "F-28", "F-37"),
    "tests/integration/test_wechatpay_crosscheck.py": ("F-07", "F-37"),
    "tests/integration/test_worker_kill.py": ("F-08", "F-29"),
    "tests/soak/test_soak.py": ("F-06", "F-07", "F-08", "F-10", "F-27", "F-29"),
}


@dataclass(frozen=True)
class Suite:
    key: str
    title: str
    tool: str
    command: str  # what `--run` executes (from the repository root), shown in the report
    scope: str
    proves: str
    declared: tuple[str, ...] = ()  # F-xx of a suite that is not split per file
    paths: tuple[str, ...] = ()  # pytest: the test directories of the suite

    @property
    def functions(self) -> tuple[str, ...]:
        if not self.paths:
            return self.declared
        found = {f for path, fs in FILE_FUNCTIONS.items() if path.startswith(self.paths) for f in fs}
        return tuple(sorted(found | set(self.declared)))


PYTEST = f"{BIN}/pytest -p no:cacheprovider --junitxml=var/test-report/pytest.xml"
SUITES: list[Suite] = [
    Suite("unit", "后端单元测试", "pytest", PYTEST,
          "`tests/unit/`：领域规则（身份证、掩码、预约窗口、截止、状态合并）、签名向量、令牌与个人信息加密、微信支付加解密、"
          "报表导出（1 万行）、订阅消息与菜单规则、部署文件与文档和代码一致",
          "纯函数与格式在边界值上正确；签名与加密与固定向量、与沙箱的独立实现一致；文档（接口参考、手册截图）与代码一致",
          paths=("tests/unit/",)),
    Suite("api", "后端接口测试", "pytest", PYTEST,
          "`tests/api/`：经真实 HTTP 调用患者端、缴费、控制台、数据共享、健康与指标各接口（SQLite 与 MariaDB），"
          "外部系统为沙箱；由路由表生成的“接口 × 角色”矩阵与患者越权矩阵；Schemathesis 对 OpenAPI 文档做模糊测试",
          "API.md 规定的每个接口的行为与错误码；权限与审计覆盖每个接口；任何输入不出 5xx 且应答符合文档；日志与响应头不泄露个人信息",
          paths=("tests/api/",)),
    Suite("integration", "后端集成测试", "pytest", PYTEST,
          "`tests/integration/`：HIS、PEIS、微信 API、微信支付客户端对沙箱的真实 HTTP；数据库约束；MariaDB 上的并发预约；"
          "故障注入下的数百笔支付与真实 `checkup worker` 进程；worker 被 SIGKILL；备份与恢复",
          "不变量由数据库保证（不超卖、一单一约、只入账一次、不留单边账）；外部系统超时、拒绝、重复通知时结果正确；进程被杀不丢任务",
          paths=("tests/integration/",)),
    Suite("vitest", "管理后台单元测试", "Vitest",
          "cd console && npx vitest run --reporter=default --reporter=junit --outputFile.junit=../var/test-report/vitest.xml",
          "`console/src/**/*.spec.ts`、`console/tests/unit/`：页面（登录、号源、预约患者、对账、数据共享）、路由守卫、菜单、权限、格式化、请求客户端",
          "管理后台按角色显示菜单与按钮、表单校验、与接口的字段映射",
          declared=("F-15", "F-16", "F-17", "F-19", "F-20", "F-22", "F-28", "F-32")),
    Suite("jest", "小程序单元测试", "jest",
          "cd miniprogram && npx jest --json --outputFile=../var/test-report/jest.json",
          "`miniprogram/tests/unit/`、`miniprogram/tests/pages/`：各页面在模拟的 `wx` 与假服务器上渲染与交互、身份证校验、金额、支付与预约流程的状态机、请求封装",
          "小程序每个页面的按钮、提示与跳转；支付结果各状态的提示；前端校验与服务器一致",
          declared=("F-01", "F-02", "F-03", "F-04", "F-05", "F-06", "F-07", "F-09", "F-10", "F-11", "F-12", "F-13")),
    Suite("miniprogram-e2e", "小程序端到端测试", "jest（Node）", f"BIN={BIN} .ci/miniprogram-e2e",
          "小程序自己的 `services/` 在 Node 中对 `checkup run`（临时目录、沙箱）运行两个患者流程：登录、添加就诊人、开单 / 现场开单、"
          "支付、HIS 回写、预约、预约记录、改约、取消、订阅消息；服务器拒绝错误的就诊人信息",
          "两个患者流程从头到尾走通，小程序代码与后端真实对接",
          declared=("F-01", "F-02", "F-04", "F-05", "F-06", "F-07", "F-08", "F-10", "F-11", "F-12", "F-14")),
    Suite("console-e2e", "管理后台端到端测试", "playwright-core + Chromium", f"BIN={BIN} .ci/console-e2e",
          "Chromium 驱动已构建的管理后台，对 `checkup run`（临时目录、沙箱）：登录、首页、改号源、批量设置、预约患者报表、"
          "下载 Excel 并逐行核对、确认患者、缴费记录、对账、套餐、账号、数据共享、审计日志；同时拍摄用户手册的截图",
          "工作人员的主要操作在真实浏览器中可用；导出文件与报表一致",
          declared=("F-15", "F-17", "F-20", "F-21", "F-22", "F-23", "F-24", "F-25", "F-26", "F-28", "F-32")),
]
FIGURE_FUNCTIONS = {"bench": ("F-07", "F-09", "F-10", "F-21"), "soak": ("F-06", "F-07", "F-08", "F-10", "F-27", "F-29")}


# ---- running ------------------------------------------------------------------------------------

def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except Exception:  # noqa: BLE001 - a missing tool is reported as such
        return "—"


def _short(text: str, *patterns: str) -> str:
    """The first pattern's match in ``text`` (tried in order), else ``text``."""
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found.group(0)
    return text


def environment() -> dict[str, str]:
    database = _version(["mariadb", "--version"]) if shutil.which("mariadb") else _version(["mysql", "--version"])
    return {
        "mariadb": _short(database, r"[\d.]+-MariaDB", r"MySQL\s+[\d.]+", r"Ver\s+[\d.]+"),
        "redis": "Redis " + _short(_version(["redis-server", "--version"]), r"(?<=v=)[\d.]+"),
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "cpus": str(os.cpu_count()),
        "python": _version([f"{BIN}/python", "--version"]),
        "node": _version(["node", "--version"]),
        "chromium": _short(_version(["/usr/bin/chromium", "--version"]), r"Chromium [\d.]+"),
    }


def run(only: set[str] | None) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    runs_file = OUT_DIR / "runs.json"
    runs = json.loads(runs_file.read_text("utf-8")) if runs_file.exists() else {}
    commands = {"pytest": PYTEST} | {s.key: s.command for s in SUITES if s.tool != "pytest"}
    for key, command in commands.items():
        if only and key not in only:
            continue
        log = OUT_DIR / f"{key}.log"
        print(f"==> {key}: {command}", flush=True)
        started = datetime.now(UTC)
        t0 = time.monotonic()
        with log.open("w", encoding="utf-8") as out:
            status = subprocess.run(command, shell=True, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode
        runs[key] = {"command": command, "exit": status, "started": started.isoformat(timespec="seconds"),
                     "seconds": round(time.monotonic() - t0, 1)}
        print(f"    exit {status} in {runs[key]['seconds']} s (log: {log.relative_to(ROOT)})", flush=True)
    runs["environment"] = environment()
    runs["commit"] = _git(["rev-parse", "--short", "HEAD"])
    runs["dirty"] = bool(_git(["status", "--porcelain", "--untracked-files=no"]))
    runs_file.write_text(json.dumps(runs, ensure_ascii=False, indent=1), "utf-8")


def _git(args: list[str]) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:  # noqa: BLE001
        return ""


# ---- reading results ----------------------------------------------------------------------------

@dataclass
class Counts:
    tests: int = 0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        self.tests += other.tests
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.seconds += other.seconds
        self.failures += other.failures


def _junit_cases(path: Path) -> list[tuple[str, str, str, float]]:
    """(file, test name, outcome, seconds) of every testcase of a JUnit XML file."""
    root = ET.parse(path).getroot()
    cases = []
    for suite in root.iter("testsuite"):
        for case in suite.findall("testcase"):
            outcome = "passed"
            if case.find("failure") is not None or case.find("error") is not None:
                outcome = "failed"
            elif case.find("skipped") is not None:
                outcome = "skipped"
            file = case.get("file") or ""
            if not file and case.get("classname"):
                # pytest: classname "tests.api.test_payments" or "tests.api.test_payments.TestX"; Vitest: the file
                parts = case.get("classname", "").split(".")
                mods = [i for i, p in enumerate(parts) if p.startswith("test_")]
                file = "/".join(parts[: mods[0] + 1]) + ".py" if mods else ".".join(parts)
            file = file or suite.get("name") or ""
            cases.append((file, case.get("name", ""), outcome, float(case.get("time") or 0)))
    return cases


def _count(cases: list[tuple[str, str, str, float]]) -> Counts:
    c = Counts()
    for file, name, outcome, seconds in cases:
        c.tests += 1
        c.seconds += seconds
        setattr(c, outcome, getattr(c, outcome) + 1)
        if outcome == "failed":
            c.failures.append(f"{file}::{name}")
    return c


def pytest_files() -> dict[str, Counts]:
    path = OUT_DIR / "pytest.xml"
    if not path.exists():
        return {}
    per_file: dict[str, list] = {}
    for case in _junit_cases(path):
        per_file.setdefault(case[0], []).append(case)
    return {f: _count(cases) for f, cases in sorted(per_file.items())}


def vitest_counts() -> Counts | None:
    path = OUT_DIR / "vitest.xml"
    return _count(_junit_cases(path)) if path.exists() else None


def jest_counts() -> Counts | None:
    path = OUT_DIR / "jest.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text("utf-8"))
    c = Counts(tests=data.get("numTotalTests", 0), passed=data.get("numPassedTests", 0),
               failed=data.get("numFailedTests", 0),
               skipped=data.get("numPendingTests", 0) + data.get("numTodoTests", 0))
    for result in data.get("testResults", []):
        c.seconds += max(0, (result.get("endTime", 0) - result.get("startTime", 0)) / 1000)
        for a in result.get("assertionResults", []):
            if a.get("status") == "failed":
                c.failures.append(f"{Path(result.get('name', '')).name}: {a.get('fullName')}")
    return c


def e2e_counts(key: str) -> Counts | None:
    """From the log: jest's summary line (mini-program) or the `ok - ` / `not ok - ` steps (console)."""
    path = OUT_DIR / f"{key}.log"
    if not path.exists():
        return None
    text = re.sub(r"\x1b\[[0-9;]*m", "", path.read_text("utf-8", errors="replace"))
    c = Counts()
    summary = re.search(r"^Tests:\s+(.*?)(\d+) total", text, re.M)
    if summary:
        for number, word in re.findall(r"(\d+) (passed|failed|skipped|todo)", summary.group(1)):
            attr = "skipped" if word == "todo" else word
            setattr(c, attr, getattr(c, attr) + int(number))
        c.tests = int(summary.group(2))
        c.failures = re.findall(r"^\s+✕ (.+?)(?: \(\d+ ms\))?$", text, re.M)
        return c
    steps = re.findall(r"^(ok|not ok) - (.+)$", text, re.M)
    if not steps:
        return None
    c.tests = len(steps)
    c.passed = sum(1 for s, _ in steps if s == "ok")
    c.failed = c.tests - c.passed
    c.failures = [name for s, name in steps if s != "ok"]
    return c


def spec_functions() -> dict[str, str]:
    text = SPEC.read_text("utf-8") if SPEC.exists() else ""
    return dict(re.findall(r"^### (F-\d\d) (.+)$", text, re.M))


# ---- rendering ----------------------------------------------------------------------------------

def bench_source(run: dict[str, Any], *, report_commit: str | None) -> str:
    """The sentence naming the `make bench` run the figures come from: when it started, on which commit and
    machine, and whether that is the commit this report tested."""
    started = run.get("started_at") or run.get("started") or "开始时间未记录"
    commit = run.get("commit")
    if commit:
        dirty = "（另有未提交的修改）" if run.get("dirty") else ""
        same = "，即本报告所测的提交" if report_commit and commit == report_commit and not run.get("dirty") else (
            f"，不是本报告所测的提交 `{report_commit}`" if report_commit else "")
        code = f"提交 `{commit}`{dirty}{same}"
    else:
        code = "运行时未记录提交"
    machine = f"{run['cpus']} 核，{run['api_workers']} 个 API 进程" if run.get("cpus") and run.get("api_workers") else ""
    parts = [started, code] + ([machine] if machine else [])
    return f"来自 `bench/results/latest.json`（`make bench` 于 {'，'.join(parts)}）："


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for k, v in data.items():
            out |= _flatten(v, f"{prefix}{k}.")
    else:
        out[prefix[:-1]] = data
    return out


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.1f} 秒" if seconds < 120 else f"{seconds / 60:.1f} 分钟"


def _row(title: str, c: Counts | None, seconds: float | None = None) -> str:
    if c is None:
        return f"| {title} | 未运行 | | | | | |"
    if c.failed:
        verdict = "**失败**"
    elif c.tests and c.skipped == c.tests:
        verdict = "跳过"
    else:
        verdict = "通过" if c.tests else "无结果"
    dur = _fmt_s(seconds if seconds is not None else c.seconds)
    return f"| {title} | {c.tests} | {c.passed} | {c.failed} | {c.skipped} | {dur} | {verdict} |"


def render() -> str:
    runs = json.loads((OUT_DIR / "runs.json").read_text("utf-8")) if (OUT_DIR / "runs.json").exists() else {}
    env = runs.get("environment", {})
    functions = spec_functions()
    files = pytest_files()
    by_suite: dict[str, Counts | None] = {}
    for s in SUITES:
        if s.tool == "pytest":
            chosen = [c for f, c in files.items() if f.startswith(s.paths)]
            total = Counts()
            for c in chosen:
                total.add(c)
            by_suite[s.key] = total if chosen else None
    by_suite["vitest"] = vitest_counts()
    by_suite["jest"] = jest_counts()
    by_suite["miniprogram-e2e"] = e2e_counts("miniprogram-e2e")
    by_suite["console-e2e"] = e2e_counts("console-e2e")
    soak_files = {f: c for f, c in files.items() if f.startswith("tests/soak/")}

    dates = sorted(r["started"] for k, r in runs.items() if isinstance(r, dict) and "started" in r)
    out = [
        "# 系统测试计划及测试报告",
        "",
        "<!-- 本文件由 docs/tools/gen_test_report.py 生成（`make test-report`），请勿手工修改。 -->",
        "",
        "| 项目 | 内容 |",
        "|---|---|",
        "| 适用版本 | checkup 0.1.0 |",
        f"| 被测代码 | 提交 `{runs.get('commit') or '—'}`{'（另有未提交的修改）' if runs.get('dirty') else ''} |",
        f"| 测试时间 | {dates[0].replace('T', ' ')[:16] + ' UTC 起' if dates else '—'} |",
        "| 生成方式 | `make test-report`：运行全部测试套件，读取其 JUnit XML / JSON 结果与性能数据，生成本文 |",
        "| 相关文档 | [功能规格说明书](functional-spec.md)（功能编号 F-xx）、[性能基准](performance.md)、[系统设计说明](design.md) |",
        "",
        "## 第一部分 测试计划",
        "",
        "### 1.1 范围",
        "",
        "被测对象为本仓库的全部产品代码：后端（`backend/checkup`：接口、业务、数据库、后台任务、外部系统客户端、沙箱、命令行）、"
        "管理后台（`console/`）、微信小程序（`miniprogram/`）与部署文件（`deploy/`）。外部系统（HIS、PEIS、微信、微信支付）以沙箱代替："
        "沙箱以真实的签名与加密说同样的协议，且不引用产品代码，客户端的错误不会被沙箱的同样错误掩盖。"
        "不在范围内：医院真实 HIS / PEIS 的联调（按[接口规范](interfaces/his-peis-protocol.md)第 12 章的自检清单在现场进行）、"
        "真实微信支付商户的资金流、微信开发者工具中的小程序界面。",
        "",
        "### 1.2 环境",
        "",
        "| 项 | 本次运行 |",
        "|---|---|",
        f"| 操作系统 | {env.get('os', '—')}，{env.get('cpus', '—')} 核 |",
        f"| Python | {env.get('python', '—')} |",
        f"| Node.js | {env.get('node', '—')} |",
        f"| 数据库 | SQLite（嵌入式默认）与 {env.get('mariadb', 'MariaDB')} |",
        f"| Redis | {env.get('redis', '—')} |",
        f"| 浏览器 | {env.get('chromium', '—')}（无头模式） |",
        "",
        "MariaDB 与 Redis 不可达时相关测试跳过并说明原因；CI 设置 `CHECKUP_REQUIRE_SERVICES=1`，此时改为失败。"
        "每个测试使用临时数据库与临时目录，测试之间互不影响。",
        "",
        "### 1.3 测试套件",
        "",
        "| 套件 | 工具 | 内容 | 证明什么 | 覆盖功能 |",
        "|---|---|---|---|---|",
    ]
    for s in SUITES:
        out.append(f"| {s.title} | {s.tool} | {s.scope} | {s.proves} | {', '.join(s.functions)} |")
    out += [
        f"| 性能基准 | `make bench` | 抢号、日历、支付通知、导出四个场景，对照同机的上限 | 见[性能基准](performance.md) | {', '.join(FIGURE_FUNCTIONS['bench'])} |",
        f"| 长时间运行（soak） | `make soak` | 10 分钟患者与员工混合流量，全部故障注入，3 个 worker 进程 | 内存与连接数不增长，资金不变量在结束时成立 | {', '.join(FIGURE_FUNCTIONS['soak'])} |",
        "",
        "运行命令（均在仓库根目录）：",
        "",
        "```sh",
        "make test          # 全部套件（不含 bench、soak）",
        "make test-report   # 全部套件 + 生成本报告",
        "make bench         # 性能基准，写 bench/results/latest.json",
        "make soak          # 长时间运行，写 bench/results/soak.json",
        "```",
        "",
        "### 1.4 功能与测试的对应",
        "",
        "| 功能 | 验证它的测试 |",
        "|---|---|",
    ]
    for fid, title in functions.items():
        where = [f"`{Path(p).name}`" for p, fs in FILE_FUNCTIONS.items() if fid in fs]
        where += [s.title for s in SUITES if s.tool != "pytest" and fid in s.functions]
        out.append(f"| {fid} {title} | {'、'.join(where) if where else '**无自动化测试**'} |")
    out += [
        "",
        "## 第二部分 测试结果",
        "",
        "### 2.1 汇总",
        "",
        "| 套件 | 用例 | 通过 | 失败 | 跳过 | 耗时 | 结论 |",
        "|---|---|---|---|---|---|---|",
    ]
    grand = Counts()
    for s in SUITES:
        c = by_suite.get(s.key)
        seconds = None
        if s.tool != "pytest" and isinstance(runs.get(s.key), dict):
            seconds = runs[s.key]["seconds"]
        out.append(_row(s.title, c, seconds))
        if c:
            grand.add(c)
    if soak_files:
        soak = Counts()
        for c in soak_files.values():
            soak.add(c)
        out.append(_row("长时间运行（soak，`make test` 中跳过）", soak))
        grand.add(soak)
    out.append(f"| **合计** | **{grand.tests}** | **{grand.passed}** | **{grand.failed}** | **{grand.skipped}** | | "
               f"{'**全部通过**' if grand.failed == 0 and grand.tests else '**有失败**'} |")
    out.append("")
    if isinstance(runs.get("pytest"), dict):
        out.append(f"后端三个套件由一次 pytest 运行完成（墙钟 {_fmt_s(runs['pytest']['seconds'])}，退出码 {runs['pytest']['exit']}）；"
                   "表中各套件的耗时为其用例耗时之和。")
        out.append("")
    failures = [f for s in SUITES if by_suite.get(s.key) for f in by_suite[s.key].failures]
    if failures:
        out += ["失败的用例：", ""] + [f"- `{f}`" for f in failures] + [""]

    if files:
        out += ["### 2.2 后端测试文件明细", "", "| 测试文件 | 用例 | 通过 | 失败 | 跳过 | 耗时 | 覆盖功能 |", "|---|---|---|---|---|---|---|"]
        for f, c in files.items():
            fs = ", ".join(FILE_FUNCTIONS.get(f, ())) or "—"
            out.append(f"| `{f}` | {c.tests} | {c.passed} | {c.failed} | {c.skipped} | {_fmt_s(c.seconds)} | {fs} |")
        out.append("")

    out += ["### 2.3 性能与长时间运行数据", ""]
    bench = ROOT / "bench" / "results" / "latest.json"
    if bench.exists():
        data = json.loads(bench.read_text("utf-8"))
        flat = _flatten(data)
        out += [bench_source(data.get("run", {}), report_commit=runs.get("commit")), "",
                "| 指标 | 结果 | 目标 | 是否达标 |", "|---|---|---|---|"]
        for key, target in data.get("targets", {}).items():
            out.append(f"| {key} | {flat.get(key, '—')} | {target.get('rule', '')} | {'达标' if target.get('met') else '**未达标**'} |")
        out.append("")
    else:
        out += ["本次没有 `bench/results/latest.json`（未运行 `make bench`）；最近一次完整运行的数字与分析见[性能基准](performance.md)第 2 章。", ""]
    soak_json = ROOT / "bench" / "results" / "soak.json"
    if soak_json.exists():
        data = json.loads(soak_json.read_text("utf-8"))
        out += ["来自 `bench/results/soak.json`：", "", "| 指标 | 值 |", "|---|---|"]
        for key in ("seconds", "payments", "payments_per_minute"):
            if key in data:
                out.append(f"| {key} | {data[key]} |")
        for key in ("server_rss_mb", "worker_rss_mb", "threads_connected"):
            if isinstance(data.get(key), dict):
                v = data[key]
                out.append(f"| {key}（首 / 最大 / 末） | {v.get('first', '—')} / {v.get('max', '—')} / {v.get('last', '—')} |")
        for key in ("injected", "end"):
            if key in data:
                out.append(f"| {key} | `{json.dumps(data[key], ensure_ascii=False)}` |")
        out.append("")
    else:
        out += ["本次没有 `bench/results/soak.json`（未运行 `make soak`）；最近一次 10 分钟 soak 的数字见[性能基准](performance.md)第 5 章。", ""]

    out += [
        "### 2.4 结论",
        "",
        ("本次运行全部用例通过。" if grand.failed == 0 and grand.tests else f"本次运行有 {grand.failed} 个用例失败，见 2.1。")
        + "跳过的用例是需要长时间运行的 soak（由 `make soak` 单独运行），以及运行环境缺少 MariaDB / Redis 时跳过的用例（见 pytest 输出的跳过原因）。",
        "",
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--run", action="store_true", help="run the suites first (results in var/test-report/)")
    parser.add_argument("--only", default="", help="with --run: comma-separated pytest,vitest,jest,miniprogram-e2e,console-e2e")
    args = parser.parse_args(argv)
    if args.run:
        run({k for k in args.only.split(",") if k} or None)
    REPORT.write_text(render(), encoding="utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")
    runs = json.loads((OUT_DIR / "runs.json").read_text("utf-8")) if (OUT_DIR / "runs.json").exists() else {}
    return 1 if any(isinstance(r, dict) and r.get("exit") for r in runs.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
