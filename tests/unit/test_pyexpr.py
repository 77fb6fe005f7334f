import ast

from generator.model import AnyValue, EnumRef, ListOf, Literal, MapOf, ModelRef, Nullable, Primitive, Tagged, TupleOf, UnionOf
from generator.render.environment import comment, docstring, toml
from generator.render.pyexpr import annotation, describe


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
    assert annotation(Literal("a")) == 'Literal["a"]'
    assert annotation(AnyValue()) == "Any"


def test_type_descriptions_name_models_and_enums():
    assert describe(ModelRef("Pet")) == "Pet"
    assert describe(ListOf(ModelRef("Pet"))) == "[Pet]"
    assert describe(EnumRef("S")) == "S"
    assert describe(Nullable(Primitive("integer"))) == "int?"
    assert describe(Nullable(Nullable(Primitive("integer")))) == "int?"
    assert describe(MapOf(AnyValue())) == "{any}"
    assert describe(Primitive("string", "date-time")) == "datetime"
    assert describe(Primitive("string", "byte")) == "base64"


def test_type_descriptions_of_compositions():
    assert describe(UnionOf((Primitive("string"), ModelRef("Pet")))) == "union(str, Pet)"
    assert describe(TupleOf((Primitive("number"), Primitive("string")))) == "tuple(float, str)"
    assert describe(Literal('say "x"')) == 'literal("say \\"x\\"")'
    tagged = Tagged("kind", (("dog", ModelRef("Dog")), ("a:b", ModelRef("Cat"))), ModelRef("Pet"))
    assert describe(tagged) == 'tagged("kind", "dog": Dog, "a:b": Cat, else: Pet)'

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
