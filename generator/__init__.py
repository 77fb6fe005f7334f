"""codegen: typed Python client packages from OpenAPI documents."""

__version__ = "0.1.0"
