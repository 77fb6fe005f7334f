"""Benchmarks of codegen against its peers (issue 7); run with `make bench`."""
