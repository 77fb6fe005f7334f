"""The exceptions a client raises: one hierarchy for every failure."""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "APIError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "APITimeoutError",
    "ResponseValidationError",
    "MissingCredentialsError",
]


class APIError(Exception):
    """Base of every error the client raises."""

    def __init__(
        self, message: str, *, request: httpx.Request | None = None, body: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIStatusError(APIError):
    """The API answered with a non-success status code.

    `body` is the response body decoded into the operation's declared error model for this
    status when it matches, else the parsed JSON, else the text.
    """

    def __init__(
        self, message: str, *, response: httpx.Response, body: Any, attempts: int = 1
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.attempts = attempts


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


class APIConnectionError(APIError):
    """The request did not get a response: refused, dropped or unreachable."""

    def __init__(
        self, message: str = "Connection error.", *, request: httpx.Request, attempts: int = 1
    ) -> None:
        super().__init__(message, request=request)
        self.attempts = attempts


class APITimeoutError(APIConnectionError):
    def __init__(
        self, message: str = "Request timed out.", *, request: httpx.Request, attempts: int = 1
    ) -> None:
        super().__init__(message, request=request, attempts=attempts)


class ResponseValidationError(APIError):
    """A successful response whose body does not match the schema the spec declares."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: Any, path: str, attempts: int = 1
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.path = path  # JSON path of the first value that does not match, e.g. "$.items[3].id"
        self.attempts = attempts


class MissingCredentialsError(APIError):
    """An operation needs credentials the client was not given: raised before anything is sent.

    The message names the client arguments and environment variables that would configure them."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)
