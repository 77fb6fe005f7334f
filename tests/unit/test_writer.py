import hashlib
import json
import os
from pathlib import Path

import pytest

from generator.render.writer import MANIFEST_NAME, WriteError, read_manifest, write_tree


def test_writes_files_and_a_manifest(tmp_path):
    result = write_tree(tmp_path, {"pkg/__init__.py": "x = 1\n", "README.md": "hi\n"})
    assert result.written == ("README.md", "pkg/__init__.py")
    assert (tmp_path / "pkg/__init__.py").read_text() == "x = 1\n"
    assert set(read_manifest(tmp_path)) == {"README.md", "pkg/__init__.py"}


def test_regeneration_keeps_user_files_and_removes_only_owned_ones(tmp_path):
    write_tree(tmp_path, {"pkg/a.py": "a\n", "pkg/old/b.py": "b\n"})
    (tmp_path / "pkg/mine.py").write_text("user code\n")
    (tmp_path / "notes.txt").write_text("keep me\n")
    result = write_tree(tmp_path, {"pkg/a.py": "a\n", "pkg/c.py": "c\n"})
    assert result.unchanged == ("pkg/a.py",)
    assert result.written == ("pkg/c.py",)
    assert result.removed == ("pkg/old/b.py",)
    assert not (tmp_path / "pkg/old").exists()  # emptied directories go too
    assert (tmp_path / "pkg/mine.py").read_text() == "user code\n"
    assert (tmp_path / "notes.txt").read_text() == "keep me\n"


def test_unchanged_files_are_not_rewritten(tmp_path):
    write_tree(tmp_path, {"a.py": "a\n"})
    before = (tmp_path / "a.py").stat().st_mtime_ns
    write_tree(tmp_path, {"a.py": "a\n"})
    assert (tmp_path / "a.py").stat().st_mtime_ns == before


@pytest.mark.parametrize("edit", ["a\nmore\n", "", "b\n"])
def test_an_owned_file_edited_since_is_written_again(tmp_path, edit):
    write_tree(tmp_path, {"a.py": "a\n"})
    (tmp_path / "a.py").write_text(edit)  # longer, emptied, or changed in place
    assert write_tree(tmp_path, {"a.py": "a\n"}).written == ("a.py",)
    assert (tmp_path / "a.py").read_text() == "a\n"


def test_an_owned_file_replaced_by_a_directory_is_an_error_not_a_crash(tmp_path):
    write_tree(tmp_path, {"a.py": "a\n"})
    (tmp_path / "a.py").unlink()
    (tmp_path / "a.py").mkdir()
    with pytest.raises(WriteError, match="cannot write .*a.py: Is a directory"):
        write_tree(tmp_path, {"a.py": "a\n"})


def test_refuses_to_overwrite_a_file_it_does_not_own(tmp_path):
    (tmp_path / "a.py").write_text("mine\n")
    with pytest.raises(WriteError, match="a.py"):
        write_tree(tmp_path, {"a.py": "generated\n"})
    assert (tmp_path / "a.py").read_text() == "mine\n"
    assert not (tmp_path / MANIFEST_NAME).exists()
    write_tree(tmp_path, {"a.py": "generated\n"}, force=True)
    assert (tmp_path / "a.py").read_text() == "generated\n"


def test_damaged_manifest_is_an_error_not_a_crash(tmp_path):
    (tmp_path / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(WriteError, match="damaged"):
        write_tree(tmp_path, {"a.py": "a\n"})


def test_no_temporary_files_are_left_behind(tmp_path):
    write_tree(tmp_path, {"pkg/a.py": "a\n"})
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert json.loads((tmp_path / MANIFEST_NAME).read_text())["generator"] == "codegen"


def test_a_new_directory_appears_whole(tmp_path):
    outdir = tmp_path / "out" / "client"
    result = write_tree(outdir, {"pkg/a.py": "a\n", "pkg/sub/b.py": "b\n", "README.md": "r\n"})
    assert result.written == ("README.md", "pkg/a.py", "pkg/sub/b.py")
    assert (outdir / "pkg/sub/b.py").read_text() == "b\n"
    assert set(read_manifest(outdir)) == {"README.md", "pkg/a.py", "pkg/sub/b.py"}
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["client"]  # no staging left
    mask = os.umask(0)
    os.umask(mask)
    assert (outdir.stat().st_mode & 0o777) == 0o777 & ~mask
    assert ((outdir / "pkg/a.py").stat().st_mode & 0o777) == 0o666 & ~mask


def test_an_empty_existing_directory_is_filled(tmp_path):
    result = write_tree(tmp_path, {"a.py": "a\n"})
    assert result.written == ("a.py",)
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_NAME, "a.py"]


