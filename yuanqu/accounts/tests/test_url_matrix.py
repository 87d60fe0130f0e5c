"""Every non-public URL, for anonymous users, each role, and a park-A user on park-B objects:
redirect to login, 403 or 404 — never data.

URLs are discovered, not listed: everything under /admin/ and /accounts/ (less the public
login and password-reset pages), and every view behind gates.staff_required or
gates.site_admin_required anywhere in the project. Admin pages of every ModelAdmin that uses
ParkScopedAdminMixin are checked for each role on objects of both parks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yuanqu.accounts.admin_mixins import ParkScopedAdminMixin
from yuanqu.accounts.tests.factories import make_lead, make_user

pytestmark = pytest.mark.django_db

PUBLIC_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "admin:login",
    "admin:logout",
    # Django's admin "view on site" redirect: it only redirects to the public page.
    "admin:view_on_site",
}
LOGIN_PREFIXES = ("/accounts/login/", "/admin/login/")
NEVER_DATA = {302, 403, 404, 405}


# --- discovery -------------------------------------------------------------------------


def _sample(regex_or_route: str, samples: dict[str, str]) -> str | None:
    """A concrete path for one pattern; None when it cannot be sampled (admin catch-all)."""
    text = regex_or_route
    if "(?P<url>" in text:
        return None

    # Route converters: <int:lead_id>, <uuid:token>, <str:x>, <path:object_id>.
    def route(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name in samples:
            return samples[name]
        return {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000"}.get(converter, "1")

    text = re.sub(r"<(?:(\w+):)?(\w+)>", route, text)
    # Regex groups (the admin's app index): the first alternative.
    text = re.sub(r"\(\?P<\w+>([^|)]*)[^)]*\)", r"\1", text)
    return text.replace("^", "").replace("$", "").replace("\\", "")


def _walk(
    resolver: URLResolver, prefix: str, namespace: str, samples: dict[str, str]
) -> Iterator[tuple[str, str, Any]]:
    for pattern in resolver.url_patterns:
        part = _sample(str(pattern.pattern), samples)
        if part is None:
            continue
        if isinstance(pattern, URLResolver):
            inner_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern, prefix + part, inner_namespace, samples)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield "/" + (prefix + part).lstrip("/"), name, pattern.callback


def protected_urls(samples: dict[str, str] | None = None) -> list[tuple[str, str]]:
    found = []
    for path, name, callback in _walk(get_resolver(), "", "", samples or {}):
        if name in PUBLIC_NAMES:
            continue
        gated = getattr(callback, "yuanqu_gate", None)
        if gated or path.startswith(("/admin/", "/accounts/")):
            found.append((path, name))
    return sorted(set(found))


def test_discovery_finds_the_admin_and_the_accounts_pages():
    paths = [path for path, _name in protected_urls()]

    assert "/admin/" in paths
    assert "/admin/leads/lead/" in paths
    assert "/accounts/personal-data/access-log/" in paths


@pytest.mark.parametrize(("path", "name"), protected_urls())
def test_anonymous_users_are_sent_to_login(client, path, name):
    response = client.get(path)

    assert response.status_code in {302, 405}, (path, name)
    if response.status_code == 302:
        assert response.url.startswith(LOGIN_PREFIXES), (path, response.url)


@pytest.mark.parametrize(("path", "name"), protected_urls())
def test_signed_in_users_without_a_role_get_no_data(client, path, name):
    client.force_login(make_user())

    response = client.get(path)

    assert response.status_code in NEVER_DATA, (path, name)
    if response.status_code == 302:
        assert response.url.startswith(LOGIN_PREFIXES), (path, response.url)


# --- staff pages of every app, a park-A user on park-B objects -------------------------


def _park_b_samples(park_b) -> dict[str, str]:
    samples = {
        "lead_id": str(make_lead(park=park_b, company="乙方保密公司").pk),
        "park_id": str(park_b.pk),
    }
    try:
        from yuanqu.listings.tests.factories import make_carrier

        samples["carrier_id"] = str(make_carrier(park=park_b, title="乙方保密厂房").pk)
    except ImportError:  # listings not built yet
        pass
    samples["slug"] = park_b.slug
    samples.update(_workbench_samples(park_b))
    return samples


def _workbench_samples(park) -> dict[str, str]:
    """A project (with a milestone and a problem) and an enterprise of the park."""
    from yuanqu.enterprises.tests.factories import make_enterprise
    from yuanqu.pipeline.tests.factories import make_milestone, make_problem, make_project

    project = make_project(park=park, name="乙方保密项目", investor_name="乙方保密投资方")
    return {
        "project_id": str(project.pk),
        "milestone_id": str(make_milestone(project, title="乙方保密节点").pk),
        "problem_id": str(make_problem(project, description="乙方保密问题").pk),
        "enterprise_id": str(make_enterprise(park=park, name="乙方保密企业有限公司").pk),
    }


GATED_OBJECT_KWARGS = (
    "lead_id",
    "carrier_id",
    "park_id",
    "project_id",
    "milestone_id",
    "problem_id",
    "enterprise_id",
)


def _gated_object_urls(samples: dict[str, str]) -> list[str]:
    urls = []
    for path, _name, callback in _walk(get_resolver(), "", "", samples):
        if getattr(callback, "yuanqu_gate", None) and any(
            samples.get(k, "\0") in path.split("/") for k in GATED_OBJECT_KWARGS
        ):
            urls.append(path)
    return sorted(set(urls))


@pytest.mark.parametrize("method", ["get", "post"])
def test_park_a_staff_get_no_data_from_park_b_object_pages(login_as, park_manager, park_b, method):
    samples = _park_b_samples(park_b)
    client = login_as(park_manager)
    urls = _gated_object_urls(samples)
    assert urls, "no gated object pages found"

    for path in urls:
        response = getattr(client, method)(path)

        assert response.status_code in {403, 404, 405}, (method, path, response.status_code)
        assert "乙方保密" not in response.content.decode(), path


def _workbench_urls(samples: dict[str, str]) -> list[str]:
    return [
        path
        for path, _name, callback in _walk(get_resolver(), "", "", samples)
        if path.startswith("/workbench/") and getattr(callback, "yuanqu_gate", None)
    ]


def test_leadership_reads_the_workbench_but_every_post_is_refused(login_as, leadership, park_a):
    from yuanqu.leads.models import Lead, LeadEvent
    from yuanqu.pipeline.models import Project

    samples = {"lead_id": str(make_lead(park=park_a, company="甲方公司").pk)}
    samples.update(_workbench_samples(park_a))
    client = login_as(leadership)
    urls = _workbench_urls(samples)
    assert any("/projects/" in url for url in urls) and any("/leads/" in url for url in urls)
    before = (Project.objects.get().version, Lead.objects.get().status, LeadEvent.objects.count())

    for path in urls:
        if path.startswith("/workbench/api-tokens/"):
            continue  # their own read-only API tokens: credentials, not records (test_tokens)
        response = client.post(path, {"reason": "x", "to_stage": "terminated"})

        assert response.status_code in {403, 405}, (path, response.status_code)
    after = (Project.objects.get().version, Lead.objects.get().status, LeadEvent.objects.count())
    assert after == before


# --- the admin of every park-scoped model ----------------------------------------------


def _scoped_admins() -> list[tuple[Any, Any]]:
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ParkScopedAdminMixin)
    ]


def _object_in(model: Any, park) -> Any:
    label = model._meta.label_lower
    if label == "parks.park":
        return park
    if label == "leads.lead":
        return make_lead(park=park)
    if label == "listings.carrier":
        from yuanqu.listings.tests.factories import make_carrier

        return make_carrier(park=park)
    if label == "pipeline.project":
        from yuanqu.pipeline.tests.factories import make_project

        return make_project(park=park)
    if label == "enterprises.enterprise":
        from yuanqu.enterprises.tests.factories import make_enterprise

        return make_enterprise(park=park)
    if label == "enterprises.cultivationtarget":
        from yuanqu.enterprises.models import CultivationTarget
        from yuanqu.enterprises.tests.factories import make_target

        return make_target(
            park=park, year=2026, kind=CultivationTarget.Kind.HIGH_TECH_NEW, target=30
        )
    raise AssertionError(f"add a factory for {label} to the URL matrix")


SCOPED = [model._meta.label_lower for model, _admin in _scoped_admins()]


def _urls(model: Any, obj: Any) -> dict[str, str]:
    info = (model._meta.app_label, model._meta.model_name)
    return {
        "change": reverse("admin:{}_{}_change".format(*info), args=[obj.pk]),
        "history": reverse("admin:{}_{}_history".format(*info), args=[obj.pk]),
        "delete": reverse("admin:{}_{}_delete".format(*info), args=[obj.pk]),
    }


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def test_the_matrix_covers_leads():
    assert "leads.lead" in SCOPED


@pytest.mark.parametrize("label", SCOPED)
@pytest.mark.parametrize(
    ("cast", "foreign_park"),
    [
        ("park_manager", "park_b"),
        ("investment_officer", "park_b"),
        ("other_park_officer", "park_a"),
    ],
)
def test_park_staff_get_404_for_the_other_parks_objects_in_the_admin(
    request, login_as, label, cast, foreign_park
):
    model = _model(label)
    obj = _object_in(model, request.getfixturevalue(foreign_park))
    client = login_as(request.getfixturevalue(cast))

    for page, url in _urls(model, obj).items():
        assert client.get(url).status_code == 404, (label, page)
        assert client.post(url, {"post": "yes"}).status_code == 404, (label, page)
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("label", SCOPED)
def test_park_staff_changelist_holds_no_link_to_the_other_parks_objects(
    login_as, park_manager, park_a, park_b, label
):
    model = _model(label)
    own = _object_in(model, park_a)
    foreign = _object_in(model, park_b)

    content = (
        login_as(park_manager)
        .get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        .content.decode()
    )

    assert _urls(model, own)["change"] in content
    assert _urls(model, foreign)["change"] not in content


@pytest.mark.parametrize("label", SCOPED)
@pytest.mark.parametrize("cast", ["site_admin", "park_manager", "investment_officer", "leadership"])
def test_staff_in_scope_can_open_their_parks_objects(request, login_as, park_a, label, cast):
    model = _model(label)
    obj = _object_in(model, park_a)
    client = login_as(request.getfixturevalue(cast))

    assert client.get(_urls(model, obj)["change"]).status_code == 200


@pytest.mark.parametrize("label", SCOPED)
def test_leadership_can_neither_change_nor_delete(login_as, leadership, park_a, label):
    model = _model(label)
    obj = _object_in(model, park_a)
    client = login_as(leadership)
    urls = _urls(model, obj)

    assert client.post(urls["change"], {}).status_code == 403
    assert client.post(urls["delete"], {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("label", SCOPED)
def test_editors_get_no_park_scoped_admin_pages(login_as, editor, park_a, label):
    model = _model(label)
    obj = _object_in(model, park_a)
    client = login_as(editor)

    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(changelist).status_code == 403
    assert client.get(_urls(model, obj)["change"]).status_code == 404


@pytest.mark.parametrize("label", SCOPED)
def test_site_admins_open_every_parks_objects(login_as, site_admin, park_b, label):
    model = _model(label)
    obj = _object_in(model, park_b)

    assert login_as(site_admin).get(_urls(model, obj)["change"]).status_code == 200


def _admin_object_urls(objects: dict[str, Any]) -> list[str]:
    """Every admin URL that takes an object id, for the park-scoped models (custom views such
    as the lead reveal page included), filled with the given objects' ids."""
    urls = []
    for path, name, _callback in _walk(get_resolver(), "", "", {"object_id": "__OBJ__"}):
        if "__OBJ__" not in path or not name.startswith("admin:"):
            continue
        for label, obj in objects.items():
            app_label, model_name = label.split(".")
            if name.startswith(f"admin:{app_label}_{model_name}_"):
                urls.append(path.replace("__OBJ__", str(obj.pk)))
    return sorted(set(urls))


