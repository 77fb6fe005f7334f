"""Templates write black's layout themselves; black must leave their files exactly as they are.

Black is too slow to run over every file of a large API (see generator/render/layout.py), so
models, enums and resource groups are laid out by the templates, and only files with a line
too long for them go through black. These tests hold that contract: on every bundled spec,
a sample of real ones and hand-made worst cases, black changes nothing it is not asked to.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.build import build_api
from generator.render import _laid_out
from generator.render.layout import (
    Brackets,
    annotated,
    assigned,
    framed_long_line,
    from_import,
    long_code_line,
    method_head,
    piece_long_line,
    typed,
)
from generator.render.plan import render_package
from generator.spec import load
from generator.spec.normalize import normalize

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
SPECS = [
    *sorted((ROOT / "specs").glob("*.yaml")),
    *sorted((SHARED / "specs" / "edge").glob("*")),
    SHARED / "corpus" / "dev" / "oad__circleci.com.json",
    SHARED / "corpus" / "dev" / "oad__randommer.io.json",
    SHARED / "corpus" / "dev" / "oad2017__visagecloud.com__1.1.json",
]
BIG = [SHARED / "corpus" / "dev" / name for name in ("github__api.github.com.json", "stripe__spec3_yaml.yaml")]


def rendered(spec: Path) -> tuple[str, dict[str, str]]:
    doc = load(spec)
    root, _ = normalize(doc.root, diagnostic=doc.diagnostic)
    api, _ = build_api(root, package=None, client_class=None, locate=doc.diagnostic)
    return api.package, render_package(api, spec.name)


def assert_black_leaves_laid_out_files_alone(spec: Path) -> int:
    package, files = rendered(spec)
    checked = 0
    for path, text in files.items():
        if not _laid_out(package, path) or long_code_line(text):
            continue
        assert black.format_str(text, mode=MODE) == text, f"{path} of {spec.name} is not in black's layout"
        checked += 1
    return checked


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_laid_out_files_are_blacks_layout(spec: Path) -> None:
    assert assert_black_leaves_laid_out_files_alone(spec) > 0


@pytest.mark.slow
@pytest.mark.parametrize("spec", BIG, ids=lambda p: p.name)
def test_laid_out_files_are_blacks_layout_at_scale(spec: Path) -> None:
    assert assert_black_leaves_laid_out_files_alone(spec) > 1000


def test_github_needs_no_black_run() -> None:
    """The point of it all: none of GitHub's 4,100 modules goes through black (nor imports it)."""
    package, files = rendered(BIG[0])
    laid_out = [text for path, text in files.items() if _laid_out(package, path)]
    assert len(laid_out) > 4000
    assert sum(long_code_line(text) for text in laid_out) == 0


def black_stable(source: str) -> bool:
    return black.format_str(source, mode=MODE) == source


LONG_UNION = "OrgRulesetConditionsVariant1 | OrgRulesetConditionsVariant2 | OrgRulesetConditionsVariant3"
LONG_LIST = "List[RepositoryRuleCreation | RepositoryRuleUpdate | RepositoryRuleDeletion | RepositoryRuleRequiredLinearHistory]"
ANNOTATIONS = [
    ("short", "str | None", "None"),
    ("fits_in_parens", "CodeSecurityCreateConfigurationForEnterpriseBodyAdvancedSecurity | str | None", "None"),
    ("union", LONG_UNION + " | None", "None"),
    ("required_union", LONG_UNION, ""),
    ("list_or_none", LONG_LIST + " | None", "None"),
    ("required_list", LONG_LIST, ""),
    ("value_split_off", "List[BankAccountAvailablePayoutMethodsItem | str] | None | Unset", "UNSET"),
    ("map_of_lists", "Dict[str, List[AVeryLongModelNameNumberOneForTesting | AVeryLongModelNameNumberTwoForTesting]]", ""),
    ("additional_properties", "Dict[str, ModelWithAdditionalPropertiesInlinedValue]", "_field(default_factory=dict)"),
]


@pytest.mark.parametrize("name, annotation, default", ANNOTATIONS, ids=[a[0] for a in ANNOTATIONS])
def test_annotations_in_class_bodies(name: str, annotation: str, default: str) -> None:
    assert black_stable("class A:\n" + annotated(name, annotation, default, 4, 100) + "\n")


PARAMETERS = [a for a in ANNOTATIONS if "(" not in a[2]]  # parameter defaults are never calls


@pytest.mark.parametrize("name, annotation, default", PARAMETERS, ids=[a[0] for a in PARAMETERS])
def test_annotations_of_parameters(name: str, annotation: str, default: str) -> None:
    line = annotated(name, annotation, default, 8, 100, parameter=True)
    assert black_stable(f"class A:\n    def f(\n        self,\n{line}\n    ) -> None:\n        pass\n")


@pytest.mark.parametrize(
    "returns", ["SyncPage[" + LONG_UNION + " | LabeledIssueEvent]", "SyncPage[" + "X" * 90 + "]", "Pet"]
)
def test_return_annotations(returns: str) -> None:
    head = "\n".join(typed(returns, 4, ") -> ", ":", 100))
    assert black_stable(f"class A:\n    def f(\n        self,\n{head}\n        pass\n")


