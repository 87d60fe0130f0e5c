"""Permission gates: who may see and change what. Every view, admin page and API endpoint
asks these functions, so scoping is written and tested once.

Rules (judgement calls noted):
- Site admins (superusers or the site-admin role) see and change everything.
- Park managers and 招商专员 see and change their park(s) and the parks under them
  (``Park.parent``); only park managers change the park's own profile.
- Leadership sees every park of its region, sub-regions included, and changes nothing.
- Editors work on news; they see no park-scoped staff data.
- An object of a park the user may not see is a 404 (its existence is not leaked); an object
  the user may see but not change is a 403 (PermissionDenied).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from yuanqu.accounts.models import Membership, SecurityEvent
from yuanqu.core.models import Region
from yuanqu.parks.models import Park

if TYPE_CHECKING:
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.leads.models import Lead
    from yuanqu.listings.models import Carrier
    from yuanqu.pipeline.models import Project

_CACHE_ATTRIBUTE = "_yuanqu_scope"


class _Scope:
    """The scope of one user, computed once per user object (i.e. once per request)."""

    def __init__(self, user: Any) -> None:
        self.memberships: list[Membership] = []
        if getattr(user, "is_authenticated", False) and user.is_active:
            self.memberships = list(Membership.objects.filter(user=user))
        self.site_admin = bool(
            getattr(user, "is_authenticated", False)
            and user.is_active
            and (
                user.is_superuser
                or any(m.role == Membership.Role.SITE_ADMIN for m in self.memberships)
            )
        )
        self._park_ids_by_roles: dict[frozenset, frozenset[int]] = {}
        self._region_codes: frozenset[str] | None = None
        self.has_device: bool | None = None

    def park_ids(self, roles: Iterable[str]) -> frozenset[int]:
        """Parks held through any of these roles, sub-parks included."""
        key = frozenset(roles)
        if key not in self._park_ids_by_roles:
            roots = {m.park_id for m in self.memberships if m.role in key and m.park_id}
            self._park_ids_by_roles[key] = frozenset(_with_descendant_parks(roots))
        return self._park_ids_by_roles[key]

    def region_codes(self) -> frozenset[str]:
        if self._region_codes is None:
            roots = {
                m.region_id
                for m in self.memberships
                if m.role in Membership.REGION_ROLES and m.region_id
            }
            self._region_codes = frozenset(_with_descendant_regions(roots))
        return self._region_codes

    def visible_park_filter(self) -> Q | None:
        """None means everything; an empty Q match means nothing."""
        if self.site_admin:
            return None
        park_ids = self.park_ids(Membership.PARK_ROLES)
        region_codes = self.region_codes()
        return Q(pk__in=sorted(park_ids)) | Q(region_id__in=sorted(region_codes))


def _with_descendant_parks(roots: set[int]) -> set[int]:
    found = set(roots)
    frontier = set(roots)
    while frontier:
        frontier = (
            set(Park.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def _with_descendant_regions(roots: set[str]) -> set[str]:
    found = set(roots)
    frontier = set(roots)
    while frontier:
        frontier = (
            set(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def _scope(user: Any) -> _Scope:
    scope = getattr(user, _CACHE_ATTRIBUTE, None)
    if scope is None:
        scope = _Scope(user)
        if user is not None:
            with contextlib.suppress(AttributeError):  # be safe with odd user objects
                setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after memberships change (services call this)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


# --- who the user is -------------------------------------------------------------------


def is_site_admin(user: Any) -> bool:
    return _scope(user).site_admin


def is_staff_member(user: Any) -> bool:
    """Signed-in, active, and either a site admin or holding at least one role."""
    scope = _scope(user)
    return scope.site_admin or bool(scope.memberships)


def has_role(user: Any, role: str) -> bool:
    return any(m.role == role for m in _scope(user).memberships)


def otp_required_for(user: Any) -> bool:
    """Site admins must pass a TOTP second factor; others may opt in, and once they have a
    confirmed device it is required of them too (else opting in would protect nothing)."""
    scope = _scope(user)
    if scope.site_admin:
        return True
    if not scope.memberships:
        return False
    if scope.has_device is None:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        scope.has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return scope.has_device


def otp_satisfied(user: Any) -> bool:
    if not otp_required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


# --- parks -----------------------------------------------------------------------------


def parks_for_user(user: Any) -> QuerySet[Park]:
    """Parks the user may see in staff pages and the admin."""
    scope = _scope(user)
    if scope.site_admin:
        return Park.objects.all()
    if not scope.memberships:
        return Park.objects.none()
    park_filter = scope.visible_park_filter()
    assert park_filter is not None
    return Park.objects.filter(park_filter)


def visible_park_ids(user: Any) -> frozenset[int] | None:
    """Ids of visible parks; None means all parks (site admin)."""
    if _scope(user).site_admin:
        return None
    return frozenset(parks_for_user(user).values_list("pk", flat=True))


def editable_parks_for_user(user: Any) -> QuerySet[Park]:
    """Parks whose carriers and leads the user may change."""
    scope = _scope(user)
    if scope.site_admin:
        return Park.objects.all()
    return Park.objects.filter(pk__in=sorted(scope.park_ids(Membership.CONTENT_EDIT_ROLES)))


def editable_park_ids(user: Any) -> frozenset[int] | None:
    """Ids of parks whose content the user may change; None means all (site admin)."""
    scope = _scope(user)
    if scope.site_admin:
        return None
    return scope.park_ids(Membership.CONTENT_EDIT_ROLES)


def user_can_edit_park(user: Any, park: Park | int | None) -> bool:
    """May the user change objects (carriers, leads) that belong to this park?"""
    scope = _scope(user)
    if scope.site_admin:
        return True
    park_id = park.pk if isinstance(park, Park) else park
    return park_id is not None and park_id in scope.park_ids(Membership.CONTENT_EDIT_ROLES)


def profile_editable_parks_for_user(user: Any) -> QuerySet[Park]:
    """Parks whose own profile (name, policies, contacts) the user may change."""
    scope = _scope(user)
    if scope.site_admin:
        return Park.objects.all()
    return Park.objects.filter(pk__in=sorted(scope.park_ids(Membership.PROFILE_EDIT_ROLES)))


def user_can_edit_park_profile(user: Any, park: Park | int | None) -> bool:
    scope = _scope(user)
    if scope.site_admin:
        return True
    park_id = park.pk if isinstance(park, Park) else park
    return park_id is not None and park_id in scope.park_ids(Membership.PROFILE_EDIT_ROLES)


def park_for_user_or_404(user: Any, park_id: Any, *, for_change: bool = True) -> Park:
    park = _get_visible(parks_for_user(user), Park, user, park_id)
    if for_change and not user_can_edit_park_profile(user, park):
        _refuse(user, park, "change park profile")
    return park


# --- carriers --------------------------------------------------------------------------


def _scoped(
    queryset: QuerySet, user: Any, *, for_change: bool, park_field: str = "park"
) -> QuerySet:
    scope = _scope(user)
    if scope.site_admin:
        return queryset
    if not scope.memberships:
        return queryset.none()
    if for_change:
        return queryset.filter(
            **{f"{park_field}_id__in": sorted(scope.park_ids(Membership.CONTENT_EDIT_ROLES))}
        )
    return queryset.filter(**{f"{park_field}__in": parks_for_user(user)})


def carrier_queryset_for_user(user: Any, *, for_change: bool = False) -> QuerySet[Carrier]:
    """Carriers of the parks the user may see (or change, with for_change=True)."""
    from yuanqu.listings.models import Carrier

    return _scoped(Carrier.objects.all(), user, for_change=for_change)


def carrier_for_user_or_404(user: Any, carrier_id: Any, *, for_change: bool = True) -> Carrier:
    """The carrier if the user may see it (404 otherwise); PermissionDenied if for_change and
    the user may only look."""
    from yuanqu.listings.models import Carrier

    carrier = _get_visible(carrier_queryset_for_user(user), Carrier, user, carrier_id)
    if for_change and not user_can_edit_park(user, carrier.park_id):
        _refuse(user, carrier, "change carrier")
    return carrier


# --- leads -----------------------------------------------------------------------------


def lead_queryset_for_user(user: Any, *, for_change: bool = False) -> QuerySet[Lead]:
    """Leads owned by the parks the user may see; leads without a park only for site admins."""
    from yuanqu.leads.models import Lead

    return _scoped(Lead.objects.all(), user, for_change=for_change)


def lead_for_user_or_404(user: Any, lead_id: Any, *, for_change: bool = False) -> Lead:
    from yuanqu.leads.models import Lead

    lead = _get_visible(lead_queryset_for_user(user), Lead, user, lead_id)
    if for_change and not user_can_edit_park(user, lead.park_id):
        _refuse(user, lead, "change lead")
    return lead


def can_reveal_mobile(user: Any, lead: Lead) -> bool:
    """Park managers and 招商专员 of the lead's park (and site admins) may unmask its mobile."""
    scope = _scope(user)
    if scope.site_admin:
        return True
    return lead.park_id is not None and lead.park_id in scope.park_ids(Membership.REVEAL_ROLES)