@pytest.mark.parametrize(
    ("cast", "foreign_park"),
    [
        ("park_manager", "park_b"),
        ("investment_officer", "park_b"),
        ("other_park_officer", "park_a"),
        ("leadership", None),
        ("editor", "park_a"),
    ],
)
def test_every_admin_object_url_of_a_foreign_park_gives_no_data(
    request, login_as, park_a, park_b, cast, foreign_park
):
    if foreign_park is None:
        # Leadership reads its region; a park outside it is foreign.
        from yuanqu.parks.tests.factories import make_park, make_region

        province = make_region(code="320000", name="江苏省", level="province")
        nanjing = make_region(code="320100", name="南京市", level="prefecture", parent=province)
        park = make_park(region=make_region(code="320102", name="玄武区", parent=nanjing))
    else:
        park = request.getfixturevalue(foreign_park)
    objects = {label: _object_in(_model(label), park) for label in SCOPED}
    client = login_as(request.getfixturevalue(cast))
    urls = _admin_object_urls(objects)
    assert any("/reveal/" in url for url in urls)

    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)

            assert response.status_code in {403, 404}, (cast, method, url, response.status_code)


def test_hanging_ones_park_under_another_park_is_refused_and_logged(
    login_as, park_manager, park_a, park_b
):
    from yuanqu.accounts.models import SecurityEvent

    response = login_as(park_manager).post(
        reverse("admin:parks_park_change", args=[park_a.pk]),
        {"name": park_a.name, "parent": park_b.pk},
    )

    park_a.refresh_from_db()
    assert response.status_code == 302
    assert park_a.parent is None
    assert SecurityEvent.objects.get().detail == f"parent={park_b.pk}"


def test_keeping_the_parent_park_one_cannot_edit_is_not_tampering(login_as, park_manager, park_a):
    from yuanqu.accounts.models import SecurityEvent
    from yuanqu.parks.tests.factories import make_park

    zone = make_park(name="上级开发区")
    park_a.parent = zone
    park_a.save()

    login_as(park_manager).post(
        reverse("admin:parks_park_change", args=[park_a.pk]),
        {"name": park_a.name, "parent": zone.pk},
    )

    assert not SecurityEvent.objects.exists()
