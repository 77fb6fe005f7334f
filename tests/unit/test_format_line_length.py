"""The formatter's line length is an option, and part of what the format cache is keyed by."""

from generator.render.format import FormatCache, format_files

LONG = "value = function_with_a_long_name(first_argument, second_argument, third_argument)\n"
WRAPPED = "value = function_with_a_long_name(\n    first_argument, second_argument, third_argument\n)\n"


def test_line_length_decides_where_lines_break():
    assert format_files({"a.py": LONG}, jobs=1)["a.py"] == LONG  # 84 characters fit the default 100
    assert format_files({"a.py": LONG}, jobs=1, line_length=60)["a.py"] == WRAPPED


def test_parallel_workers_use_the_line_length_too():
    files = {f"m{i}.py": LONG.replace("value", f"value_{i}") for i in range(40)}
    wrapped = format_files(files, jobs=2, line_length=60)
    assert wrapped == format_files(files, jobs=1, line_length=60)
    assert all(text.count("\n") == 3 for text in wrapped.values())


def test_cache_entries_of_one_line_length_are_never_served_for_another(tmp_path):
    cache = FormatCache(tmp_path)
    assert format_files({"a.py": LONG}, cache=cache, jobs=1, line_length=60)["a.py"] == WRAPPED
    assert cache.get(LONG, 60) == WRAPPED
    assert cache.get(LONG) is None  # the default length has no entry yet
    assert format_files({"a.py": LONG}, cache=cache, jobs=1)["a.py"] == LONG
    assert cache.get(LONG, 100) == LONG and cache.get(LONG, 60) == WRAPPED