def can_assign_in_park(user: Any, park: Park | int | None) -> bool:
    """Park managers of the park (and site admins) hand its leads and projects to officers."""
    scope = _scope(user)
    if scope.site_admin:
        return True
    park_id = park.pk if isinstance(park, Park) else park
    return park_id is not None and park_id in scope.park_ids(Membership.ASSIGN_ROLES)


def assignable_officers(park: Park | int) -> QuerySet:
    """Active users who may work this park's leads and projects (the owners one may pick)."""
    from django.contrib.auth import get_user_model

    park_id = park.pk if isinstance(park, Park) else park
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=sorted(Membership.CONTENT_EDIT_ROLES),
            memberships__park_id=park_id,
        )
        .distinct()
        .order_by("username")
    )


# --- workbench: projects, enterprises, analytics ---------------------------------------


def project_queryset_for_user(user: Any, *, for_change: bool = False) -> QuerySet[Project]:
    """Projects of the parks the user may see (or change, with for_change=True)."""
    from yuanqu.pipeline.models import Project

    return _scoped(Project.objects.all(), user, for_change=for_change)


def project_for_user_or_404(user: Any, project_id: Any, *, for_change: bool = False) -> Project:
    from yuanqu.pipeline.models import Project

    project = _get_visible(project_queryset_for_user(user), Project, user, project_id)
    if for_change and not user_can_edit_park(user, project.park_id):
        _refuse(user, project, "change project")
    return project


