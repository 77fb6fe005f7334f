"""The benchmark table's arithmetic and verdicts (bench/table.py: standard library only)."""

from bench.table import Row, format_value, render


def row(ours, ref, target, **extra):
    return Row("b", "s", ours, ref, "peer", target, **extra)


def test_ratio_is_ours_over_reference():
    assert row(3.0, 12.0, 0.25).ratio == 0.25


def test_verdict_passes_at_or_under_the_target_and_fails_over_it():
    assert row(3.0, 12.0, 0.25).verdict == "PASS"
    assert row(3.1, 12.0, 0.25).verdict == "FAIL"


def test_a_failed_codegen_run_fails_whatever_the_ratio():
    assert row(1.0, 100.0, 0.5, ours_failed=True).verdict == "FAIL"
    assert row(None, 100.0, 0.5).verdict == "FAIL"


def test_a_failed_reference_still_gives_a_ratio():
    failed = row(3.0, 39.0, 1 / 3, ref_failed=True)
    assert failed.verdict == "PASS"
    assert format_value(39.0, "s", failed=True) == "39.0 s (failed)"


def test_rows_without_target_or_reference():
    assert row(1.0, 2.0, None).verdict == "info"
    assert row(1.0, None, 1.0).verdict == "n/a"
    assert row(1.0, None, 1.0).ratio is None


def test_values_keep_about_three_significant_digits():
    assert format_value(1.2345, "ms") == "1.23 ms"
    assert format_value(12.345, "s") == "12.3 s"
    assert format_value(275.4, "MB") == "275 MB"
    assert format_value(None, "s") == "-"


def test_render_lists_every_row_and_its_notes():
    text = render([row(3.0, 12.0, 0.25, notes=["peer failed"]), row(1.0, 2.0, None)])
    lines = text.splitlines()
    assert lines[0].split() == ["benchmark", "codegen", "reference", "ref", "value", "ratio", "target", "result"]
    assert "0.25x" in lines[2] and "<= 0.25x" in lines[2] and lines[2].endswith("PASS")
    assert lines[3].endswith("info")
    assert "b: peer failed" in text


def test_render_markdown():
    lines = render([row(3.0, 12.0, 0.25)], markdown=True).splitlines()
    assert lines[0].startswith("| benchmark |") and lines[1].startswith("| --- |")
    assert lines[2] == "| b | 3.00 s | peer | 12.0 s | 0.25x | <= 0.25x | PASS |"


def test_json_has_ratio_and_verdict():
    data = row(3.0, 12.0, 0.25).to_json()
    assert data["ratio"] == 0.25 and data["verdict"] == "PASS" and data["ours"] == 3.0


def test_run_tree_measures_the_memory_of_grandchildren_too():
    import sys

    from bench.measure import run_tree

    grandchild = "import time; b = bytearray(80 * 2**20); time.sleep(0.4)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}], check=True)"
    run = run_tree([sys.executable, "-c", child])
    assert run.ok and run.seconds >= 0.4
    assert run.peak_pss_mb >= 80 and run.max_rss_mb >= 80


def test_run_tree_without_the_sampler_times_alone():
    import sys

    from bench.measure import run_tree

    run = run_tree([sys.executable, "-c", "import time; b = bytearray(40 * 2**20); time.sleep(0.2); print('out')"], sample=False)
    assert run.ok and run.seconds >= 0.2 and run.output_tail == "out"
    assert run.peak_pss_mb == 0 and run.max_rss_mb >= 40  # the kernel's own account still comes
