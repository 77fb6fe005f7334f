"""Base classes of the resource groups (client.pets, client.store, ...), and their views.

`client.pets.with_raw_response` and `client.pets.with_streaming_response` are views of a
group: the same methods with the same arguments, returning the response itself. A view
class lists each method once, as a descriptor around the plain method, so the views cost
nothing until used and type checkers see every method's exact signature.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Concatenate,
    Dict,
    Generic,
    ParamSpec,
    TypeVar,
    cast,
)

from ._base_client import MODE, RAW, STREAM, AsyncAPIClient, SyncAPIClient

if TYPE_CHECKING:  # loaded when a view is first used: most programs never use one
    from ._response import (
        APIResponse,
        AsyncAPIResponse,
        AsyncResponseContextManager,
        ResponseContextManager,
    )

P = ParamSpec("P")
R = TypeVar("R")


class SyncAPIResource:
    _is_resource = True

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    _is_resource = True

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client


class ResourceView:
    """`with_raw_response` or `with_streaming_response` of one resource group."""

    __slots__ = ("_resource",)

    def __init__(self, resource: Any) -> None:
        self._resource = resource


def _with_mode(kwargs: Any, mode: str) -> Dict[str, Any]:
    # The plain method passes its keyword options on to the client untouched; the mode
    # travels with them.
    options = cast(Dict[str, Any], kwargs)
    options[MODE] = mode
    return options


class RawMethod(Generic[P, R]):
    """A method of a view that returns the raw response."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self._method = method

    def __get__(self, view: ResourceView, owner: Any) -> Callable[P, APIResponse[R]]:
        method, resource = self._method, view._resource

        def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
            return cast("APIResponse[R]", method(resource, *args, **_with_mode(kwargs, RAW)))

        return call


class StreamedMethod(Generic[P, R]):
    """A method of a view that returns a context manager around the unread response."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self._method = method

    def __get__(self, view: ResourceView, owner: Any) -> Callable[P, ResponseContextManager[R]]:
        method, resource = self._method, view._resource

        def call(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[R]:
            from ._response import ResponseContextManager

            options = _with_mode(kwargs, STREAM)
            return ResponseContextManager(
                lambda: cast("APIResponse[R]", method(resource, *args, **options))
            )

        return call


class AsyncRawMethod(Generic[P, R]):
    """A method of an async view that returns the raw response."""

    def __init__(self, method: Callable[Concatenate[Any, P], Awaitable[R]]) -> None:
        self._method = method

    def __get__(
        self, view: ResourceView, owner: Any
    ) -> Callable[P, Awaitable[AsyncAPIResponse[R]]]:
        method, resource = self._method, view._resource

        async def call(*args: P.args, **kwargs: P.kwargs) -> AsyncAPIResponse[R]:
            return cast(
                "AsyncAPIResponse[R]", await method(resource, *args, **_with_mode(kwargs, RAW))
            )

        return call


class AsyncStreamedMethod(Generic[P, R]):
    """A method of an async view that returns an async context manager around the unread response."""

    def __init__(self, method: Callable[Concatenate[Any, P], Awaitable[R]]) -> None:
        self._method = method

    def __get__(
        self, view: ResourceView, owner: Any
    ) -> Callable[P, AsyncResponseContextManager[R]]:
        method, resource = self._method, view._resource

        def call(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[R]:
            from ._response import AsyncResponseContextManager

            options = _with_mode(kwargs, STREAM)

            async def send() -> AsyncAPIResponse[R]:
                return cast("AsyncAPIResponse[R]", await method(resource, *args, **options))

            return AsyncResponseContextManager(send)

        return call