def enterprise_queryset_for_user(user: Any, *, for_change: bool = False) -> QuerySet[Enterprise]:
    from yuanqu.enterprises.models import Enterprise

    return _scoped(Enterprise.objects.all(), user, for_change=for_change)


def enterprise_for_user_or_404(
    user: Any, enterprise_id: Any, *, for_change: bool = False
) -> Enterprise:
    from yuanqu.enterprises.models import Enterprise

    enterprise = _get_visible(enterprise_queryset_for_user(user), Enterprise, user, enterprise_id)
    if for_change and not user_can_edit_park(user, enterprise.park_id):
        _refuse(user, enterprise, "change enterprise")
    return enterprise


def analytics_parks_for_user(user: Any) -> QuerySet[Park]:
    """Parks whose stage analytics the user may read: park managers their parks, leadership
    its region, site admins all. 招商专员 see none (their own figures are on their pages)."""
    scope = _scope(user)
    if scope.site_admin:
        return Park.objects.all()
    park_ids = scope.park_ids(Membership.ANALYTICS_ROLES)
    region_codes = scope.region_codes()
    if not park_ids and not region_codes:
        return Park.objects.none()
    return Park.objects.filter(Q(pk__in=sorted(park_ids)) | Q(region_id__in=sorted(region_codes)))


def can_see_analytics(user: Any) -> bool:
    scope = _scope(user)
    return (
        scope.site_admin
        or bool(scope.park_ids(Membership.ANALYTICS_ROLES))
        or bool(scope.region_codes())
    )


def is_read_only_staff(user: Any) -> bool:
    """Leadership without any park role: sees its region, changes nothing."""
    scope = _scope(user)
    return not scope.site_admin and not scope.park_ids(Membership.CONTENT_EDIT_ROLES)


# --- helpers ---------------------------------------------------------------------------


def _get_visible(queryset: QuerySet, model: type, user: Any, object_id: Any) -> Any:
    try:
        pk = int(object_id)
    except (TypeError, ValueError):
        raise Http404 from None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        if model._default_manager.filter(pk=pk).exists():  # type: ignore[attr-defined]
            # A real object of someone else's park: log the probe, answer as if absent.
            record_security_event(
                user=user,
                kind=SecurityEvent.Kind.FORBIDDEN_OBJECT,
                target=f"{model._meta.label_lower}:{pk}",  # type: ignore[attr-defined]
                detail="view",
            )
        raise Http404
    return obj


def _refuse(user: Any, obj: Any, what: str) -> None:
    record_security_event(
        user=user,
        kind=SecurityEvent.Kind.FORBIDDEN_OBJECT,
        target=f"{obj._meta.label_lower}:{obj.pk}",
        detail=what,
    )
    raise PermissionDenied(what)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front
    (nginx, a load balancer) the X-Forwarded-For entry the nearest trusted proxy saw.
    Login throttling per IP depends on it (AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def record_security_event(
    *,
    user: Any,
    kind: str,
    target: str = "",
    detail: str = "",
    request: HttpRequest | None = None,
) -> SecurityEvent:
    """Write one audit row for a refused action (never personal data: labels and ids only)."""
    return SecurityEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        target=target[:100],
        detail=detail[:300],
        path=(request.path[:300] if request is not None else ""),
        ip_address=client_ip(request),
    )


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login page; signed in without a staff role → 403; site admin without a
    verified second factor → the TOTP page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise PermissionDenied
        if not otp_satisfied(user):
            return redirect(f"{reverse('accounts:otp')}?next={request.path}")
        return view(request, *args, **kwargs)

    wrapper.yuanqu_gate = "staff"  # type: ignore[attr-defined]  # found by the URL matrix test
    return wrapper


# Who sees park-scoped registry data (the enterprise registry, the chain maps built on it).
REGISTRY_READER_ROLES = Membership.PARK_ROLES | Membership.REGION_ROLES


def may_read_registry(user: Any) -> bool:
    """Site admins and park or region roles; editors see no park-scoped data."""
    return is_site_admin(user) or any(has_role(user, role) for role in REGISTRY_READER_ROLES)


def registry_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """staff_required, and a park or region role (may_read_registry)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read_registry(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def site_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like staff_required, but only site admins pass."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_site_admin(user):
            raise PermissionDenied
        if not otp_satisfied(user):
            return redirect(f"{reverse('accounts:otp')}?next={request.path}")
        return view(request, *args, **kwargs)

    wrapper.yuanqu_gate = "site_admin"  # type: ignore[attr-defined]
    return wrapper
