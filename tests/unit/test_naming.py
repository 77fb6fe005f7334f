import keyword

import pytest

from generator.build.naming import NameAllocator, class_name, constant, identifier, module_name, words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("listPets", "list_pets"),
        ("HTTPServer", "http_server"),
        ("getPetByID", "get_pet_by_id"),
        ("X-Request-Id", "x_request_id"),
        ("$special[property.name]", "special_property_name"),
        ("v1", "v1"),
        ("repos/get-content", "repos_get_content"),
        ("ÄpfelÜber", "apfel_uber"),
    ],
)
def test_identifier_is_snake_case(text, expected):
    assert identifier(text) == expected


@pytest.mark.parametrize("word", ["import", "class", "from", "None", "True", "lambda"])
def test_keywords_are_escaped(word):
    name = identifier(word)
    assert not keyword.iskeyword(name)
    assert name.rstrip("_").lower() == word.lower()


def test_names_shadowing_annotations_are_escaped_but_common_builtins_are_not():
    assert identifier("str") == "str_"
    assert identifier("datetime") == "datetime_"
    # `list`, `id`, `type` are fine as attributes and keyword arguments.
    assert identifier("list") == "list"
    assert identifier("id") == "id"
    assert identifier("type") == "type"


def test_leading_digits_and_empty_names_get_a_prefix():
    assert identifier("123Number", "field") == "field_123_number"
    assert identifier("", "field") == "field"
    assert class_name("123abc") == "Model123abc"
    assert class_name("") == "Model"
    assert constant("1st") == "VALUE_1ST"
    assert module_name("2fa") == "m_2fa"


def test_every_generated_name_is_an_identifier():
    nasty = ["a b", "a-b", "'; import os #", '"""', "\\", "x\ny", "🙂", "__init__", "..", "0"]
    for text in nasty:
        for name in (identifier(text), class_name(text), constant(text), module_name(text)):
            assert name.isidentifier() and not keyword.iskeyword(name), (text, name)


def test_allocator_prefers_candidates_then_numbers():
    names = NameAllocator({"taken"})
    assert names.claim("free") == "free"
    assert names.claim("free", "alternative") == "alternative"
    assert names.claim("taken") == "taken_2"
    assert names.claim("taken") == "taken_3"
    assert names.claim("Pet", "PetModel") == "Pet"
    assert names.claim("Pet") == "Pet2"


def test_allocator_can_fold_case_for_file_systems():
    names = NameAllocator(fold_case=True)
    assert names.claim("pet") == "pet"
    assert names.claim("Pet") == "Pet2"


def test_words_split_camel_acronyms_and_symbols():
    assert words("getHTTPResponseCode") == ("get", "HTTP", "Response", "Code")
    assert words("a.b[c]") == ("a", "b", "c")


def test_long_names_are_cut_stably_and_stay_distinct():
    from generator.build.naming import MAX_NAME_LENGTH

    a = class_name("list " + "payroll administration " * 10 + "item")
    b = class_name("list " + "payroll administration " * 10 + "entry")
    assert len(a) <= MAX_NAME_LENGTH and len(b) <= MAX_NAME_LENGTH
    assert a != b and a.isidentifier()
    assert a == class_name("list " + "payroll administration " * 10 + "item")  # stable
    assert len(module_name(a)) <= MAX_NAME_LENGTH
