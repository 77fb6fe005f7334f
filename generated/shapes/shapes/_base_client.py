# Part of the runtime that codegen copies into every client it generates.
# Do not edit by hand: changes are lost when the client is regenerated.
"""The transport: turning an operation call into an HTTP exchange, and its answer into a value.

Generated code describes each operation once, as an Endpoint, and calls
`client._request(endpoint, parameter_values, body, options)`. Everything that is the same
for every operation (URLs, serialization, retries, errors, decoding) lives here.
"""

from __future__ import annotations

import asyncio
import copy
import email.utils
import json
import random
import time
from typing import Any, Callable, Dict, Generic, List, Mapping, NamedTuple, Optional, Sequence, Tuple, TypeVar, cast

import httpx

from . import _encode
from ._decode import DecodeError
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ResponseValidationError,
    status_error_class,
)
from ._types import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, UNSET, RequestOptions, TimeoutTypes, Unset

Self = TypeVar("Self", bound="BaseClient")
T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0


class Param(NamedTuple):
    name: str
    location: str  # "path", "query", "header" or "cookie"
    style: str = ""
    explode: bool = True


class Endpoint(Generic[T]):
    """A static description of one operation: everything the transport needs to call it.

    T is what a successful call returns.
    """

    __slots__ = ("method", "path", "params", "body_type", "nullable_fields", "response", "decode", "errors", "idempotent")

    def __init__(
        self,
        method: str,
        path: str,
        params: Sequence[Param] = (),
        *,
        body_type: Optional[str] = None,
        nullable_fields: frozenset[str] = frozenset(),
        response: str = "json",
        decode: Optional[Callable[[Any], T]] = None,
        errors: Optional[Mapping[str, Callable[[Any], Any]]] = None,
        idempotent: bool = False,
    ) -> None:
        self.method = method
        self.path = path
        self.params = tuple(params)
        self.body_type = body_type
        self.nullable_fields = nullable_fields
        self.response = response  # "json", "text", "binary" or "none"
        self.decode = decode
        self.errors = errors or {}
        self.idempotent = idempotent


