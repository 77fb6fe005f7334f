"""Logging: silent unless asked for, and never a secret in a log line.

Records go to `logging.getLogger("<package>")`. Nothing is printed by default; setting the
environment variable the client names (e.g. PETSTORE_LOG=info, or debug for headers too)
attaches a handler to standard error. An application that configures logging itself gets
the records through its own handlers either way.
"""

from __future__ import annotations

import logging
import os
from typing import Iterable, Mapping, Optional, Tuple
from urllib.parse import unquote_plus

import httpx

logger = logging.getLogger(__package__ or "client")

REDACTED = "<redacted>"
# Header and query parameter names that carry credentials: any name containing one of these.
_SECRET_WORDS = (
    "auth",
    "key",
    "token",
    "secret",
    "password",
    "passwd",
    "cookie",
    "session",
    "signature",
    "credential",
)
# Names that contain a secret word but are no secret.
_NOT_SECRET = frozenset({"idempotency-key", "x-idempotency-key"})

_configured: set[str] = set()


def setup(variable: str) -> None:
    """Attach a stderr handler once if the environment variable asks for "info" or "debug"."""
    if variable in _configured:
        return
    _configured.add(variable)
    level = os.environ.get(variable, "").strip().upper()
    if level not in ("INFO", "DEBUG"):
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
        logger.addHandler(handler)


def is_secret(name: str, extra: Iterable[str] = ()) -> bool:
    lower = name.lower()
    if lower in _NOT_SECRET:
        return False
    return any(word in lower for word in _SECRET_WORDS) or lower in extra


def safe_url(url: httpx.URL | str, extra: Iterable[str] = ()) -> str:
    """The URL with any user:password and the values of secret-looking query parameters hidden."""
    url = httpx.URL(url) if isinstance(url, str) else url
    if url.userinfo:
        url = url.copy_with(username=None, password=None)
    if not url.query:
        return str(url)
    pieces = url.query.decode("ascii", "replace").split("&")
    for index, piece in enumerate(pieces):
        name = unquote_plus(piece.partition("=")[0])
        if is_secret(name, extra):
            pieces[index] = piece.partition("=")[0] + "=" + REDACTED
    return str(url.copy_with(query=None)) + "?" + "&".join(pieces)


def safe_headers(headers: Mapping[str, str] | httpx.Headers, extra: Iterable[str] = ()) -> str:
    pairs: Iterable[Tuple[str, str]] = (
        headers.multi_items() if isinstance(headers, httpx.Headers) else headers.items()
    )
    return ", ".join(f"{k}: {REDACTED if is_secret(k, extra) else v}" for k, v in pairs)


def where(request: httpx.Request) -> str:
    """Method and URL for messages meant for people: no query string, no user:password."""
    url = request.url.copy_with(query=None, fragment=None, username=None, password=None)
    return f"{request.method} {url}"


def exchange(
    name: str,
    request: httpx.Request,
    response: Optional[httpx.Response],
    error: Optional[BaseException],
    seconds: float,
    attempt: int,
    attempts: int,
    retry_in: Optional[float],
    secrets: Iterable[str] = (),
) -> None:
    """One line per attempt: what was sent, what came back, how long it took, what happens next."""
    if response is not None:
        outcome = f"{response.status_code} {response.reason_phrase}".strip()
    else:
        outcome = type(error).__name__
    then = "" if retry_in is None else f"; retrying in {retry_in:.2f} s"
    logger.info(
        "%s %s -> %s in %.0f ms (%s, attempt %d of %d)%s",
        request.method,
        safe_url(request.url, secrets),
        outcome,
        seconds * 1000,
        name,
        attempt,
        attempts,
        then,
    )
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request headers: %s", safe_headers(request.headers, secrets))
        if response is not None:
            logger.debug("response headers: %s", safe_headers(response.headers, secrets))


def info_enabled() -> bool:
    return logger.isEnabledFor(logging.INFO)
