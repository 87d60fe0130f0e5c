from __future__ import annotations

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from yuanqu.accounts.personal_data import mobile_variants
from yuanqu.accounts.pii import lead_mobile_reveal
from yuanqu.accounts.tests.factories import make_lead

pytestmark = pytest.mark.django_db

MOBILE = "+8613812341234"
NAME = "赵小六"


def _rows_holding(*needles: str) -> list[str]:
    """Every row of every installed model whose text or JSON fields contain a needle."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for values in model._default_manager.values_list("pk", *fields):
            text = json.dumps(values[1:], ensure_ascii=False, default=str)
            for needle in needles:
                if needle in text:
                    found.append(f"{model._meta.label}:{values[0]} holds {needle}")
    return found


def _person_everywhere(park, officer):
    lead = make_lead(park=park, mobile=MOBILE, contact_name=NAME, need_text=f"{NAME} 想租厂房")
    second = make_lead(park=park, mobile=MOBILE, contact_name=NAME, company="六六科技")
    lead_mobile_reveal(user=officer, lead=lead, reason=f"回访{NAME}")
    lead.status = "following"
    lead.save()  # an audit-trail entry for the lead
    from yuanqu.leads.models import LeadSubmission
    from yuanqu.listings.tests.factories import make_saved_search

    LeadSubmission.objects.create(
        lead=lead,
        idempotency_key="submission-1",
        ip="10.1.2.3",
        data={"mobile": "13812341234", "contact_name": NAME},
    )

    make_saved_search(channel="sms", mobile=MOBILE)
    return lead, second


def test_the_scan_finds_the_person_before_deletion(park_a, investment_officer):
    _person_everywhere(park_a, investment_officer)

    assert _rows_holding("13812341234", NAME)


def test_after_deletion_no_row_in_any_table_holds_the_mobile_or_the_name(
    park_a, investment_officer
):
    _person_everywhere(park_a, investment_officer)

    call_command("personal_data", "delete", "--mobile", "13812341234", "--yes", stdout=StringIO())

    assert _rows_holding("13812341234", NAME) == []


def test_deletion_keeps_the_lead_rows_for_statistics(park_a, investment_officer):
    lead, second = _person_everywhere(park_a, investment_officer)

    call_command("personal_data", "delete", "--mobile", "13812341234", "--yes", stdout=StringIO())

    lead.refresh_from_db()
    assert (lead.reference, lead.kind, lead.park) == (lead.reference, "factory", park_a)


def test_export_prints_json_of_the_leads_and_access_logs(park_a, investment_officer):
    lead, second = _person_everywhere(park_a, investment_officer)
    out = StringIO()

    call_command("personal_data", "export", "--mobile", "13812341234", stdout=out)

    data = json.loads(out.getvalue())
    assert {row["reference"] for row in data["records"]["leads.Lead"]} == {
        lead.reference,
        second.reference,
    }
    assert data["records"]["accounts.PersonalDataAccess"][0]["reason"] == f"回访{NAME}"


def test_deletion_removes_saved_searches_sent_to_that_mobile(park_a, investment_officer):
    from yuanqu.listings.models import SavedSearch

    _person_everywhere(park_a, investment_officer)

    call_command("personal_data", "delete", "--mobile", "13812341234", "--yes", stdout=StringIO())

    assert not SavedSearch.objects.exists()


def test_export_of_an_unknown_mobile_holds_no_records(park_a):
    out = StringIO()

    call_command("personal_data", "export", "--mobile", "13999999999", stdout=out)

    assert json.loads(out.getvalue())["records"] == {}


def test_a_mobile_without_digits_is_refused():
    with pytest.raises(CommandError):
        call_command("personal_data", "export", "--mobile", "abc", stdout=StringIO())


@pytest.mark.parametrize(
    "typed", ["13812341234", "+8613812341234", "+86 138 1234 1234", "8613812341234"]
)
def test_mobile_variants_cover_the_stored_e164_form(typed):
    assert "+8613812341234" in mobile_variants(typed)
