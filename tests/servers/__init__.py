"""Live HTTP servers that the client tests run against (loopback, free port, in a thread)."""

from .base import Abort, Fault, Headers, LiveServer, Reply, Request
from .petstore import PetstoreServer, petstore_server
from .workbench import WorkbenchServer

__all__ = [
    "Abort",
    "Fault",
    "Headers",
    "LiveServer",
    "PetstoreServer",
    "Reply",
    "Request",
    "WorkbenchServer",
    "petstore_server",
]
