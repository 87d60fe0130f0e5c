"""The audits' form reader (audit/target.py): the XSS audit's coverage rests on it finding
every free-text field a person can type into, and only those."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))

from target import forms_of  # noqa: E402

PAGE = """
<form method="post" action="/needs/new/">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input type="text" name="company" maxlength="100" value="徐州机械">
  <input type="text" name="area_min" inputmode="decimal">
  <input type="text" name="website" tabindex="-1">
  <input type="text" name="code" pattern="[0-9]{6}">
  <input type="checkbox" name="consent" checked>
  <input type="checkbox" name="eia">
  <select name="kind"><option value="factory">厂房</option><option value="office" selected>写字楼</option></select>
  <select name="deal"><option value="rent">租</option></select>
  <textarea name="need_text" maxlength="2000">
找厂房</textarea>
  <input type="submit" name="go" value="提交">
</form>
"""


def test_form_values_are_what_a_browser_would_submit_untouched():
    (form,) = forms_of(PAGE)

    assert form.values() == {
        "csrfmiddlewaretoken": ["abc"], "company": ["徐州机械"], "area_min": [""],
        "website": [""], "code": [""], "consent": ["on"], "kind": ["office"], "deal": ["rent"],
        "need_text": ["找厂房"],
    }  # fmt: skip


def test_free_text_fields_leave_out_numbers_codes_and_bot_traps():
    (form,) = forms_of(PAGE)

    assert form.text_fields == ["company", "need_text"]
    assert form.max_lengths == {"company": 100, "need_text": 2000}


def test_a_file_input_is_known_by_name_but_not_submitted_as_a_value():
    (form,) = forms_of(
        '<form method="post" enctype="multipart/form-data"><input type="hidden" '
        'name="csrfmiddlewaretoken" value="abc"><input type="file" name="file"></form>'
    )

    assert form.file_fields == ["file"]
    assert form.values() == {"csrfmiddlewaretoken": ["abc"]}
