"""Sandbox WeChat client cashier for official account pages (JSAPI): ``WeixinJSBridge``.

In WeChat's browser a page pays with ``WeixinJSBridge.invoke("getBrandWCPayRequest", {appId, timeStamp,
nonceStr, package, signType, paySign}, callback)``; WeChat checks paySign with the merchant's public key
and that the prepay order was placed under that appId, shows its cashier, and after the patient pays
sends the merchant the signed payment notification. Outside WeChat there is no bridge: a page built with
the sandbox switch loads ``/sandbox/wechat-jsapi/jsbridge.js``, which plays that cashier against this
blueprint. Its answers use WeChat's ``err_msg`` values.
"""

from __future__ import annotations

import json
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox.wechatpay import crypto
from checkup.sandbox.wechatpay.service import SandboxError, WechatPaySandbox, WechatPaySandboxConfig
from checkup.sandbox.wechatpay.state import SandboxOrder, WechatPaySandboxState

OK = "get_brand_wcpay_request:ok"
FAIL = "get_brand_wcpay_request:fail"

JSBRIDGE = r"""(function () {
  if (window.WeixinJSBridge) return;  // inside real WeChat
  var base = __BASE__;
  function post(path, body) {
    return fetch(base + path, {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body)}).then(function (r) { return r.json(); });
  }
  function cashier(params, done) {
    var prepay = String(params["package"] || "").replace("prepay_id=", "");
    fetch(base + "/orders/" + encodeURIComponent(prepay)).then(function (r) { return r.json(); }).then(function (o) {
      var box = document.createElement("div");
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-label", "微信支付");
      box.setAttribute("data-testid", "sandbox-cashier");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(0,0,0,.6);display:flex;" +
        "align-items:flex-end;font-family:sans-serif";
      var panel = document.createElement("div");
      panel.style.cssText = "background:#fff;width:100%;padding:1.5rem;border-radius:1rem 1rem 0 0;text-align:center";
      var title = document.createElement("p"); title.textContent = "微信支付（沙箱收银台）";
      var what = document.createElement("p"); what.textContent = o.description || "";
      var amount = document.createElement("p"); amount.style.cssText = "font-size:2rem;margin:.5rem 0";
      amount.textContent = o.total ? "¥" + (o.total / 100).toFixed(2) : (o.message || "订单不存在");
      var payee = document.createElement("p"); payee.style.cssText = "color:#888;font-size:.85rem";
      payee.textContent = "appid " + (o.appid || "") + " · 商户号 " + (o.mchid || "");
      var pay = document.createElement("button"); pay.textContent = "确认支付";
      pay.style.cssText = "width:100%;padding:.8rem;font-size:1.1rem;background:#07c160;color:#fff;border:0;border-radius:.4rem";
      var cancel = document.createElement("button"); cancel.textContent = "取消";
      cancel.style.cssText = "width:100%;padding:.8rem;font-size:1rem;margin-top:.5rem;background:#eee;border:0;border-radius:.4rem";
      panel.append(title, what, amount, payee, pay, cancel); box.appendChild(panel); document.body.appendChild(box);
      cancel.onclick = function () { box.remove(); done({err_msg: "get_brand_wcpay_request:cancel"}); };
      pay.onclick = function () {
        pay.disabled = true;
        post("/pay", params).then(function (a) { box.remove(); done(a); },
                                  function () { box.remove(); done({err_msg: "__FAIL__"}); });
      };
    }, function () { done({err_msg: "__FAIL__"}); });
  }
  window.WeixinJSBridge = {
    invoke: function (name, params, callback) {
      if (name === "getBrandWCPayRequest") cashier(params || {}, callback || function () {});
      else (callback || function () {})({err_msg: name + ":fail"});
    },
    on: function () {}, call: function () {}
  };
  document.dispatchEvent(new Event("WeixinJSBridgeReady"));
})();
"""


def create_cashier_blueprint(config: WechatPaySandboxConfig, state: WechatPaySandboxState,
                             *, url_prefix: str = "/sandbox/wechat-jsapi") -> Blueprint:
    """The sandbox cashier: the bridge script, an order's summary by prepay id, and paying it."""
    sandbox = WechatPaySandbox(config, state)
    bp = Blueprint("sandbox_wechat_cashier", url_prefix=url_prefix)

    def answer(payload: Any, status: int = 200) -> HTTPResponse:
        return HTTPResponse(json.dumps(payload, ensure_ascii=False).encode(), status=status,
                            content_type="application/json")

    def order_of(prepay_id: str) -> SandboxOrder | None:
        return next((o for o in state.orders.values() if o.prepay_id == prepay_id), None)

    @bp.get("/jsbridge.js")
    async def jsbridge(request: Request) -> HTTPResponse:
        script = JSBRIDGE.replace("__BASE__", json.dumps(url_prefix)).replace("__FAIL__", FAIL)
        return HTTPResponse(script.encode(), content_type="text/javascript; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    @bp.get("/orders/<prepay_id>")
    async def order(request: Request, prepay_id: str) -> HTTPResponse:
        found = order_of(prepay_id)
        if found is None:
            return answer({"message": "订单不存在或已过期"}, 404)
        return answer({"description": found.description, "total": found.total, "appid": found.appid,
                       "mchid": found.mchid, "trade_state": found.trade_state})

    @bp.post("/pay")
    async def pay(request: Request) -> HTTPResponse:
        try:
            params = json.loads(request.body or b"")
        except ValueError:
            params = None
        if not isinstance(params, dict) or not all(
            isinstance(params.get(k), str) and params.get(k)
            for k in ("appId", "timeStamp", "nonceStr", "package", "signType", "paySign")
        ):
            return answer({"err_msg": FAIL, "err_desc": "缺少支付参数"}, 400)
        if params["signType"] != "RSA":
            return answer({"err_msg": FAIL, "err_desc": "signType 须为 RSA"}, 400)
        message = [params[k].encode() for k in ("appId", "timeStamp", "nonceStr", "package")]
        if not crypto.verify(sandbox.merchant_public_key, message, params["paySign"]):
            return answer({"err_msg": FAIL, "err_desc": "支付验证签名失败"}, 400)
        found = order_of(params["package"].removeprefix("prepay_id="))
        if found is None:
            return answer({"err_msg": FAIL, "err_desc": "prepay_id 无效或已过期"}, 400)
        if found.appid != params["appId"]:
            return answer({"err_msg": FAIL, "err_desc": "appId 与下单时的 appid 不一致"}, 400)
        try:
            await sandbox.pay(found.out_trade_no)
        except SandboxError as exc:
            return answer({"err_msg": FAIL, "err_desc": exc.message}, 409)
        return answer({"err_msg": OK})

    return bp
