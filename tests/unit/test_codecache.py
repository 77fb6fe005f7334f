"""The dataclass methods' compiled code and the regular expressions' programs, kept between
runs beside the package's bytecode."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import codecache
from tests.conftest import ROOT

# What a run of the generator imports, then what the cache did in that process.
RUN = """
import json, sys
import generator.cli, generator.pipeline
from generator import codecache
from generator.model import Model, Field, Primitive
pet = Model("Pet", "pet", (Field("name", "name", Primitive("string"), True, False),))
same = Model("Pet", "pet", (Field("name", "name", Primitive("string"), True, False),))
assert pet == same and hash(pet) == hash(same) and repr(pet) == repr(same)
here = [*codecache._new, *codecache._once_here]  # kept, or seen here first (patterns)
compiled_here = len(here)
patterns = sum(type(key) is tuple for key in here)
codecache.save()
print(json.dumps({"compiled": compiled_here, "patterns": patterns, "served": len(codecache._used) - compiled_here, "file": str(codecache._KEPT)}))
"""


# A forked child makes a class the parent never does; the parent keeps nothing itself.
CHILD = """
import dataclasses, json
from generator import codecache
from generator.forked import Forked
def make():
    @dataclasses.dataclass(frozen=True)
    class OnlyInTheChild:
        made_by_the_child: int
    return sum(isinstance(key, str) for key in codecache._new)  # code: kept at once
print(json.dumps({"child_compiled": Forked(make).result()}))
"""


def _run(prefix: Path, script: str = RUN, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment.update(PYTHONPYCACHEPREFIX=str(prefix), **env)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_second_run_compiles_no_dataclass_method_and_a_third_no_pattern(tmp_path):
    first = _run(tmp_path)
    assert first["compiled"] > 300 and first["served"] == 0
    assert first["patterns"] > 20  # jinja2's, tokenize's, the generator's own
    kept = Path(first["file"])
    assert kept.is_file() and kept.is_relative_to(tmp_path)
    second = _run(tmp_path)  # the patterns a second time: kept now
    assert second["compiled"] == second["patterns"] == first["patterns"]
    third = _run(tmp_path)
    assert third == {"compiled": 0, "patterns": 0, "served": first["compiled"], "file": first["file"]}


def test_a_damaged_entry_is_compiled_again_and_the_others_are_served(tmp_path):
    first = _run(tmp_path)
    _run(tmp_path)  # the patterns a second time: kept now
    kept = Path(first["file"])
    entries, once = marshal.loads(kept.read_bytes()[len(codecache._MAGIC) :])
    damaged = next(key for key in entries if isinstance(key, str))
    entries[damaged] = b"not marshal"
    kept.write_bytes(codecache._MAGIC + marshal.dumps((entries, once)))
    second = _run(tmp_path)
    assert second["compiled"] == 1 and second["served"] == first["compiled"] - 1


def test_a_forked_child_keeps_what_it_compiled(tmp_path):
    assert _run(tmp_path, CHILD)["child_compiled"] > 0
    assert _run(tmp_path, CHILD) == {"child_compiled": 0}


def test_without_bytecode_writing_nothing_is_kept(tmp_path):
    first = _run(tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert first["compiled"] > 300 and not Path(first["file"]).exists()


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\x00\x00\x0d\x0agarbage", "other python"])
def test_a_damaged_or_foreign_file_is_compiled_over(tmp_path, damage):
    kept = Path(_run(tmp_path)["file"])
    if damage == "other python":  # a whole file, from another bytecode version
        data = kept.read_bytes()
        kept.write_bytes(b"\x00\x00" + data[2:])
    else:
        kept.write_bytes(damage)
    again = _run(tmp_path)
    assert again["compiled"] > 300 and again["served"] == 0
    _run(tmp_path)  # the patterns a second time: kept now
    assert _run(tmp_path)["compiled"] == 0


def test_served_code_is_the_code_compile_gives():
    source = "def __create_fn__(x):\n    def __init__(self, a=x):\n        self.a = a\n    return __init__\n"
    expected = compile(source, "<string>", "exec")
    assert codecache.compiled(source) == expected
    assert codecache.compiled(source) == expected  # now from what was kept
    assert marshal.loads(marshal.dumps(codecache.compiled(source))) == expected  # and as a file keeps it


def test_dataclasses_made_after_install_compile_through_it():
    import dataclasses

    before = len(codecache._used)

    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int
        y: int = 0

    assert len(codecache._used) > before
    assert Point(1) == Point(1, 0) and hash(Point(1)) == hash(Point(1, 0))
    assert repr(Point(2)).endswith("Point(x=2, y=0)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 2  # type: ignore[misc]



# attrs imported after install_attrs, as strict validation imports it: a frozen class's hash
# holds this process's hash of the class's name, served or compiled.
ATTRS = """
import json
from generator import codecache
codecache.install_attrs()
import attr
@attr.frozen
class Pair:
    left: int
    right: str
