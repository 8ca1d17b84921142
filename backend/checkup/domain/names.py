"""Names of 就诊人 as real people have them (the same rule as miniprogram/miniprogram/utils/name-rule.ts).

Chinese names: CJK ideographs of every block, including the extensions (䶮 is in Extension A, 𠮷 in
Extension B: outside the basic block, and common in given names), with the middle dot of minority and
foreign names in Chinese (阿卜杜拉·买买提). Names on foreign documents: Latin letters, spaces, . ' -.
2 to 50 characters (Unicode code points). The dot variants people type are stored as U+00B7.
"""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 50
_IDEOGRAPH = (
    "\u3400-\u4dbf"  # Extension A
    "\u4e00-\u9fff"  # the basic block
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef"  # Extensions B-F
    "\U0002f800-\U0002fa1f"  # compatibility supplement
    "\U00030000-\U000323af"  # Extensions G-H
)
_DOTS = "\u00b7\u2022\u30fb\u2027\uff65"  # · • ・ ‧ ･ : all the middle dot of a name
_CHINESE = re.compile(f"^[{_IDEOGRAPH}]+(?:\u00b7[{_IDEOGRAPH}]+)*$")
_LATIN = re.compile(r"^[A-Za-z](?:[A-Za-z'.-]|\s(?=[A-Za-z]))*[A-Za-z.]$", re.ASCII)


def normalise_name(raw: str) -> str:
    """NFC, spaces squeezed, every middle-dot variant as U+00B7 (no spaces around it)."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.sub(r"\s+", " ", name.strip())
    name = re.sub(f"\\s*[{_DOTS}]\\s*", "\u00b7", name)
    if re.search(f"[{_IDEOGRAPH}]", name):
        name = re.sub(r"\s", "", name)  # 张 三 is 张三
    return name


def name_problem(name: str) -> str:
    """'' when ``name`` (normalised) is a valid name, else a Chinese message."""
    if not name:
        return "请输入姓名"
    if len(name) < 2 or len(name) > MAX_LENGTH:
        return f"姓名应为2到{MAX_LENGTH}个字"
    if _CHINESE.match(name) or _LATIN.match(name):
        return ""
    return "请输入与证件一致的姓名：汉字（少数民族姓名可用间隔号“·”），或证件上的英文字母"
