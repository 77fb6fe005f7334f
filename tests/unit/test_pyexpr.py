import ast

from generator.model import AnyValue, EnumRef, ListOf, Literal, MapOf, ModelRef, Nullable, Primitive, UnionOf
from generator.render.environment import comment, docstring, toml
from generator.render.pyexpr import annotation, decoder, is_plain_json


def test_annotations():
    assert annotation(Primitive("string")) == "str"
    assert annotation(Primitive("string", "date-time")) == "datetime.datetime"
    assert annotation(Primitive("string", "date")) == "datetime.date"
    assert annotation(Primitive("integer", "int64")) == "int"
    assert annotation(ListOf(ModelRef("Pet"))) == "List[Pet]"
    assert annotation(MapOf(Primitive("integer"))) == "Dict[str, int]"
    assert annotation(Nullable(Primitive("string"))) == "str | None"
    assert annotation(EnumRef("Status")) == "Status | str"
    assert annotation(UnionOf((Primitive("string"), Primitive("integer")))) == "str | int"
    assert annotation(Literal("a")) == "Literal['a']"
    assert annotation(AnyValue()) == "Any"


def test_decoders_reference_models_lazily():
    assert decoder(ModelRef("Pet")) == "_m.Pet.from_dict"
    assert decoder(ListOf(ModelRef("Pet"))) == "_d.list_of(_m.Pet.from_dict)"
    assert decoder(EnumRef("S")) == "_d.enum(_m.S)"
    assert decoder(Nullable(Primitive("integer"))) == "_d.nullable(_d.integer)"
    assert decoder(MapOf(AnyValue())) == "_d.map_of(_d.any_value)"


def test_plain_json_types_need_no_encoding():
    assert is_plain_json(ListOf(Primitive("string")))
    assert not is_plain_json(ListOf(ModelRef("Pet")))
    assert not is_plain_json(Primitive("string", "date"))
    assert not is_plain_json(AnyValue())


def test_docstring_cannot_escape_its_literal():
    hostile = 'end """ now \\ and """; import os; os.system("x") #"'
    literal = docstring(hostile)
    tree = ast.parse(f"def f():\n    {literal}\n")
    assert ast.get_docstring(tree.body[0]) is not None
    assert len(tree.body) == 1 and len(tree.body[0].body) == 1
    assert "os.system" in ast.literal_eval(literal)


def test_docstring_reindents_multiline_text():
    literal = docstring("First.\n\nSecond line.", indent=8)
    assert literal == '"""First.\n\n        Second line.\n        """'


def test_comment_and_toml_stay_on_one_line():
    assert "\n" not in comment("a\nb\r\nc")
    assert toml('say "hi"\n') == '"say \\"hi\\"\\n"'
