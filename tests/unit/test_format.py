from generator.render.format import FormatCache, format_files

UGLY = "x = {  'a':1 }\n"
PRETTY = 'x = {"a": 1}\n'


def test_formats_python_files_only_and_skips_static_ones():
    files = {"a.py": UGLY, "b.py": UGLY, "README.md": UGLY}
    out = format_files(files, skip=frozenset({"b.py"}), jobs=1)
    assert out == {"a.py": PRETTY, "b.py": UGLY, "README.md": UGLY}


def test_parallel_formatting_gives_the_same_result():
    files = {f"m{i}.py": f"value_{i} = [  {i},{i} ]\n" for i in range(40)}
    assert format_files(files, jobs=2) == format_files(files, jobs=1)


def test_cache_is_keyed_by_content(tmp_path):
    cache = FormatCache(tmp_path)
    format_files({"a.py": UGLY}, cache=cache, jobs=1)
    assert cache.get(UGLY) == PRETTY
    assert cache.get(UGLY + "# changed\n") is None  # a changed input never hits
    # A hit is served from the cache: prove it by planting a different answer.
    cache.put(UGLY, "planted = 1\n")
    assert format_files({"a.py": UGLY}, cache=cache, jobs=1)["a.py"] == "planted = 1\n"


def test_default_cache_honours_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CODEGEN_CACHE_DIR", str(tmp_path / "c"))
    assert FormatCache.default().directory == tmp_path / "c" / "black"
    monkeypatch.setenv("CODEGEN_CACHE_DIR", "")
    assert FormatCache.default() is None


def test_the_static_runtime_is_black_formatted_as_shipped():
    """Runtime modules are copied into packages without a black run (format.py skips them)."""
    import black

    from generator.render.plan import RUNTIME_DIR

    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert black.format_str(text, mode=mode) == text, f"{path.name} is not black-formatted"
