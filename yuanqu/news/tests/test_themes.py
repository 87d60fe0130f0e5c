"""Policy themes (news/themes.py): the table's checks, and what a shared theme does for related
articles."""

import pytest

from yuanqu.chains.loader import industry_codes, read_template, template_paths
from yuanqu.news.related import CHAIN_BONUS, link_bonus, link_vocabulary, make_doc
from yuanqu.news.themes import read_themes, theme_links

HEADER = "theme,name,keywords,note\n"


def write(tmp_path, text):
    path = tmp_path / "themes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_repository_table_reads_without_problems():
    table, problems = read_themes()

    assert problems == []
    assert len(table.sources) >= 4
    assert {"investment", "business-environment", "talent", "land-space"} <= set(table.themes)


def test_no_theme_keyword_is_also_a_chain_keyword():
    codes = industry_codes()
    chain_keywords = {
        keyword
        for path in template_paths()
        for link in read_template(path, codes=codes)[0].links
        for keyword in link.keywords
    }
    theme_keywords = {keyword for _, _, keywords in theme_links() for keyword in keywords}

    assert theme_keywords & chain_keywords == set()


def test_a_keyword_in_two_sub_topics_is_refused(tmp_path):
    path = write(
        tmp_path,
        "# SOURCE: x\n# theme: talent|人才|说明\n"
        + HEADER
        + "talent,人才引进,安家补贴;落户,说明\ntalent,人才安居,人才公寓;安家补贴,说明\n",
    )

    assert read_themes(path)[1] == ["5: keyword “安家补贴” is also in “人才引进”"]


def test_a_row_of_an_undeclared_theme_is_refused(tmp_path):
    path = write(tmp_path, "# SOURCE: x\n" + HEADER + "talent,人才引进,安家补贴,说明\n")

    assert read_themes(path)[1] == ["3: theme “talent” has no “# theme:” line"]


def test_a_table_without_sources_is_refused(tmp_path):
    path = write(
        tmp_path, "# theme: talent|人才|说明\n" + HEADER + "talent,人才引进,安家补贴,说明\n"
    )

    assert read_themes(path)[1] == ["1: no “# SOURCE:” line naming where the words come from"]


@pytest.mark.django_db
def test_two_talent_policy_stories_share_a_main_theme():
    vocabulary = link_vocabulary()
    subsidy = make_doc(1, "高层次人才安家补贴开始申报", "", vocabulary=vocabulary)
    housing = make_doc(2, "首批人才公寓开始配租", "引进人才可申请", vocabulary=vocabulary)

    assert "theme:talent" in subsidy.main_chains & housing.main_chains
    assert link_bonus(subsidy, housing) >= CHAIN_BONUS
