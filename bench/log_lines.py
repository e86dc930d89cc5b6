"""Cost of one JSON log line, per writer: the request line app/logs.py writes after every request.

Each writer turns the same stdlib records into the same JSON line (time, level, logger,
message, then the `extra` fields), written to /dev/null through a StreamHandler, with the
record settings `configure_logging` makes (no thread, process or caller lookup). A line costs
the record, the formatting and the write; printed in microseconds per line, best of `--rounds`
(the writers take turns in each round).

- `hand-written`: the formatter app/logs.py had until issue 24, kept here as the yardstick;
- `python-json-logger`: what app/logs.py uses now (`json_lines()`);
- `structlog (stdlib records)`: structlog's ProcessorFormatter with the processors that write
  the same fields, for the same `logging` calls;
- `structlog (own loggers)`: structlog's bound loggers straight to the file, for comparison
  only: every `log.info(..., extra=...)` in app/ would have to change to use them.

    .venv/bin/python bench/log_lines.py
    .venv/bin/python bench/log_lines.py --lines 50000 --rounds 7
"""

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

import structlog

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.logs import json_lines  # noqa: E402

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
REQUEST = {"method": "PATCH", "path": "/api/tables/12/status", "status": 200, "duration_ms": 8.41}
WHO = {"user": "host", "remote": "10.0.0.7"}
_RESERVED = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class HandWritten(logging.Formatter):
    """app/logs.py's formatter before issue 24: the record's fields and `extra`, through json.dumps."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, TIME_FORMAT),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in record.__dict__.items() if key not in _RESERVED})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def structlog_formatter() -> logging.Formatter:
    """structlog's formatter for stdlib records, writing the same fields."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.processors.TimeStamper(fmt=TIME_FORMAT, utc=False, key="time"),
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.EventRenamer("message"),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(default=str),
        ],
    )


def stdlib_writer(formatter: logging.Formatter, sink):
    """log(): one request line through `logging`, formatted by `formatter`."""
    handler = logging.StreamHandler(sink)
    handler.setFormatter(formatter)
    logger = logging.getLogger(f"bench.{type(formatter).__name__}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return lambda: logger.info("request", extra={**REQUEST, **WHO})


def structlog_writer(sink):
    """log(): one request line through a structlog bound logger writing the same fields."""
    logger = structlog.wrap_logger(
        structlog.WriteLogger(sink),
        processors=[
            structlog.processors.TimeStamper(fmt=TIME_FORMAT, utc=False, key="time"),
            structlog.processors.add_log_level,
            structlog.processors.EventRenamer("message"),
            structlog.processors.JSONRenderer(default=str),
        ],
        logger_name="tableside.requests",
    )
    return lambda: logger.info("request", **REQUEST, **WHO)


def best_per_line_us(writers: dict, lines: int, rounds: int) -> dict[str, float]:
    """Each writer's best of `rounds` runs of `lines` lines, in microseconds per line.

    The writers take turns within each round, so a busy moment of a shared machine falls on
    all of them rather than on one.
    """
    best = dict.fromkeys(writers, float("inf"))
    for _ in range(rounds):
        for name, log in writers.items():
            started = time.perf_counter()
            for _ in range(lines):
                log()
            best[name] = min(best[name], time.perf_counter() - started)
    return {name: seconds / lines * 1e6 for name, seconds in best.items()}


def main() -> None:
    """Print the cost of a line for each writer (best of the rounds), and one line of each."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
    with open(os.devnull, "w") as sink:
        writers = {
            "hand-written": stdlib_writer(HandWritten(), sink),
            "python-json-logger": stdlib_writer(json_lines(), sink),
            "structlog (stdlib records)": stdlib_writer(structlog_formatter(), sink),
            "structlog (own loggers)": structlog_writer(sink),
        }
        for name, cost in best_per_line_us(writers, args.lines, args.rounds).items():
            print(f"{name:28} {cost:6.2f} us per line")
    for name, formatter in (("python-json-logger", json_lines()), ("structlog", structlog_formatter())):
        record = logging.LogRecord("tableside.requests", logging.INFO, "", 0, "request", None, None)
        record.__dict__.update(REQUEST, **WHO)
        print(f"{name}: {formatter.format(record)}")


if __name__ == "__main__":
    main()
