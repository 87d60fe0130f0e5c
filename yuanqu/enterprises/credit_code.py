"""统一社会信用代码 (GB 32100-2015): normalising and checking one code.

Layout of the 18 characters:

1. 登记管理部门代码 (registration authority: 9 = 工商/市场监管, 5 = 民政, 1 = 机构编制 …)
2. 机构类别代码 (type within that authority: 91 = 企业, 92 = 个体工商户, 93 = 农民专业合作社 …)
3–8. 登记管理机关行政区划码 (GB/T 2260 region code, six digits)
9–17. 主体标识码, i.e. the GB 11714 organisation code: eight body characters and its own
   check character at position 17. GB 32100 says the 主体标识码 is coded "按照 GB 11714", so the
   GB 11714 check does apply there, and it is enforced: a code whose position 17 is wrong has
   been mistyped even when position 18 happens to agree.
18. 校验码 over the first 17 characters (weights 3^(i-1) mod 31, modulus 31).

The whole code uses 0-9 and the capital letters without I, O, Z, S, V. GB 11714 gives letters
the values A=10 … Z=35 (its own alphabet has all 26); GB 32100 gives each character its index
in the 31-character alphabet.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {character: index for index, character in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# 登记管理部门 → the 机构类别 codes it issues: GB 32100-2015 Annex A (1, 5, 9, Y) plus the
# authorities assigned codes since (外交 2, 司法行政 3, 文化 4, 旅游 6, 宗教 7, 工会 8,
# 中央军委改革和编制办公室 A, 农业 N).
AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",
    "2": "19",
    "3": "123456789",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}


class CreditCodeError(ValueError):
    """The code is malformed; str(error) is the Chinese message shown beside the field."""


@dataclass(frozen=True)
class CreditCode:
    value: str

    @property
    def authority(self) -> str:
        return self.value[0]

    @property
    def type_code(self) -> str:
        return self.value[1]

    @property
    def region_code(self) -> str:
        return self.value[2:8]

    @property
    def organisation_code(self) -> str:
        """The GB 11714 code as printed on old certificates: XXXXXXXX-X."""
        return f"{self.value[8:16]}-{self.value[16]}"


def normalise(raw: str) -> str:
    """Full-width → half-width (NFKC), capitals, no white space anywhere."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(character for character in text.upper() if not character.isspace())


def organisation_check_char(body: str) -> str:
    """GB 11714 check character of an eight-character body."""
    total = sum(
        _organisation_value(character) * weight
        for character, weight in zip(body, ORGANISATION_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def check_char(first_17: str) -> str:
    """GB 32100 check character (position 18) of the first 17 characters."""
    total = sum(
        _VALUE[character] * weight for character, weight in zip(first_17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def complete(first_16: str) -> str:
    """The full code from its first 16 characters (adds both check characters); for tests,
    demo data and factories."""
    first_16 = normalise(first_16)
    first_17 = first_16 + organisation_check_char(first_16[8:16])
    return first_17 + check_char(first_17)


def parse(raw: str) -> CreditCode:
    """The normalised code, or CreditCodeError naming what is wrong (first problem only)."""
    code = normalise(raw)
    if not code:
        raise CreditCodeError(_("请填写统一社会信用代码。"))
    if len(code) != 18:
        raise CreditCodeError(
            _("统一社会信用代码应为 18 位,当前为 %(count)d 位。") % {"count": len(code)}
        )
    bad = sorted({character for character in code if character not in _VALUE})
    if bad:
        raise CreditCodeError(
            _("统一社会信用代码含有不允许的字符:%(chars)s(不使用 I、O、Z、S、V)。")
            % {"chars": "、".join(bad)}
        )
    types = AUTHORITY_TYPES.get(code[0])
    if types is None:
        raise CreditCodeError(_("第 1 位登记管理部门代码“%(char)s”无效。") % {"char": code[0]})
    if code[1] not in types:
        raise CreditCodeError(_("第 2 位机构类别代码“%(char)s”无效。") % {"char": code[1]})
    if not code[2:8].isdigit():
        raise CreditCodeError(_("第 3–8 位应为 6 位数字的行政区划码。"))
    if organisation_check_char(code[8:16]) != code[16]:
        raise CreditCodeError(_("第 17 位(组织机构代码校验位)不正确,请核对第 9–17 位。"))
    if check_char(code[:17]) != code[17]:
        raise CreditCodeError(_("校验位不正确,请核对后重新输入。"))
    return CreditCode(code)


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except CreditCodeError:
        return False
    return True


def _organisation_value(character: str) -> int:
    if character.isdigit():
        return int(character)
    return ord(character) - ord("A") + 10
