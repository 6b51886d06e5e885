"""A replay's SQL runs in a second process while this one decodes the events and runs the handlers.

A rebuild's time splits about evenly between Python (decoding, unsealing, the handlers) and SQLite executing
the handlers' statements. Read-model handlers only write: they never read a result back. So their statements
can be recorded here and executed there, in the same order, and the two halves overlap on two cores.

The worker is `python -m projections.sql_worker`, which imports nothing of Kapıda beyond this module. It
reads pickled batches of statements on its standard input, applies them to an in-memory SQLite database in
one transaction and, after the end mark, writes the database's image (or the first error) to its standard
output. Nothing it does touches the live database: the caller swaps the image in, or drops it.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, BinaryIO

Params = Sequence[Any]
Statement = tuple[str, Any, bool]  # SQL, its parameters (a list of them for `executemany`), many?
END = None  # after the last batch (a batch may be empty: a window without events the view handles)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PAGE_SIZE = 65_536  # fewer, larger pages: random-key inserts and updates run ~5 % faster (measured)


class WorkerFailed(RuntimeError):
    """The worker refused a statement or died; the message says which and why."""


class RecordingCursor:
    """Collects a handler's statements for the worker; refuses reads (a pipelined replay cannot answer)."""

    rowcount = -1  # unknown until the worker runs the statement; no handler may depend on it

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def execute(self, sql: str, params: Params = ()) -> None:
        self.statements.append((sql, params, False))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self.statements.append((sql, list(rows), True))

    def fetchall(self) -> list[Any]:
        raise TypeError("a read-model handler read a result back: it cannot run in a pipelined replay")

    def fetchone(self) -> Any:
        raise TypeError("a read-model handler read a result back: it cannot run in a pipelined replay")

    def take(self) -> list[Statement]:
        """The statements recorded since the last `take`."""
        taken, self.statements = self.statements, []
        return taken


class SqlWorker:
    """The worker process, seen from the replay: send batches, then `finish` for the database's image."""

    def __init__(self) -> None:
        # The worker imports this module by name: from the project this one was loaded from, however that was.
        path = os.pathsep.join(filter(None, (str(PROJECT_ROOT), os.environ.get("PYTHONPATH"))))
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._to, self._from = self._process.stdin, self._process.stdout

    def send(self, statements: list[Statement]) -> None:
        """Queue a batch; blocks while the worker is still busy with the one before (back-pressure)."""
        try:
            pickle.dump(statements, self._to, protocol=pickle.HIGHEST_PROTOCOL)
            self._to.flush()
        except BrokenPipeError:
            raise self._failure() from None

    def finish(self) -> bytes:
        """The image of the worker's database once every batch is applied (`sqlite3.Connection.serialize`)."""
        try:
            pickle.dump(END, self._to, protocol=pickle.HIGHEST_PROTOCOL)
            self._to.close()
        except BrokenPipeError:
            raise self._failure() from None
        outcome, payload = self._answer()
        self._process.wait()
        if outcome != "image":
            raise WorkerFailed(payload)
        return bytes(payload)

    def close(self) -> None:
        """Stop the worker, finished or not (a replay that failed halfway)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        with suppress(BrokenPipeError):  # unsent bytes of a batch the killed worker will never read
            self._to.close()
        self._from.close()

    def _answer(self) -> tuple[str, Any]:
        try:
            answer: tuple[str, Any] = pickle.load(self._from)
        except EOFError:
            return "error", f"the SQL worker ended without an answer (exit code {self._process.wait()})"
        return answer

    def _failure(self) -> WorkerFailed:
        return WorkerFailed(self._answer()[1])


def apply_batches(source: BinaryIO) -> sqlite3.Connection:
    """Apply every batch read from `source` until `END`, in one transaction of a new database."""
    database = sqlite3.connect(":memory:", isolation_level=None)
    database.execute("PRAGMA journal_mode=OFF")
    database.execute(f"PRAGMA page_size={PAGE_SIZE}")
    cursor = database.cursor()
    cursor.execute("BEGIN")
    while (batch := pickle.load(source)) is not END:
        for sql, params, many in batch:
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
    cursor.execute("COMMIT")
    return database


def serve(source: BinaryIO, answer: BinaryIO) -> int:
    """The worker's main loop; answers ("image", bytes) or ("error", message)."""
    try:
        outcome: tuple[str, Any] = ("image", apply_batches(source).serialize())
    except Exception as error:  # any failure is reported to the caller, who raises it
        outcome = ("error", f"{type(error).__name__}: {error}")
    pickle.dump(outcome, answer, protocol=pickle.HIGHEST_PROTOCOL)
    answer.flush()
    return 0 if outcome[0] == "image" else 1


if __name__ == "__main__":
    sys.exit(serve(sys.stdin.buffer, sys.stdout.buffer))
