"""`checkup serve --workers N` exactly as shipped, with Sanic's access log off.

`checkup serve` turns the access log on whenever CHECKUP_ENV=dev, and the bench has to stay in dev
because prod (rightly) refuses the sandbox's test keys. Everything else — settings from the
environment, create_app, workers — is the product's own `checkup serve`.
"""

from __future__ import annotations

import sys

from sanic import Sanic

from checkup import cli

_prepare = Sanic.prepare


def _prepare_without_access_log(self, *args, **kwargs):
    kwargs["access_log"] = False
    kwargs["motd"] = False
    return _prepare(self, *args, **kwargs)


if __name__ == "__main__":
    Sanic.prepare = _prepare_without_access_log  # type: ignore[method-assign]
    cli.main(["serve", *sys.argv[1:]])