type_hash = hash(f"<attrs generated hash {Pair.__module__}.{Pair.__qualname__}>")  # as attrs makes it
assert hash(Pair(1, "a")) == hash((type_hash, 1, "a")) and Pair(1, "a") == Pair(1, "a")
assert repr(Pair(2, "b")) == "Pair(left=2, right='b')"
attrs = lambda keys: sum(isinstance(key, str) and key.startswith("<attrs generated") for key in keys)
print(json.dumps({"compiled": attrs(codecache._new), "served": attrs(codecache._used) - attrs(codecache._new)}))
codecache.save()
"""


def test_attrs_methods_are_kept_and_served_with_this_process_s_hash_of_the_class(tmp_path):
    first = _run(tmp_path, ATTRS)
    assert first["compiled"] > 10 and first["served"] == 0  # attrs' own classes and Pair's
    # Another process: another salt for str hashes (PYTHONHASHSEED is random), the same code.
    assert _run(tmp_path, ATTRS) == {"compiled": 0, "served": first["compiled"]}


def test_attrs_text_of_another_shape_is_compiled_as_it_is_and_not_kept():
    namespace: dict = {}
    script = "def __hash__(self):\n    return hash((7, self.x))"  # `hash((` without the line break
    codecache._attrs_compile_and_eval(script, namespace, None, "<attrs generated __hash__ other>")
    assert namespace["__hash__"].__code__.co_filename == "<attrs generated __hash__ other>"
    assert not any(isinstance(key, str) and script in key for key in codecache._known)


def test_served_attrs_code_is_compile_s_with_its_file_name():
    source = "def __eq__(self, other):\n    return self is other\n"
    expected = compile(source, "<attrs generated __eq__ m.C>", "exec")
    assert codecache.compiled(source, "<attrs generated __eq__ m.C>") == expected
    assert codecache.compiled(source, "<attrs generated __eq__ m.C>").co_filename == "<attrs generated __eq__ m.C>"


PATTERNS = [
    (r"(?P<year>\d{4})-(?P<month>\d\d)(?:-(\d\d))?", 0),
    (r"[a-zà-ÿ_]+\s*(?=\()", re.IGNORECASE),
    (r"(?x) ^ \w+  # a word\n  (?<!_) $", 0),
    (r"(?i)multi.*line", re.MULTILINE | re.DOTALL),
    (rb"[\x80-\xff]+|(?P<ascii>[ -~]{2,})", 0),
    (r"\b(\w+)\s+\1\b", re.ASCII),
    (r"a{2,5}?|b*+|(?>c+)d", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_served_pattern_is_the_one_re_compiles(pattern, flags):
    expected = codecache._re_compile(pattern, flags)
    for _ in range(2):  # compiled, then from what was kept
        served = codecache._compile_pattern(pattern, flags)
        assert served == expected  # the same pattern, flags and program
        assert (served.groups, served.groupindex) == (expected.groups, expected.groupindex)
    key = (pattern, int(flags))
    program = marshal.loads(marshal.dumps(codecache._known[key]))  # as the file keeps it
    assert codecache._well_formed(key, program) and codecache._engine_compile(pattern, program) == expected


def test_patterns_compile_through_it_and_match_as_before():
    before = len(codecache._used)
    found = re.compile(r"(?P<word>[a-z]+)-(?P<n>\d+)\Z", re.IGNORECASE).match("Pets-42")
    assert len(codecache._used) == before + 1
    assert found is not None and found.groupdict() == {"word": "Pets", "n": "42"}


def test_an_invalid_pattern_raises_what_re_raises():
    with pytest.raises(re.error, match="missing \\), unterminated subpattern at position 0"):
        codecache._compile_pattern("(unclosed", 0)
    assert ("(unclosed", 0) not in codecache._known and ("(unclosed", 0) not in codecache._used


def test_a_pattern_of_a_str_subclass_compiles_as_re_compiles_it_and_is_not_kept():
    class Text(str):
        pass

    served = codecache._compile_pattern(Text("sub(class)?"), 0)
    assert served == codecache._re_compile("sub(class)?", 0) and served.match("subclass")
    assert not any(type(key) is tuple and type(key[0]) is Text for key in codecache._known)


def test_every_dataclass_of_the_generator_says_what_it_is():
    """A dataclass without a docstring gets one from inspect.signature when it is made: 65 µs
    of every run's imports a class, and the generator makes dozens."""
    import dataclasses
    import importlib
    import pkgutil

    import generator

    unsaid = []
    for module in pkgutil.walk_packages(generator.__path__, "generator."):
        if module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.name:
                if (value.__doc__ or "").startswith(f"{value.__name__}("):
                    unsaid.append(f"{module.name}.{value.__name__}")
    assert unsaid == []


# A pattern no two processes make alike, as tokenize's (its string prefixes come from a set).
ONCE = """
import json, os, re
from generator import codecache
re.compile("salted-" + os.urandom(8).hex())
re.compile("the-same-in-every-process")
codecache.save()
print(json.dumps({"kept": len(codecache._read(codecache._KEPT)[0]), "once": len(codecache._read(codecache._KEPT)[1])}))
"""


def test_a_pattern_is_kept_once_a_second_process_compiles_it(tmp_path):
    runs = [_run(tmp_path, ONCE) for _ in range(4)]
    kept = [run["kept"] for run in runs]
    assert kept[1] == kept[0] + 1  # the second process kept the pattern the first compiled too
    assert kept[1] == kept[2] == kept[3]  # and never one made anew in each process
    assert runs[3]["once"] <= codecache._MOST_ONCE and runs[3]["once"] >= 4  # only their checksums


def test_the_checksums_of_patterns_compiled_once_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(codecache, "_MOST_ONCE", 3)
    monkeypatch.setattr(codecache, "_KEPT", tmp_path / "kept.bin")
    monkeypatch.setattr(codecache, "_once", {})
    monkeypatch.setattr(codecache, "_once_here", {})
    monkeypatch.setattr(codecache, "_new", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    for index in range(5):
        codecache._compile_pattern(f"bounded-{index}", 0)
    codecache.save()
    assert len(codecache._read(tmp_path / "kept.bin")[1]) == 3
