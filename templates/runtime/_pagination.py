"""Pagination: a list call returns its first page; iterating it walks every page, lazily.

    page = client.pets.list(limit=50)       # one request: the first page
    page.items, page.body, page.response     # what it holds, as decoded and as it arrived
    for pet in page: ...                     # every item of every page, fetched as needed
    for each in page.pages(): ...            # page by page
    if page.has_next_page(): page.next_page()

    async for pet in client.pets.list(): ...    # async: iterate the call itself,
    page = await client.pets.list()             # or await its first page

How an API pages is described once per operation (`Paging`, from the spec). Iterating stops
when the API says there is no more: no next cursor, link or URL, `has_more` false, an empty
page, a page shorter than the page size where the API pages by offset or number, or the
total reached. It also stops, instead of looping forever, when the API hands out a cursor or
URL it handed out before, or answers with the very page it answered before.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Generic,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Set,
    Tuple,
    TypeVar,
)

import httpx

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, Endpoint, SyncAPIClient

T = TypeVar("T")


class Paging:
    """How an operation pages (see the module docstring); paths are wire names into the body.

    style: "cursor", "offset", "page", "link" (the Link header) or "next_url" (a URL in the body).
    """

    __slots__ = (
        "style",
        "param",
        "items",
        "item_attrs",
        "limit",
        "limit_default",
        "limit_max",
        "start",
        "next_cursor",
        "cursor_item",
        "has_more",
        "next_url",
        "total",
        "total_pages",
    )

    def __init__(
        self,
        style: str,
        *,
        param: str = "",
        items: Tuple[str, ...] = (),
        item_attrs: Tuple[str, ...] = (),
        limit: str = "",
        limit_default: Optional[int] = None,
        limit_max: Optional[int] = None,
        start: Optional[int] = None,
        next_cursor: Tuple[str, ...] = (),
        cursor_item: str = "",
        has_more: Tuple[str, ...] = (),
        next_url: Tuple[str, ...] = (),
        total: Tuple[str, ...] = (),
        total_pages: Tuple[str, ...] = (),
    ) -> None:
        self.style = style
        self.param = param  # the query parameter that moves: cursor, offset or page number
        self.items = items
        self.item_attrs = item_attrs or items
        self.limit = limit
        self.limit_default = limit_default
        self.limit_max = limit_max  # a larger page size asked for gets pages of this size
        self.start = start
        self.next_cursor = next_cursor
        self.cursor_item = cursor_item
        self.has_more = has_more
        self.next_url = next_url
        self.total = total
        self.total_pages = total_pages

    def __repr__(self) -> str:
        return f"Paging({self.style!r}, param={self.param!r})"


class PageRequest:
    """What to send for a page: the parameter values (in the Endpoint's order), or a URL."""

    __slots__ = ("values", "url")

    def __init__(self, values: Tuple[Any, ...], url: Optional[str] = None) -> None:
        self.values = values
        self.url = url

    def key(self, endpoint: Endpoint[Any]) -> Any:
        """What identifies the page among those of one walk: its URL or its cursor."""
        if self.url is not None:
            return self.url
        paging = endpoint.paging
        index = _index(endpoint, paging.param) if paging is not None else -1
        cursor = self.values[index] if index >= 0 else None
        try:
            hash(cursor)
        except TypeError:
            return repr(cursor)
        return cursor


def _index(endpoint: Endpoint[Any], name: str) -> int:
    if not name:
        return -1
    for index, param in enumerate(endpoint.params):
        if param.name == name and param.location == "query":
            return index
    return -1


def _raw(data: Any, path: Sequence[str]) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def items_of(paging: Paging, value: Any) -> List[Any]:
    """The items of a decoded body: at `item_attrs` of a model, or `items` of plain JSON."""
    for attr, wire in zip(paging.item_attrs, paging.items):
        if value is None:
            break
        value = value.get(wire) if isinstance(value, dict) else getattr(value, attr, None)
    if value is None:
        return []
    return list(value) if not isinstance(value, list) else value


def _int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def next_request(
    endpoint: Endpoint[Any],
    request: PageRequest,
    response: httpx.Response,
    data: Any,
    items: List[Any],
    seen_items: int,
) -> Optional[PageRequest]:
    """The request for the page after this one, or None when this is the last."""
    paging = endpoint.paging
    assert paging is not None
    if not items:
        return None
    more = _raw(data, paging.has_more) if paging.has_more else None
    if more is False:
        return None
    style = paging.style
    if style in ("link", "page"):
        link = response.links.get("next", {}).get("url")
        if link:
            return _follow(request, str(response.url.join(link)))
        if style == "link":
            return None
    if style == "next_url":
        url = _raw(data, paging.next_url)
        if not isinstance(url, str) or not url:
            return None
        return _follow(request, str(response.url.join(url)))
    index = _index(endpoint, paging.param)
    if index < 0 or request.url is not None:
        return None  # a page fetched by URL cannot be moved on by parameter
    values = list(request.values)
    current = values[index]
    if style == "cursor":
        if paging.next_cursor:
            cursor = _raw(data, paging.next_cursor)
        else:
            last = items[-1]
            cursor = (
                last.get(paging.cursor_item)
                if isinstance(last, dict)
                else getattr(last, paging.cursor_item, None)
            )
        if cursor is None or cursor == "":
            return None
        if cursor == current:
            return None  # the API handed back the cursor that fetched this page
        values[index] = cursor
        return PageRequest(tuple(values))
    total: Optional[int] = None
    pages: Optional[int] = None
    if more is None:
        # Without a has_more flag: the total, else a short page, says this is the last.
        total = _int(_raw(data, paging.total)) if paging.total else None
        pages = _int(_raw(data, paging.total_pages)) if paging.total_pages else None
        limit_index = _index(endpoint, paging.limit)
        limit = (
            _int(values[limit_index])
            if limit_index >= 0 and values[limit_index] is not None
            else paging.limit_default
        )
        if limit is not None and paging.limit_max is not None:
            limit = min(limit, paging.limit_max)
        if total is not None and seen_items >= total:
            return None
        if limit is not None and len(items) < limit:
            return None
    if style == "offset":
        offset = _int(current)
        if offset is None:
            offset = paging.start or 0
        values[index] = offset + len(items)
        if total is not None and offset + len(items) >= total:
            return None
        return PageRequest(tuple(values))
    if style == "page":
        number = _int(current)
        if number is None:
            number = paging.start if paging.start is not None else 1
        if pages is not None and number >= pages:
            return None
        values[index] = number + 1
        return PageRequest(tuple(values))
    return None


def _follow(request: PageRequest, url: str) -> Optional[PageRequest]:
    if url == request.url:
        return None  # the next page is this page
    return PageRequest(request.values, url)


class _BasePage(Generic[T]):
    def __init__(
        self,
        client: Any,
        endpoint: Endpoint[Any],
        request: PageRequest,
        body: Any,
        options: Mapping[str, Any],
        response: httpx.Response,
        data: Any,
        value: Any,
        seen_items: int,
    ) -> None:
        paging = endpoint.paging
        assert paging is not None
        self._client = client
        self._endpoint = endpoint
        self._request = request
        self._body_arg = body
        self._options = options
        self.response = response  # the page's HTTP response, as it arrived
        self.body = value  # the page's body, decoded as the spec declares it
        self.items: List[T] = items_of(paging, value)
        self._seen_items = seen_items + len(self.items)
        self._next = next_request(endpoint, request, response, data, self.items, self._seen_items)

    def has_next_page(self) -> bool:
        return self._next is not None

    def _same_as(self, other: _BasePage[Any]) -> bool:
        """Whether the API answered this page with exactly what it answered the other."""
        return self.response.content == other.response.content

    def __repr__(self) -> str:
        more = "more to come" if self._next is not None else "last page"
        return f"<{type(self).__name__} {self._endpoint.name}: {len(self.items)} items, {more}>"


class SyncPage(_BasePage[T]):
    """One page of a list: `items`, `body`, `response`; iterating it yields every item of this
    page and of all that follow, fetching them as it goes."""

    _client: SyncAPIClient

    def next_page(self) -> SyncPage[T]:
        if self._next is None:
            raise RuntimeError(
                f"{self._endpoint.name}: this is the last page; check has_next_page() first"
            )
        return self._client._page(
            self._endpoint, self._next, self._body_arg, self._options, self._seen_items
        )

    def pages(self) -> Iterator[SyncPage[T]]:
        """This page and every page after it, each fetched when the one before is done."""
        page = self
        seen: Set[Any] = {page._request.key(page._endpoint)}
        yield page
        while page._next is not None:
            key = page._next.key(page._endpoint)
            if key in seen:
                return  # a cursor or URL handed out before: the API would loop
            seen.add(key)
            following = page.next_page()
            if following._same_as(page):
                return  # the API ignores the paging parameter
            page = following
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items


class AsyncPage(_BasePage[T]):
    """One page of a list (async): `async for` yields every item of this page and the next ones."""

    _client: AsyncAPIClient

    async def next_page(self) -> AsyncPage[T]:
        if self._next is None:
            raise RuntimeError(
                f"{self._endpoint.name}: this is the last page; check has_next_page() first"
            )
        return await self._client._page(
            self._endpoint, self._next, self._body_arg, self._options, self._seen_items
        )

    async def pages(self) -> AsyncIterator[AsyncPage[T]]:
        page = self
        seen: Set[Any] = {page._request.key(page._endpoint)}
        yield page
        while page._next is not None:
            key = page._next.key(page._endpoint)
            if key in seen:
                return
            seen.add(key)
            following = await page.next_page()
            if following._same_as(page):
                return
            page = following
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item


class AsyncPager(Generic[T]):
    """What an async list call returns: `await` it for the first page, or `async for` over it
    for every item of every page."""

    __slots__ = ("_fetch",)

    def __init__(self, fetch: Callable[[], Awaitable[Any]]) -> None:
        self._fetch = fetch

    def __await__(self) -> Generator[Any, None, AsyncPage[T]]:
        page: AsyncPage[T] = yield from self._fetch().__await__()
        return page

    async def __aiter__(self) -> AsyncIterator[T]:
        page: AsyncPage[T] = await self._fetch()
        async for item in page:
            yield item
