from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from yuanqu.core import text
from yuanqu.core.text import fold, register_domain_words, segment_for_index, segment_for_query

REPOSITORY = Path(__file__).resolve().parents[3]


# ---------------------------------------------------------------------------------------
# Folding


def test_fold_turns_traditional_into_simplified():
    assert fold("徐州經濟技術開發區") == "徐州经济技术开发区"


def test_fold_turns_full_width_into_half_width_and_lower_case():
    assert fold("ＡＢＣ１２３，ｋＶＡ") == "abc123,kva"


def test_fold_leaves_simplified_text_as_it_is():
    assert fold("徐州经开区标准厂房") == "徐州经开区标准厂房"


def test_fold_uses_phrases_before_characters():
    assert fold("一目瞭然的著作") == "一目了然的著作"


def test_fold_leaves_simplified_words_that_opencc_phrases_would_rewrite():
    assert fold("结束后打坏了") == "结束后打坏了"


def test_fold_spells_square_metres_as_nfkc_does():
    assert fold("5000㎡") == "5000m2"


def test_fold_of_empty_text_is_empty():
    assert fold("") == ""


# ---------------------------------------------------------------------------------------
# Query mode


@pytest.mark.parametrize(
    "term",
    [
        "专精特新",
        "双过半",
        "拿地即开工",
        "先租后买",
        "经开区",
        "高新区",
        "徐州经开区",
        "睢宁经开区",
        "锡沂高新区",
    ],
)
def test_domain_terms_are_single_tokens_in_query_mode(term):
    assert segment_for_query(f"关注{term}的企业") == ["关注", term, "的", "企业"]


def test_park_aliases_are_single_tokens_in_query_mode():
    assert "沛北经济开发区" in segment_for_query("沛北经济开发区招商")


def test_industry_names_are_single_tokens_in_query_mode():
    assert "建筑工程用机械制造" in segment_for_query("建筑工程用机械制造企业")


def test_query_mode_drops_punctuation_and_folds():
    assert segment_for_query("經開區，標準廠房!") == ["经开区", "标准厂房"]


def test_a_number_glued_to_a_latin_unit_is_two_tokens():
    assert segment_for_query("5000㎡，10ｋＶＡ") == ["5000", "m2", "10", "kva"]


def test_query_mode_of_empty_text_is_empty():
    assert segment_for_query("") == []


# ---------------------------------------------------------------------------------------
# Index mode


def test_index_mode_adds_the_dictionary_words_inside_a_word():
    tokens = segment_for_index("江苏睢宁经济开发区")

    assert {"睢宁", "开发区", "经济开发区", "江苏睢宁经济开发区"} <= set(tokens)


def test_index_mode_adds_the_short_name_of_a_park_and_the_full_name_of_a_short_name():
    assert "徐州经开区" in segment_for_index("徐州经济技术开发区位于徐州市东部")
    assert "徐州经济技术开发区" in segment_for_index("徐州经开区位于徐州市东部")


def test_index_mode_expands_generic_abbreviations_one_way():
    # 经开区 stands for both forms, but 经济开发区 and 经济技术开发区 stay apart.
    assert {"经济技术开发区", "经济开发区"} <= set(segment_for_index("经开区"))
    assert "经济技术开发区" not in segment_for_index("经济开发区")


@pytest.mark.parametrize(
    ("indexed", "query"),
    [
        ("江苏睢宁经济开发区白色家电产业", "睢宁经济开发区"),
        ("徐州經濟技術開發區的工程機械", "经开区 工程机械"),
        ("锡沂高新技术产业开发区", "锡沂高新区"),
        ("拿地即开工的项目双过半", "拿地即开工 双过半"),
        ("租５０００平方米的标准厂房", "5000 标准厂房"),
    ],
)
def test_every_query_token_is_found_in_the_index_of_a_text_that_says_it(indexed, query):
    assert set(segment_for_query(query)) <= set(segment_for_index(indexed))


@pytest.mark.parametrize("query", ["5000平米", "5000平方米", "5000㎡"])
def test_any_spelling_of_square_metres_finds_the_others(query):
    indexed = set(segment_for_index("厂房5000㎡出租")) & set(segment_for_index("厂房5000平米出租"))

    assert set(segment_for_query(query)) - {"厂房"} <= indexed


def test_index_mode_of_empty_text_is_empty():
    assert segment_for_index("") == []


# ---------------------------------------------------------------------------------------
# The dictionary


def test_a_registered_word_becomes_one_token():
    assert segment_for_query("鑫泽智造谷") != ["鑫泽智造谷"]

    register_domain_words(["鑫泽智造谷"])

    assert segment_for_query("鑫泽智造谷") == ["鑫泽智造谷"]


def test_the_dictionary_is_built_from_the_repository_files_without_the_database():
    # Not marked django_db: any database access here would fail the test.
    words = set(text.domain_words())

    assert {"专精特新", "徐州经开区", "建筑工程用机械制造", "金龙湖街道", "铜山区"} <= words


def test_industry_names_enter_the_dictionary_split_at_punctuation():
    words = set(text.domain_words())

    assert "计算机" in words
    assert "计算机、通信和其他电子设备制造业" not in words


def _run_python(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout.strip()


def test_importing_the_module_loads_neither_segmenter_nor_converter():
    output = _run_python(
        """
        import sys
        import yuanqu.core.text as text
        print(text.is_loaded(), "rjieba" in sys.modules, "opencc_purepy" in sys.modules)
        """
    )

    assert output == "False False False"


def test_the_segmenter_loads_on_first_use():
    output = _run_python(
        """
        import yuanqu.core.text as text
        text.segment_for_query("专精特新")
        print(text.is_loaded())
        """
    )

    assert output == "True"
