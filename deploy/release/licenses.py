"""docs/third-party-licenses.md from the lock files: every Python package of requirements.lock (its licence
from the installed distribution's metadata) and every npm package shipped in the built console and H5
(the non-dev entries of their package-lock.json, whose licence npm records there).

    .venv/bin/python deploy/release/licenses.py           # write the document
    .venv/bin/python deploy/release/licenses.py --check   # exit 1 when the document is stale
"""

from __future__ import annotations

import json
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "third-party-licenses.md"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.M)


def python_packages(lock: Path = ROOT / "requirements.lock") -> list[tuple[str, str, str]]:
    rows = []
    for name, version in PIN.findall(lock.read_text("utf-8")):
        rows.append((name, version, python_licence(name)))
    return sorted(rows, key=lambda r: r[0].lower())


def python_licence(name: str) -> str:
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return "（未安装，无法读取）"
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return "; ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:60] if text else "（元数据未注明）"


def npm_packages(app: str) -> list[tuple[str, str, str]]:
    lock = json.loads((ROOT / app / "package-lock.json").read_text("utf-8"))
    rows = []
    for path, entry in lock.get("packages", {}).items():
        if not path or entry.get("dev") or entry.get("devOptional"):
            continue
        rows.append((path.split("node_modules/")[-1], entry.get("version", ""), str(entry.get("license", ""))))
    return sorted(set(rows))


def render() -> str:
    out = ["# 第三方软件许可清单", "",
           "本文件由 `deploy/release/licenses.py` 根据锁定文件生成（`make licenses`），请勿手工修改；"
           "测试会检查它与 `requirements.lock` 和各前端的 `package-lock.json` 一致。本项目自身以 Apache-2.0 发布"
           "（见仓库根目录 `LICENSE` 与 `NOTICE`）。", "",
           "## 后端（Python，requirements.lock）", "", "| 软件包 | 版本 | 许可 |", "|---|---|---|"]
    out += [f"| {n} | {v} | {lic} |" for n, v, lic in python_packages()]
    for app, title in (("console", "管理后台（console，随构建产物发布的 npm 依赖）"),
                       ("h5", "公众号 H5（h5，随构建产物发布的 npm 依赖）")):
        out += ["", f"## {title}", "", "| 软件包 | 版本 | 许可 |", "|---|---|---|"]
        out += [f"| {n} | {v} | {lic} |" for n, v, lic in npm_packages(app)]
    out += ["", "小程序（miniprogram）不打包任何 npm 运行时依赖（其 package-lock.json 只有开发和测试工具）。", ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not DOC.is_file() or DOC.read_text("utf-8") != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run `make licenses`", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, "utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
