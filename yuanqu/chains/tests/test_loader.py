"""Templates: the shipped four load and reload unchanged; a bad file changes nothing."""

import pytest

from yuanqu.chains import loader
from yuanqu.chains.models import Chain, ChainLink

pytestmark = pytest.mark.django_db

GOOD = """# SOURCE: 测试资料
# chain: test-chain|测试链|用于测试
name,parent,position,codes,keywords,note
整机,,中游,3514,挖掘机,
液压,,上游,3444,液压;油缸,
挖掘,整机,中游,3514,挖机,
"""


def write(tmp_path, text, name="chain.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_template_loads_as_a_chain_of_at_least_twelve_links():
    report = loader.load_templates()
    assert report.chains_created == len(loader.template_paths()) == 9
    for chain in Chain.objects.all():
        assert chain.links.count() >= 12 and chain.sources


def test_loading_twice_changes_nothing():
    loader.load_templates()
    again = loader.load_templates()
    assert again.links_created == again.links_updated == again.links_removed == 0


def test_a_link_is_stored_under_its_parent(tmp_path):
    loader.load_templates([write(tmp_path, GOOD)])
    parent = ChainLink.objects.get(name="挖掘").parent
    assert parent is not None and parent.name == "整机"


def test_a_link_dropped_from_its_file_is_removed(tmp_path):
    loader.load_templates([write(tmp_path, GOOD)])
    loader.load_templates([write(tmp_path, GOOD.replace("液压,,上游,3444,液压;油缸,\n", ""))])
    assert not ChainLink.objects.filter(name="液压").exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("3444", "9999"), "code 9999 is not a GB/T 4754-2017"),
        (("挖掘,整机", "整机,挖掘"), "duplicate link name"),
        (("挖掘,整机", "挖掘,不存在"), "is not a link of this file"),
        (("上游", "旁游"), "position “旁游”"),
    ],
)
def test_a_bad_template_is_refused_with_file_line_and_reason(tmp_path, change, reason):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(loader.TemplateRefused) as refused:
        loader.load_templates([path])
    assert any(reason in problem and "chain.csv:" in problem for problem in refused.value.problems)
    assert not Chain.objects.exists()


def test_a_cycle_is_refused(tmp_path):
    text = GOOD.replace("整机,,中游", "整机,挖掘,中游")
    with pytest.raises(loader.TemplateRefused) as refused:
        loader.load_templates([write(tmp_path, text)])
    assert any("cycle" in problem for problem in refused.value.problems)


def test_one_bad_file_leaves_the_good_ones_unloaded(tmp_path):
    good = write(tmp_path, GOOD, "a.csv")
    bad = write(tmp_path, GOOD.replace("test-chain", "other").replace("3444", "9999"), "b.csv")
    with pytest.raises(loader.TemplateRefused):
        loader.load_templates([good, bad])
    assert not Chain.objects.exists()


def test_the_command_reports_the_refusal(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="9999"):
        call_command("load_chains", str(write(tmp_path, GOOD.replace("3444", "9999"))))
