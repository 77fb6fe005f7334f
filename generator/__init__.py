"""codegen: typed Python client packages from OpenAPI documents."""

from . import codecache

codecache.install()  # before any of our dataclasses is made: see codecache

__version__ = "0.1.0"
