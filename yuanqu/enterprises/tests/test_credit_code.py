"""GB 32100-2015 codes: checked against an independent re-implementation of the standard, real
published codes and deliberately broken ones."""

from __future__ import annotations

import random

import pytest

from yuanqu.enterprises import credit_code

# Written out again from the standard (not imported), so a slip in the module shows up here.
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_GB11714_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def _reference_code(first_16: str) -> str:
    org_sum = sum(
        _GB11714_VALUES[c] * w
        for c, w in zip(first_16[8:16], [3, 7, 9, 10, 5, 8, 4, 2], strict=True)
    )
    c9 = 11 - org_sum % 11
    first_17 = first_16 + {10: "X", 11: "0"}.get(c9, str(c9))
    total = sum(_CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first_17))
    c18 = 31 - total % 31
    return first_17 + ("0" if c18 == 31 else _CHARSET[c18])


def _random_first_16(rng: random.Random) -> str:
    authority, types = rng.choice(sorted(credit_code.AUTHORITY_TYPES.items()))
    region = "".join(rng.choice("0123456789") for _ in range(6))
    body = "".join(rng.choice(_CHARSET) for _ in range(8))
    return authority + rng.choice(types) + region + body


def test_codes_computed_from_the_standard_are_accepted():
    rng = random.Random(32100)
    for _ in range(500):
        code = _reference_code(_random_first_16(rng))
        assert credit_code.parse(code).value == code


def test_complete_adds_the_same_check_characters_as_the_standard():
    rng = random.Random(11714)
    for _ in range(200):
        first_16 = _random_first_16(rng)
        assert credit_code.complete(first_16) == _reference_code(first_16)


def test_a_check_sum_divisible_by_31_gives_check_character_zero():
    rng = random.Random(31)
    found = 0
    while found < 3:
        code = _reference_code(_random_first_16(rng))
        if code[17] == "0":
            assert credit_code.check_char(code[:17]) == "0"
            found += 1


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司
        "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
        "91520000214434146R",  # 贵州茅台酒股份有限公司
        "91110000710926094P",  # 中国石油化工股份有限公司
    ],
)
def test_published_codes_of_listed_companies_are_accepted(code):
    assert credit_code.is_valid(code)


def test_the_gb_11714_example_code_has_check_character_x():
    # The standard's own example: D2143569-X.
    assert credit_code.organisation_check_char("D2143569") == "X"


def test_a_remainder_of_zero_gives_organisation_check_zero():
    assert credit_code.organisation_check_char("MJX17368") == "0"


def test_a_wrong_check_character_is_refused():
    code = "91440300708461136T"
    wrong = code[:17] + ("U" if code[17] != "U" else "W")

    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse(wrong)

    assert "校验位不正确" in str(error.value)


def test_a_wrong_organisation_check_character_is_refused_even_when_position_18_agrees():
    first_17 = "9144030070846113" + "5"  # the true 17th character is 6
    code = first_17 + credit_code.check_char(first_17)

    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse(code)

    assert "第 17 位" in str(error.value)


def test_full_width_lower_case_and_spaced_input_is_normalised():
    typed = "９１４４ ０３００ ７０８４ ６１１３ ６ｔ"

    assert credit_code.parse(typed).value == "91440300708461136T"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_outside_the_alphabet_are_refused(letter):
    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse("9144030070846113" + letter + "T")

    assert letter in str(error.value)


def test_a_code_of_the_wrong_length_is_refused():
    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse("9144030070846113")

    assert "18 位" in str(error.value)


def test_an_empty_code_is_refused():
    with pytest.raises(credit_code.CreditCodeError):
        credit_code.parse("  ")


def test_an_unknown_registration_authority_is_refused():
    code = _reference_code("B1440300" + "70846113")

    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse(code)

    assert "登记管理部门" in str(error.value)


def test_a_type_code_the_authority_does_not_issue_is_refused():
    code = _reference_code("94440300" + "70846113")  # 工商 issues 1, 2, 3 only

    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse(code)

    assert "机构类别" in str(error.value)


def test_a_region_code_with_letters_is_refused():
    code = _reference_code("9144A300" + "70846113")

    with pytest.raises(credit_code.CreditCodeError) as error:
        credit_code.parse(code)

    assert "行政区划" in str(error.value)


def test_the_parts_of_a_code_are_exposed():
    parsed = credit_code.parse("91440300708461136T")

    assert (parsed.authority, parsed.type_code, parsed.region_code) == ("9", "1", "440300")
    assert parsed.organisation_code == "70846113-6"
