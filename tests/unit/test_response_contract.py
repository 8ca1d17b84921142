"""One contract: every JSON answer has a response model, the models carry only the fields answers carry
(extra="forbid"), status fields are enums, and a route's answer is checked against its model
(api/routing.py check_response, CHECKUP_RESPONSE_CHECK)."""

from __future__ import annotations

import logging
import types
import typing
from collections.abc import Iterator
from enum import Enum

import pytest
from pydantic import BaseModel
from sanic.response import json as json_response

import checkup.app  # noqa: F401 - fills the route table
from checkup.api.routing import ROUTES, ResponseContractError, RouteSpec, check_response
from checkup.api.schemas import Out
from checkup.config import Settings


def _json_answers() -> list[RouteSpec]:
    return [r for r in ROUTES if r.status != 204 and "application/json" in r.produces]


def test_every_json_answer_declares_its_response_model():
    missing = [f"{r.method} {r.path}" for r in _json_answers() if r.response is None]
    assert not missing, f"routes answering JSON without a response model (route(response=...)): {missing}"


def _models(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for f in annotation.model_fields.values():
            yield from _models(f.annotation)
        return
    for arg in typing.get_args(annotation):
        yield from _models(arg)


def _answer_models() -> set[type[BaseModel]]:
    return {m for r in ROUTES if r.response is not None for m in _models(r.response)}


def test_answer_models_forbid_fields_they_do_not_declare():
    allowing = sorted(m.__name__ for m in _answer_models() if m.model_config.get("extra") != "forbid")
    assert not allowing, f"response models that let undeclared fields through: {allowing}"
    assert all(issubclass(m, Out) for m in _answer_models())


def _is_enum(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True
    if typing.get_origin(annotation) is typing.Literal:
        return True
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    return bool(args) and origin in (typing.Union, types.UnionType) and all(_is_enum(a) for a in args)


def test_status_fields_of_answers_are_enums():
    loose = sorted(f"{m.__name__}.{name}" for m in _answer_models() for name, f in m.model_fields.items()
                   if (name == "status" or name.endswith("_status")) and not _is_enum(f.annotation))
    assert not loose, f"status fields typed as free text (use the domain's enum or a Literal): {loose}"


class _Row(Out):
    id: int
    status: typing.Literal["ok"]


SPEC = RouteSpec(method="GET", path="/api/test/rows", name="rows", auth="public", response=_Row)


def _request(mode: str | None) -> typing.Any:
    settings = types.SimpleNamespace(response_check=mode)
    return types.SimpleNamespace(app=types.SimpleNamespace(ctx=types.SimpleNamespace(settings=settings)))


def test_a_matching_answer_passes():
    check_response(_request("strict"), SPEC, json_response({"id": 1, "status": "ok"}))


@pytest.mark.parametrize("body, field", [
    ({"id": 1, "status": "ok", "extra": 1}, "extra"),
    ({"id": "1", "status": "ok"}, "id"),
    ({"id": 1, "status": "gone"}, "status"),
    ({"status": "ok"}, "id"),
])
def test_strict_refuses_an_answer_outside_the_model_naming_route_and_field(body, field):
    with pytest.raises(ResponseContractError) as refused:
        check_response(_request("strict"), SPEC, json_response(body))
    assert "GET /api/test/rows" in str(refused.value) and f"{field}:" in str(refused.value)


def test_log_mode_logs_the_route_and_field_and_lets_the_answer_go(caplog, monkeypatch):
    from checkup.api import routing

    monkeypatch.setattr(routing, "_answers_seen", {})  # the first answer of a route is always checked
    with caplog.at_level(logging.ERROR, logger="checkup.api"):
        check_response(_request("log"), SPEC, json_response({"id": 1, "status": "ok", "secret": "x"}))
    assert any("GET /api/test/rows" in r.getMessage() and "secret:" in r.getMessage() for r in caplog.records)


def test_errors_files_and_204_are_not_checked():
    check_response(_request("strict"), SPEC, json_response({"error": {}}, status=404))
    check_response(_request("strict"), SPEC, json_response({"x": 1}, status=200, content_type="text/plain"))


def test_the_check_is_strict_outside_production():
    # production: log (tests/unit/test_prod_secrets.py)
    assert Settings(env="dev").response_check == "strict"
    assert Settings(env="dev", response_check="log").response_check == "log"


def test_log_mode_checks_the_first_answer_of_a_route_and_then_one_in_log_sample(caplog, monkeypatch):
    from checkup.api import routing

    monkeypatch.setattr(routing, "_answers_seen", {})
    bad = json_response({"id": 1, "status": "ok", "secret": "x"})
    with caplog.at_level(logging.ERROR, logger="checkup.api"):
        for _ in range(2 * routing.LOG_SAMPLE + 1):
            check_response(_request("log"), SPEC, bad)
    logged = [r for r in caplog.records if "secret:" in r.getMessage()]
    assert len(logged) == 3  # answers 1, LOG_SAMPLE + 1 and 2 * LOG_SAMPLE + 1
    with pytest.raises(routing.ResponseContractError):  # strict still checks every answer
        for _ in range(2):
            check_response(_request("strict"), SPEC, bad)
