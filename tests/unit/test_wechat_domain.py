"""The 体检中心 menu and the subscription message rules, as plain functions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkup.bootstrap.wechat import menu_from_settings
from checkup.config import Settings
from checkup.domain.messages import DEFAULT_FIELDS, FIELDS, MessageConfig, parse_field_mapping, render_value
from checkup.domain.wechat_menu import ENTRIES, MenuInvalid, checkup_menu, merge_menu, readable_menu
from checkup.sandbox.wechat_api import menu_problem, message_problem

APP_JSON = Path(__file__).resolve().parents[2] / "miniprogram" / "miniprogram" / "app.json"
APPID = "wx0000000000sandbox"


class TestMenu:
    def test_three_miniprogram_buttons_to_pages_that_exist(self):
        menu = checkup_menu(appid=APPID, fallback_url="https://tj.example.cn/")
        pages = set(json.loads(APP_JSON.read_text(encoding="utf-8"))["pages"])
        [group] = menu["button"]
        assert group["name"] == "体检中心"
        assert [b["name"] for b in group["sub_button"]] == ["个人体检", "体检缴费", "预约记录"]
        for button in group["sub_button"]:
            assert button["type"] == "miniprogram" and button["appid"] == APPID
            assert button["url"] == "https://tj.example.cn/"
            assert button["pagepath"] in pages
        assert menu_problem(menu, miniprogram_appid=APPID) is None  # the sandbox WeChat takes it

    def test_top_level_name_over_16_bytes_is_refused(self):
        # 5 Chinese characters are 15 bytes: fine; 6 are 18: refused, with the numbers in the message.
        checkup_menu(appid=APPID, fallback_url="https://x.cn/", title="体检服务中")
        with pytest.raises(MenuInvalid) as refused:
            checkup_menu(appid=APPID, fallback_url="https://x.cn/", title="体检服务中心")
        assert "18 字节" in refused.value.message and "16 字节" in refused.value.message
        assert menu_problem({"button": [{"name": "体检服务中心", "sub_button": [
            {"type": "view", "name": "a", "url": "https://x.cn/"}]}]}, miniprogram_appid=APPID)[0] == 40018

    def test_sub_button_name_over_60_bytes_is_refused(self):
        checkup_menu(appid=APPID, fallback_url="https://x.cn/", names={"pay": "缴" * 20})  # 60 bytes
        with pytest.raises(MenuInvalid) as refused:
            checkup_menu(appid=APPID, fallback_url="https://x.cn/", names={"pay": "缴" * 20 + "a"})
        assert "61 字节" in refused.value.message and "60 字节" in refused.value.message

    def test_other_refusals(self):
        with pytest.raises(MenuInvalid):
            checkup_menu(appid=APPID, fallback_url="ftp://x.cn/")
        with pytest.raises(MenuInvalid):
            checkup_menu(appid=APPID, fallback_url="https://x.cn/", names={"refunds": "退费"})
        with pytest.raises(MenuInvalid):
            checkup_menu(appid=APPID, fallback_url="https://x.cn/", title=" ")
        assert set(ENTRIES) == {"packages", "pay", "bookings"}

    def test_unlinked_miniprogram_is_refused_by_the_sandbox(self):
        menu = checkup_menu(appid="wx1111111111111111", fallback_url="https://x.cn/")
        assert menu_problem(menu, miniprogram_appid=APPID) == (85005, "appid is not bind")


class TestMessageValues:
    @pytest.mark.parametrize(
        ("keyword_type", "value", "text"),
        [
            ("amount", 12800, "128.00元"),
            ("amount", 5, "0.05元"),
            ("date", "2026-03-07", "2026年3月7日"),
            ("time", "2026-03-07T09:05:00+08:00", "2026年3月7日 09:05"),
            ("time", "2026-03-07T01:05:00+00:00", "2026年3月7日 09:05"),
            ("thing", "一二三四五六七八九十一二三四五六七八九十多", "一二三四五六七八九十一二三四五六七八九…"),
            ("name", "王*明", "王*明"),
            ("character_string", "P2026 0307-0001/x", "P20260307-0001x"),
        ],
    )
    def test_rendered_as_wechat_accepts(self, keyword_type, value, text):
        assert render_value(keyword_type, value) == text

    def test_default_mapping_fits_the_sandbox_templates(self):
        config = MessageConfig(templates={k: f"sandbox-tmpl-{k}" for k in FIELDS})
        from checkup.sandbox.demo_data import demo_templates

        data = {"patient_id": 1, "booking_id": 2, "patient_name": "王*明", "item_name": "体检中心体检费",
                "amount_fen": 52800, "paid_at": "2026-03-07T09:05:00+08:00", "payment_no": "P20260307000001",
                "package_name": "入职体检套餐（基础版）", "date": "2026-03-09", "old_date": "2026-03-08",
                "reason": "医院系统拒绝入账，自动退款", "refund_no": "RF20260307090500A1B2C3D4"}
        users = {"o1": object()}
        for kind in FIELDS:
            body = {"touser": "o1", "template_id": config.template(kind), "page": config.page(kind, data),
                    "data": config.render(kind, data), "miniprogram_state": "developer", "lang": "zh_CN"}
            assert message_problem(body, templates=demo_templates(), users=users) is None, (kind, body)

    def test_field_mapping_from_settings(self):
        mapping = parse_field_mapping('{"booking": {"thing7": "package_name", "time9": "date"}}')
        assert mapping["booking"] == {"thing7": "package_name", "time9": "date"}
        assert mapping["payment"] == DEFAULT_FIELDS["payment"]
        for bad in ('{"booking": {"foo1": "date"}}', '{"booking": {"thing1": "id_number"}}', '{"refund": {}}',
                    "not json", "[]"):
            with pytest.raises(ValueError):
                parse_field_mapping(bad)
        with pytest.raises(ValueError):
            Settings(wechat_template_fields='{"payment": {"thing1": "phone"}}')

    def test_templates_from_settings(self):
        sandboxed = Settings(env="dev", sandbox=True).message_config
        assert sandboxed.template("payment") == "sandbox-tmpl-payment" and sandboxed.miniprogram_state == "developer"
        plain = Settings(env="dev", sandbox=False, wechat_template_booking="T-booking",
                         wechat_miniprogram_state="trial").message_config
        assert plain.enabled("booking") and not plain.enabled("payment") and plain.miniprogram_state == "trial"
        off = Settings(env="dev", sandbox=True, wechat_template_cancel="").message_config
        assert not off.enabled("cancel") and off.enabled("booking")


class TestMenuMerge:
    OURS = checkup_menu(appid=APPID, h5_url="https://tj.example.cn/h5/")
    HOSPITAL = [{"name": "挂号服务", "sub_button": [{"type": "view", "name": "预约挂号", "url": "https://his.cn/gh"}]},
                {"type": "click", "name": "报告查询", "key": "REPORT"}]

    def test_fallback_of_a_miniprogram_button_is_its_h5_page(self):
        [group] = self.OURS["button"]
        assert [b["url"] for b in group["sub_button"]] == [
            "https://tj.example.cn/h5/#/packages", "https://tj.example.cn/h5/#/charges",
            "https://tj.example.cn/h5/#/bookings"]

    def test_settings_never_point_the_menu_at_the_console(self):
        menu = menu_from_settings(Settings(_env_file=None, public_url="https://tj.example.cn"))
        urls = [b["url"] for b in menu["button"][0]["sub_button"]]
        assert all(u.startswith("https://tj.example.cn/h5/#/") for u in urls), urls

    def test_h5_target_makes_view_buttons(self):
        menu = checkup_menu(appid=APPID, h5_url="https://tj.example.cn/h5", target="h5")
        assert [(b["type"], b["url"]) for b in menu["button"][0]["sub_button"]] == [
            ("view", "https://tj.example.cn/h5/#/packages"), ("view", "https://tj.example.cn/h5/#/charges"),
            ("view", "https://tj.example.cn/h5/#/bookings")]
        assert menu_problem(menu, miniprogram_appid=APPID) is None

    def test_merge_adds_our_group_and_keeps_the_others_in_place(self):
        merged = merge_menu(self.HOSPITAL, self.OURS)
        assert merged["button"][:2] == self.HOSPITAL and merged["button"][2] == self.OURS["button"][0]
        assert menu_problem(merged, miniprogram_appid=APPID) is None

    def test_merge_replaces_the_group_of_the_same_name_only(self):
        old_ours = {"name": "体检中心", "sub_button": [{"type": "view", "name": "旧入口", "url": "https://old.cn/"}]}
        merged = merge_menu([self.HOSPITAL[0], old_ours, self.HOSPITAL[1]], self.OURS)
        assert merged["button"] == [self.HOSPITAL[0], self.OURS["button"][0], self.HOSPITAL[1]]

    def test_merge_refuses_a_fourth_group(self):
        full = [*self.HOSPITAL, {"type": "view", "name": "医院简介", "url": "https://x.cn/"}]
        with pytest.raises(MenuInvalid) as refused:
            merge_menu(full, self.OURS)
        assert "已有 3 个一级菜单" in refused.value.message

    def test_live_menu_is_read_in_create_form_and_console_replies_refused(self):
        live = {"is_menu_open": 1, "selfmenu_info": {"button": [
            {"name": "挂号服务", "sub_button": {"list": [{"type": "view", "name": "预约挂号", "url": "https://his.cn/gh"}]}},
            {"type": "click", "name": "报告查询", "key": "REPORT"}]}}
        assert readable_menu(live) == self.HOSPITAL
        assert readable_menu({"is_menu_open": 0}) == [] and readable_menu(None) == []
        live["selfmenu_info"]["button"].append({"type": "news", "name": "医院新闻", "value": "KqV..."})
        with pytest.raises(MenuInvalid) as refused:
            readable_menu(live)
        assert "医院新闻" in refused.value.message


def test_realname_answers_become_one_verdict():
    """城市服务 实名信息校验 (checkrealnameinfo): verify_openid, then verify_real_name when the name matches."""
    from checkup.integrations.wechat.realname import verdict_of

    assert verdict_of({"errcode": 0, "verify_openid": "V_OP_NM_MA", "verify_real_name": "V_NM_ID_MA"}) == "match"
    assert verdict_of({"errcode": 0, "verify_openid": "V_OP_NM_MA", "verify_real_name": "V_NM_ID_UM"}) == "id_mismatch"
    assert verdict_of({"errcode": 0, "verify_openid": "V_OP_NM_MA"}) == "id_mismatch"  # no number verdict: not a match
    assert verdict_of({"errcode": 0, "verify_openid": "V_OP_NM_UM"}) == "name_mismatch"
    assert verdict_of({"errcode": 0, "verify_openid": "V_OP_NA"}) == "no_real_name"
    assert verdict_of({"errcode": 0, "verify_openid": "V_OP_NA;V_OP_NM_UM"}) == "name_mismatch"
    assert verdict_of({"errcode": 0}) == "no_real_name"