def test_a_directory_filled_meanwhile_is_written_file_by_file(tmp_path, monkeypatch):
    import generator.render.writer as writer

    outdir = tmp_path / "out"
    real_replace = os.replace

    def someone_else_was_first(src, dst):
        if Path(dst) == outdir:  # the staged tree's rename: the directory got a file meanwhile
            outdir.mkdir()
            (outdir / "theirs.txt").write_text("x\n")
        return real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", someone_else_was_first)
    result = write_tree(outdir, {"a.py": "a\n"})
    assert result.written == ("a.py",)
    assert (outdir / "theirs.txt").read_text() == "x\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_new_tree_leaves_nothing(tmp_path, monkeypatch):
    import generator.render.writer as writer

    def full_disk(target, data, made):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "_create", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_tree(tmp_path / "out", {"a.py": "a\n"})
    assert list(tmp_path.iterdir()) == []


def _recorded(tmp_path, name="records"):
    from generator.stat_record import StatRecord

    return StatRecord.in_directory(tmp_path / name, tmp_path / "out")


def _aged(path, seconds=10):
    """Make the file look written `seconds` ago (older than its record: not racy)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def test_a_recorded_file_whose_stat_is_unchanged_is_not_read(tmp_path, monkeypatch):
    from generator.render import writer

    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    for name in ("a.py", "b.py"):
        _aged(out / name)
    write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))  # records the aged stats
    reads = []
    monkeypatch.setattr(writer, "_holds", lambda path, data: reads.append(path) or False)
    result = write_tree(out, {"a.py": "a\n", "b.py": "b2\n"}, record=_recorded(tmp_path))
    assert result.unchanged == ("a.py",) and result.written == ("b.py",)
    # the changed text and the manifest it changes, not the unchanged file
    assert reads == [os.path.join(out, "b.py"), os.path.join(out, MANIFEST_NAME)]


@pytest.mark.parametrize("edit", ["a\nmore\n", "b\n", "x\n"])
def test_a_file_edited_since_the_record_is_written_again(tmp_path, edit):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    _aged(out / "a.py")
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    (out / "a.py").write_text(edit)  # the same size, or not; a newer time
    assert write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path)).written == ("a.py",)
    assert (out / "a.py").read_text() == "a\n"


def test_an_edit_within_the_clock_tick_of_the_record_is_still_found(tmp_path, monkeypatch):
    """A file whose time is not older than its record is read. Simulated: the record is
    written in the tick the file was, and so is an edit after it, which leaves every time
    as it was (the change time is left out, the modification time put back)."""
    from generator import stat_record

    stat = stat_record._stat
    monkeypatch.setattr(stat_record, "_stat", lambda path: (stat(path) or b"")[:16])  # size and mtime
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    written = (out / "a.py").stat()
    for record in (tmp_path / "records").iterdir():
        os.utime(record, ns=(written.st_atime_ns, written.st_mtime_ns))
    with open(out / "a.py", "r+") as handle:
        handle.write("b")
    os.utime(out / "a.py", ns=(written.st_atime_ns, written.st_mtime_ns))
    assert write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path)).written == ("a.py",)


def test_a_damaged_record_costs_only_reading(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    for record in (tmp_path / "records").iterdir():
        record.write_bytes(b"\x00garbage")
    result = write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    assert result.unchanged == ("a.py",) and result.written == ("b.py",)


def test_files_held_in_place_are_owned_unread_and_recorded(tmp_path, monkeypatch):
    from generator.render import writer

    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    digest = writer.digest("a\n")
    reads = []
    monkeypatch.setattr(writer, "_holds", lambda path, data: reads.append(path) or False)
    result = write_tree(out, {"b.py": "b2\n"}, record=_recorded(tmp_path), held={"a.py": digest}, held_text={"a.py": "a\n"}.get)
    assert result.unchanged == ("a.py",) and result.written == ("b.py",) and result.removed == ()
    assert read_manifest(out)["a.py"] == digest and reads == [os.path.join(out, "b.py"), os.path.join(out, MANIFEST_NAME)]


def test_files_held_in_a_directory_gone_meanwhile_are_written_from_their_text(tmp_path):
    out = tmp_path / "out"
    result = write_tree(out, {"b.py": "b\n"}, held={"a.py": "whatever"}, held_text={"a.py": "a\n"}.get)
    assert result.written == ("a.py", "b.py") and (out / "a.py").read_text() == "a\n"


@pytest.mark.parametrize("files", [{}, {"b.py": "x", "a/é.py": "y", 'odd "name"\\.md': "z"}])
def test_the_manifest_is_json_with_sorted_keys_and_two_space_indents(files):
    from generator.render.writer import manifest_text

    digests = {path: hashlib.sha256(text.encode()).hexdigest() for path, text in files.items()}
    expected = json.dumps({"generator": "codegen", "files": digests}, indent=2, sort_keys=True) + "\n"
    assert manifest_text(files) == expected


def test_files_found_in_place_by_a_child_are_held_without_a_stat_here(tmp_path, monkeypatch):
    from generator import stat_record

    out = tmp_path / "out"
    files = {"a.py": "a\n", "b.py": "b\n", "c.py": "c\n"}
    write_tree(out, files, record=_recorded(tmp_path))
    for name in files:
        _aged(out / name)
    write_tree(out, files, record=_recorded(tmp_path))
    (out / "b.py").write_text("edited\n")
    checked = stat_record.in_place_of(tmp_path / "records", out)
    assert checked[2] == {"b.py"}
    record = _recorded(tmp_path)
    record.take(checked)
    stats: list[str] = []
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *args, **kwargs: stats.append(str(path)) or real(path, *args, **kwargs))
    asked = [(rel, hashlib.sha256(text.encode()).hexdigest()) for rel, text in files.items()]
    assert record.holds(asked, os.path.join(out, "")) == {"a.py", "c.py"}
    assert stats == [os.path.join(out, "b.py")]  # the one the child did not find in place


def test_what_a_child_found_in_another_record_is_not_taken(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    _aged(out / "a.py")
    from generator import stat_record

    checked = stat_record.in_place_of(tmp_path / "records", out)
    write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))  # a record written since
    record = _recorded(tmp_path)
    record.take(checked)
    assert not record._checked


def _record_file(tmp_path):
    (record,) = (tmp_path / "records").iterdir()
    return record


def test_a_regeneration_adds_what_changed_to_the_record_and_reads_back_the_same(tmp_path):
    out = tmp_path / "out"
    files = {f"m{n}.py": f"{n}\n" for n in range(20)}
    write_tree(out, files, record=_recorded(tmp_path))
    kept = _record_file(tmp_path)
    inode, size = kept.stat().st_ino, kept.stat().st_size
    changed = {**files, "m3.py": "three\n", "new.py": "new\n"}
    del changed["m7.py"]
    write_tree(out, changed, record=_recorded(tmp_path))
    assert kept.stat().st_ino == inode and size < kept.stat().st_size < size + 600  # an update, added
    again = _recorded(tmp_path)
    assert sorted(again._seen) == sorted([*changed, MANIFEST_NAME])  # the manifest with the files it lists
    assert all(again._seen[rel][0] == hashlib.sha256(text.encode()).hexdigest() for rel, text in changed.items())
    assert all(again._seen[rel][1] == stat_fields(out / rel) for rel in changed)


def stat_fields(path):
    from generator import stat_record

    return stat_record._stat(str(path))


def test_a_save_with_nothing_changed_still_makes_the_record_newer(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    kept = _record_file(tmp_path)
    os.utime(kept, ns=(0, 10**9))
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    assert _recorded(tmp_path)._older_than > 10**9 and len(_recorded(tmp_path)._seen) == 2


def test_a_record_grown_past_twice_its_files_is_written_anew(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    inodes = set()
    for n in range(6):
        write_tree(out, {"a.py": f"a{n}\n", "b.py": "b\n"}, record=_recorded(tmp_path))
        inodes.add(_record_file(tmp_path).stat().st_ino)
        assert _recorded(tmp_path)._entries <= 6  # twice the files: a.py, b.py and the manifest
    assert len(inodes) > 1  # replaced now and then, added to otherwise
    assert _recorded(tmp_path)._seen["a.py"][0] == hashlib.sha256(b"a5\n").hexdigest()


def test_a_record_whose_update_was_cut_short_costs_only_reading(tmp_path):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    size = _record_file(tmp_path).stat().st_size
    write_tree(out, {"a.py": "a2\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    kept = _record_file(tmp_path)
    kept.write_bytes(kept.read_bytes()[: size + 5])  # stopped while adding its update
    assert _recorded(tmp_path)._seen == {}
    result = write_tree(out, {"a.py": "a2\n", "b.py": "b\n"}, record=_recorded(tmp_path))
    assert result.unchanged == ("a.py", "b.py") and len(_recorded(tmp_path)._seen) == 3


@pytest.mark.parametrize("change", ["edited", "gone", "recent"])
def test_a_child_finds_each_file_not_in_place(tmp_path, change):
    from generator import stat_record

    out = tmp_path / "out"
    files = {"a.py": "a\n", "b.py": "b\n", "c.py": "c\n"}
    write_tree(out, files, record=_recorded(tmp_path))
    for name in [*files, MANIFEST_NAME]:
        _aged(out / name, 10 if name == "b.py" else 20)
    write_tree(out, files, record=_recorded(tmp_path))  # the aged stats, recorded
    if change == "edited":
        (out / "b.py").write_text("edited\n")
    elif change == "gone":
        (out / "b.py").unlink()
    else:  # its recorded stat, but a time not older than the record's: read, not trusted
        record = _record_file(tmp_path)
        stat = (out / "b.py").stat()
        os.utime(record, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert stat_record.in_place_of(tmp_path / "records", out)[2] == {"b.py"}


def _count_manifest_reads(monkeypatch) -> list[str]:
    from generator.render import writer

    reads: list[str] = []
    real = writer.read_manifest
    monkeypatch.setattr(writer, "read_manifest", lambda outdir: reads.append(str(outdir)) or real(outdir))
    return reads


def test_the_owned_files_come_from_the_record_while_the_manifest_is_as_recorded(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n", "b.py": "b\n", "gone.py": "g\n"}, record=_recorded(tmp_path))
    for name in ["a.py", "b.py", "gone.py", MANIFEST_NAME]:
        _aged(out / name)
    write_tree(out, {"a.py": "a\n", "b.py": "b\n", "gone.py": "g\n"}, record=_recorded(tmp_path))  # the aged stats
    reads = _count_manifest_reads(monkeypatch)
    result = write_tree(out, {"a.py": "a\n", "b.py": "b2\n"}, record=_recorded(tmp_path))
    assert reads == [] and result.removed == ("gone.py",) and not (out / "gone.py").exists()
    assert set(read_manifest(out)) == {"a.py", "b.py"}
    (out / "mine.py").write_text("the user's\n")  # not owned: still refused
    with pytest.raises(WriteError, match="mine.py"):
        write_tree(out, {"a.py": "a\n", "mine.py": "generated\n"}, record=_recorded(tmp_path))


def test_an_edited_manifest_is_read(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    (out / "extra.py").write_text("x\n")
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    manifest["files"]["extra.py"] = "0" * 64  # the manifest says codegen wrote it
    (out / MANIFEST_NAME).write_text(json.dumps(manifest))
    reads = _count_manifest_reads(monkeypatch)
    result = write_tree(out, {"a.py": "a\n"}, record=_recorded(tmp_path))
    assert reads == [str(out)] and result.removed == ("extra.py",)


def test_a_listing_is_recorded_only_with_every_file_it_lists(tmp_path):
    from generator.render.writer import _record_listing

    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.py", MANIFEST_NAME):
        (out / name).write_text(name)
        _aged(out / name)  # older than the record: its stat is trusted
    prefix = os.path.join(out, "")
    for noted, listed in ((["a.py"], {"a.py", "b.py"}), (["a.py"], {"a.py"})):
        record = _recorded(tmp_path)
        for rel in noted:
            record.note(rel, prefix + rel, "digest")
        _record_listing(record, dict.fromkeys(listed, "digest"), prefix, "listed", written=False)
        kept = _recorded(tmp_path)
        assert (MANIFEST_NAME in kept._seen) is (set(noted) == listed)
        assert kept.listed_by(MANIFEST_NAME, prefix) == ({"a.py"} if set(noted) == listed else None)