class BaseClient:
    """What the sync and async clients share: configuration, requests and responses."""

    _package = "client"
    _version = "0"

    def __init__(
        self,
        *,
        base_url: str,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.default_headers: Dict[str, str] = {
            "Accept": "application/json",
            "User-Agent": f"{self._package}/{self._version} httpx/{httpx.__version__}",
            **(default_headers or {}),
        }

    def with_options(
        self: Self,
        *,
        base_url: Optional[str] = None,
        timeout: TimeoutTypes | Unset = UNSET,
        max_retries: Optional[int] = None,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> Self:
        """A copy with other settings, sharing this client's connection pool."""
        clone = copy.copy(self)
        # Resource groups are cached per client; the copy must build its own.
        clone.__dict__ = {k: v for k, v in self.__dict__.items() if not getattr(v, "_is_resource", False)}
        if base_url is not None:
            clone.base_url = base_url.rstrip("/")
        if not isinstance(timeout, Unset):
            clone.timeout = timeout
        if max_retries is not None:
            clone.max_retries = max_retries
        if default_headers:
            clone.default_headers = {**self.default_headers, **default_headers}
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- building the request -----------------------------------------------------------

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        endpoint: Endpoint[Any],
        values: Sequence[Any],
        body: Any,
        options: RequestOptions,
    ) -> httpx.Request:
        path = endpoint.path
        query: List[Tuple[str, str | int | float | bool | None]] = []
        headers = dict(self.default_headers)
        cookies: list[str] = []
        for param, value in zip(endpoint.params, values):
            if value is None or isinstance(value, Unset):
                continue
            if param.location == "path":
                path = path.replace("{" + param.name + "}", _encode.path_segment(value))
            elif param.location == "query":
                query.extend(_encode.query_pairs(param.name, value, param.style, param.explode))
            elif param.location == "header":
                headers[param.name] = _encode.header_value(param.name, value)
            else:
                cookies.append(f"{param.name}={_encode.path_segment(value)}")
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        for name, value in options.get("extra_query", {}).items():
            query.extend(_encode.query_pairs(name, value, "form", True))
        for name, value in options.get("extra_headers", {}).items():
            headers[name] = _encode.header_value(name, value)
        content, content_type = self._body_arguments(endpoint, body, options.get("extra_body"))
        if content_type:
            headers["Content-Type"] = content_type
        timeout = options.get("timeout", self.timeout)
        extra: Dict[str, Any] = {} if isinstance(timeout, Unset) else {"timeout": timeout}
        return http.build_request(
            endpoint.method, self.base_url + path, params=query or None, headers=headers, **content, **extra
        )

    def _body_arguments(
        self, endpoint: Endpoint[Any], body: Any, extra_body: Optional[Mapping[str, Any]]
    ) -> Tuple[Dict[str, Any], Optional[str]]:
        """httpx arguments for the body by the operation's content type, and the Content-Type to send."""
        if endpoint.body_type is None or (body is None and not extra_body):
            return {}, None
        if isinstance(body, list) and all(isinstance(pair, tuple) for pair in body):
            body = _encode.omit_unset(body, endpoint.nullable_fields)
        if isinstance(body, dict) and extra_body:
            body = {**body, **extra_body}
        media = endpoint.body_type.split(";")[0].strip().lower()
        if media == "application/json" or media.endswith("+json"):
            text = json.dumps(_encode.to_json(body), separators=(",", ":"), ensure_ascii=False)
            return {"content": text.encode()}, endpoint.body_type
        if media == "application/x-www-form-urlencoded":
            return {"data": {k: _encode.scalar_text(_encode.to_json(v)) for k, v in (body or {}).items()}}, None
        if media == "multipart/form-data":
            return _multipart(body or {}), None
        if isinstance(body, str):
            return {"content": body.encode()}, endpoint.body_type
        return {"content": body}, endpoint.body_type

    # -- reading the response -----------------------------------------------------------

    def _parse_response(self, endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> Any:
        if not response.is_success:
            raise self._status_error(endpoint, response, attempts)
        if endpoint.response == "none" or response.status_code == 204 or not response.content:
            return None
        if endpoint.response == "binary":
            return response.content
        if endpoint.response == "text":
            return response.text
        try:
            data = response.json()
        except ValueError as exc:
            raise ResponseValidationError(
                f"{_describe(response)} returned a body that is not JSON: {exc}",
                response=response,
                body=response.text,
                path="$",
            ) from None
        if endpoint.decode is None:
            return data
        try:
            return endpoint.decode(data)
        except DecodeError as exc:
            raise ResponseValidationError(
                f"{_describe(response)} returned a body that does not match the API's schema: {exc}",
                response=response,
                body=data,
                path=exc.json_path(),
            ) from None

    def _status_error(self, endpoint: Endpoint[Any], response: httpx.Response, attempts: int) -> APIStatusError:
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        decode = _error_decoder(endpoint, response.status_code)
        if decode is not None and not isinstance(body, str):
            try:
                body = decode(body)
            except DecodeError:
                pass  # keep the parsed JSON: an error body that is off-schema still informs
        message = f"{_describe(response)} failed with status {response.status_code}"
        detail = _api_message(body)
        if detail:
            message += f": {detail}"
        return status_error_class(response.status_code)(message, response=response, body=body, attempts=attempts)

    # -- retries --------------------------------------------------------------------------

    def _retries_for(self, endpoint: Endpoint[Any], options: RequestOptions) -> int:
        # A call that is not idempotent must never reach the server twice.
        return int(options.get("max_retries", self.max_retries)) if endpoint.idempotent else 0

    def _retry_delay(self, attempt: int, retries: int, response: Optional[httpx.Response]) -> Optional[float]:
        """Seconds to wait before another attempt after `attempt` failed, or None to stop.

        `response` is None when the attempt got no response (connection error, timeout).
        """
        if attempt > retries:
            return None
        if response is not None:
            if response.status_code not in RETRYABLE_STATUS:
                return None
            hinted = _retry_after(response.headers)
            if hinted is not None:
                # A server asking for a long wait is better answered with the error now.
                return hinted if hinted <= MAX_RETRY_AFTER else None
        delay: float = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())


class SyncAPIClient(BaseClient):
    def __init__(self, *, http_client: Optional[httpx.Client] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if http_client is None and isinstance(self.timeout, Unset):
            self.timeout = DEFAULT_TIMEOUT
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=DEFAULT_TIMEOUT)
        self._sleep: Callable[[float], None] = time.sleep

    def _request(self, endpoint: Endpoint[T], values: Sequence[Any], body: Any, options: RequestOptions) -> T:
        request = self._build_request(self._http, endpoint, values, body, options)
        retries = self._retries_for(endpoint, options)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, retries, None)
                if delay is None:
                    raise _connection_error(exc, request, attempt) from exc
                self._sleep(delay)
                continue
            delay = self._retry_delay(attempt, retries, response) if not response.is_success else None
            if delay is None:
                return cast(T, self._parse_response(endpoint, response, attempt))
            response.close()
            self._sleep(delay)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    def __init__(self, *, http_client: Optional[httpx.AsyncClient] = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if http_client is None and isinstance(self.timeout, Unset):
            self.timeout = DEFAULT_TIMEOUT
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT)
        self._sleep: Callable[[float], Any] = asyncio.sleep

    async def _request(self, endpoint: Endpoint[T], values: Sequence[Any], body: Any, options: RequestOptions) -> T:
        request = self._build_request(self._http, endpoint, values, body, options)
        retries = self._retries_for(endpoint, options)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                delay = self._retry_delay(attempt, retries, None)
                if delay is None:
                    raise _connection_error(exc, request, attempt) from exc
                await self._sleep(delay)
                continue
            delay = self._retry_delay(attempt, retries, response) if not response.is_success else None
            if delay is None:
                return cast(T, self._parse_response(endpoint, response, attempt))
            await response.aclose()
            await self._sleep(delay)

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: Self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def _connection_error(exc: httpx.TransportError, request: httpx.Request, attempts: int) -> APIConnectionError:
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request, attempts=attempts)
    return APIConnectionError(f"Connection error: {exc}", request=request, attempts=attempts)


def _multipart(fields: Mapping[str, Any]) -> Dict[str, Any]:
    data: Dict[str, Any] = {}
    files: Dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, (bytes, bytearray)) or hasattr(value, "read") or isinstance(value, tuple):
            files[name] = value
        else:
            data[name] = _encode.scalar_text(_encode.to_json(value))
    return {"data": data, "files": files or None}


def _error_decoder(endpoint: Endpoint[Any], status: int) -> Optional[Callable[[Any], Any]]:
    errors = endpoint.errors
    return errors.get(str(status)) or errors.get(f"{str(status)[0]}XX") or errors.get("default")


def _retry_after(headers: httpx.Headers) -> Optional[float]:
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _describe(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.copy_with(query=None)}"


def _api_message(body: Any) -> str:
    """The API's own error message from an error body, when it has one we can find."""
    if hasattr(body, "to_dict"):
        body = body.to_dict()
    if isinstance(body, dict):
        for key in ("message", "error_description", "detail", "error", "title"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value.splitlines()[0][:300]
            if isinstance(value, dict):
                nested = _api_message(value)
                if nested:
                    return nested
    if isinstance(body, str):
        return body.strip().splitlines()[0][:300] if body.strip() else ""
    return ""
