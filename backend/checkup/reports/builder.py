"""The export builder process (reports/offload.py starts it): reads pickled calls on stdin, runs each, and
writes the pickled outcome on stdout, until stdin closes. A frame is an 8-byte big-endian length and the
pickle. Only its parent, the API process, writes to it (the same trust as the API process itself)."""

from __future__ import annotations

import pickle
import sys
from typing import BinaryIO


def _read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        return None
    return data


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    while (frame := _read_frame(inp)) is not None:
        call = pickle.loads(frame)  # noqa: S301 - written by our own parent process only
        try:
            outcome: tuple[bool, object] = (True, call())
        except Exception as exc:  # noqa: BLE001 - sent back and raised in the API process
            try:
                pickle.dumps(exc)
                outcome = (False, exc)
            except Exception:  # noqa: BLE001 - an exception that does not pickle goes back as its text
                outcome = (False, RuntimeError(repr(exc)))
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(data).to_bytes(8, "big"))
        out.write(data)
        out.flush()


def main() -> None:
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the frames
    serve(sys.stdin.buffer, protocol_out)


if __name__ == "__main__":
    main()