@pytest.mark.parametrize(
    "const, annotation",
    [
        ("_GET", "Endpoint[Pet]"),
        ("_GET_CUSTOMER_BALANCE_TRANSACTIONS", "Endpoint[GetCustomersCustomerBalanceTransactionsResponse]"),
        ("_GET_ACTIONS_CACHE_RETENTION_LIMIT_FOR_ENTERPRISE", "Endpoint[ActionsCacheRetentionLimitForEnterprise]"),
        ("_LIST_EVENTS", f"Endpoint[List[{LONG_UNION} | LabeledIssueEvent]]"),
    ],
)
def test_endpoint_assignments(const: str, annotation: str) -> None:
    call = Brackets("Endpoint(", ['"pets.get"', '"GET"', Brackets("[", ['Param("petId", "path")'], "]")], ")", exploded=True)
    assert black_stable(assigned(const, annotation, call, 100) + "\n")


@pytest.mark.parametrize("names", [["Pet"], ["Pet", "Owner"], [f"Model{i}WithAFairlyLongName" for i in range(6)]])
def test_imports(names: list[str]) -> None:
    assert black_stable(from_import("..models", names, 0, 100) + "\n")
    assert black_stable("if X:\n" + from_import("..models", names, 4, 100) + "\n")


def test_brackets_nest_and_explode_with_trailing_commas() -> None:
    inner = Brackets("{", [f'"field_number_{i}"' for i in range(8)], "}")
    call = Brackets("self._client._request(", ["_CONST", Brackets("(", ["a", "b"], ")"), inner, "options"], ")")
    for indent in (0, 4, 8):
        laid_out = call.lay_out(indent, "return ", "", 100)
        body = "\n".join(line[indent:] for line in laid_out.split("\n"))
        assert black_stable(f"def f():\n{call.lay_out(4, 'return ', '', 100)}\n")
        assert body.startswith("return self._client._request(")


def test_long_method_heads() -> None:
    head = method_head("with_streaming_response", "Async" + "X" * 80 + "WithStreamingResponse", 4, 100)
    assert black_stable(f"class A:\n{head}\n        pass\n")


def test_long_lines_black_cannot_split_do_not_count() -> None:
    unsplittable = [  # (line, the bracket it stands in)
        ('    "' + "w" * 60 + '": ' + "w" * 60 + ",", ("x = {", "}")),
        ('    "' + "w" * 60 + '": "' + "w" * 60 + '",', ("x = {", "}")),
        ('    decode="union(' + ", ".join(["Model"] * 30) + ')",', ("x = f(", ")")),
        ("    " + "A" * 60 + " as " + "A" * 60 + ",", ("from m import (", ")")),
    ]
    for line, (opening, closing) in unsplittable:
        assert not long_code_line(line)
        assert black_stable(f"{opening}\n{line}\n{closing}\n")
    assert long_code_line("x = [" + ", ".join(["1"] * 60) + "]")
    assert not long_code_line('"""' + "docstring " * 20 + '"""')
    assert not long_code_line("# " + "comment " * 20)
    assert not long_code_line('x = """\n' + "inside a string " * 20 + '\n"""')
    # a triple quote inside a one-line literal opens no string
    assert long_code_line("x = 'a\"\"\"b'\n" + "y = [" + ", ".join(["1"] * 60) + "]")


LONG_CODE = "x = [" + ", ".join(["1"] * 60) + "]"
LONG_DOC = '    """' + "docstring " * 20 + '"""'
PIECES = {  # a piece's text: its answer alone, and wherever it stands where no string is open
    "short": ("def f():\n    return 1", False),
    "long": (f"def f():\n    {LONG_CODE}", True),
    "long doc": (f"def f():\n{LONG_DOC}\n    return 1", False),
    "open": ('def f():\n    """Opens\n' + LONG_CODE, None),
}


@pytest.mark.parametrize("name", PIECES)
def test_a_piece_answers_as_long_code_line_unless_it_leaves_a_string_open(name: str) -> None:
    text, answer = PIECES[name]
    assert piece_long_line(text) is answer
    if answer is not None:
        assert long_code_line(text) is answer


FRAMES = [  # a frame with its pieces' places (PLACE); "{}" where the frame's own text goes
    "import x\n\nPLACE\n\nclass A:\n    {}\nPLACE\nPLACE\n",
    'class A:\n    """A class."""\n\nPLACE\n{}\nPLACE',
    "{}\nPLACE",
]


@pytest.mark.parametrize("frame", FRAMES)
@pytest.mark.parametrize("own", ["pass", LONG_CODE, LONG_DOC.strip(), "# " + "comment " * 20])
@pytest.mark.parametrize("names", [("short", "long doc", "short"), ("short", "long", "short"), ("long doc",) * 3])
def test_a_frame_and_its_pieces_answer_as_the_text_they_make(frame: str, own: str, names: tuple[str, ...]) -> None:
    frame = frame.format(own)
    pieces = [PIECES[names[index % len(names)]][0] for index in range(frame.count("PLACE"))]
    made = frame
    for text in pieces:
        made = made.replace("PLACE", text, 1)
    answer = framed_long_line(frame, "PLACE", map(piece_long_line, pieces))
    assert answer is long_code_line(made)


def test_a_frame_answers_none_where_a_piece_or_its_place_is_not_known() -> None:
    assert framed_long_line("x = 1\nPLACE", "PLACE", [None]) is None
    assert framed_long_line('x = """\nPLACE\n"""', "PLACE", [False]) is None  # inside a string
    assert framed_long_line(f"{LONG_CODE}\nPLACE", "PLACE", [False]) is True
