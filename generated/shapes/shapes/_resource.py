# Part of the runtime that codegen copies into every client it generates.
# Do not edit by hand: changes are lost when the client is regenerated.
"""Base classes of the resource groups (client.pets, client.store, ...)."""

from __future__ import annotations

from ._base_client import AsyncAPIClient, SyncAPIClient


class SyncAPIResource:
    _is_resource = True

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    _is_resource = True

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
