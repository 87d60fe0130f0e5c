"""The Django admin obeys the same scoping as the staff pages.

Usage::

    @admin.register(Carrier)
    class CarrierAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
        park_field = "park"          # the ForeignKey to Park on the model

    @admin.register(Park)
    class ParkAdmin(ParkScopedAdminMixin, admin.ModelAdmin):
        park_field = None            # the object is the park itself

Lists show only the objects of parks the user may see; change pages of other parks' objects
answer 404; the park drop-down offers only parks the user may edit; a POST naming another
park (a tampered hidden field or a forged form) is refused with a message, changes nothing and
writes a SecurityEvent row. Leadership sees read-only pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from yuanqu.accounts import gates
from yuanqu.accounts.models import SecurityEvent


class ParkScopedAdminMixin:
    """Mix into a ModelAdmin (before admin.ModelAdmin) of a model with a ForeignKey to Park."""

    park_field: str | None = "park"

    # --- scoping helpers ----------------------------------------------------------------

    def _is_park_model(self) -> bool:
        return self.park_field is None

    def _park_id_of(self, obj: Any) -> int | None:
        if self._is_park_model():
            return obj.pk
        return getattr(obj, f"{self.park_field}_id", None)

    def _can_edit_obj(self, user: Any, obj: Any) -> bool:
        if self._is_park_model():
            return gates.user_can_edit_park_profile(user, obj.pk)
        return gates.user_can_edit_park(user, self._park_id_of(obj))

    def _can_edit_anything(self, user: Any) -> bool:
        if gates.is_site_admin(user):
            return True
        if self._is_park_model():
            return gates.profile_editable_parks_for_user(user).exists()
        return bool(gates.editable_park_ids(user))

    def _visible(self, user: Any, obj: Any) -> bool:
        visible = gates.visible_park_ids(user)
        return visible is None or self._park_id_of(obj) in visible

    # --- ModelAdmin hooks ---------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        user = request.user
        if gates.is_site_admin(user):
            return queryset
        if not gates.is_staff_member(user):
            return queryset.none()
        parks = gates.parks_for_user(user)
        if self._is_park_model():
            return queryset.filter(pk__in=parks)
        return queryset.filter(**{f"{self.park_field}__in": parks})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff and gates.is_staff_member(user)):
            return False
        if gates.is_site_admin(user):
            return True
        if obj is None:
            return gates.parks_for_user(user).exists()
        return self._visible(user, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff and gates.is_staff_member(user)):
            return False
        if obj is None:
            return self._can_edit_anything(user)
        return self._can_edit_obj(user, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff and gates.is_staff_member(user)):
            return False
        if self._is_park_model():
            # Creating a park is a site-wide decision.
            return gates.is_site_admin(user)
        return self._can_edit_anything(user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        if self._is_park_model():
            return gates.is_site_admin(user)
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if self.park_field and db_field.name == self.park_field:
            kwargs["queryset"] = gates.editable_parks_for_user(request.user)
        elif (
            self._is_park_model()
            and db_field.name == "parent"
            and not gates.is_site_admin(request.user)
        ):
            kwargs["queryset"] = gates.profile_editable_parks_for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        if object_id is not None:
            self._refuse_hidden_object(request, object_id)
        if request.method == "POST":
            refused = self._refuse_tampered_post(request, object_id)
            if refused is not None:
                return refused
        return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._refuse_hidden_object(request, object_id)
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        self._refuse_hidden_object(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def _refuse_hidden_object(self, request: HttpRequest, object_id: str) -> None:
        """404 for an object outside the user's scope, logged when it exists.

        Runs before the admin opens its transaction, so the log row survives the 404.
        """
        if self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)  # type: ignore[attr-defined]

    def _refuse_tampered_post(
        self, request: HttpRequest, object_id: str | None
    ) -> HttpResponse | None:
        user = request.user
        label = self.model._meta.label_lower  # type: ignore[attr-defined]
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
            if obj is None:
                return None  # unreachable: _refuse_hidden_object answered 404 already
            if not self.has_change_permission(request, obj):
                gates.record_security_event(
                    user=user,
                    kind=SecurityEvent.Kind.FORBIDDEN_OBJECT,
                    target=f"{label}:{obj.pk}",
                    detail="admin change without permission",
                    request=request,
                )
                raise PermissionDenied
        # The park a record belongs to (or, for a park, the park it hangs under) decides who
        # sees it: a value outside the user's parks is tampering, not a typo.
        field_name = self.park_field or "parent"
        allowed = gates.user_can_edit_park if self.park_field else gates.user_can_edit_park_profile
        raw = request.POST.get(field_name, "")
        current = getattr(obj, f"{field_name}_id", None) if obj is not None else None
        unchanged = current is not None and raw == str(current)
        if raw and not unchanged and not self._park_value_allowed(user, raw, allowed):
            gates.record_security_event(
                user=user,
                kind=SecurityEvent.Kind.TAMPERED_FIELD,
                target=f"{label}:{object_id or 'new'}",
                detail=f"{field_name}={raw[:50]}",
                request=request,
            )
            messages.error(request, _("您无权把记录归到该园区,本次提交未作任何修改。"))
            return HttpResponseRedirect(request.get_full_path())
        return None

    @staticmethod
    def _park_value_allowed(user: Any, raw: str, allowed: Any) -> bool:
        try:
            park_id = int(raw)
        except ValueError:
            return False
        return bool(allowed(user, park_id))

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django redirects to the admin index with "does not exist"; answer 404 instead, and log
        # the probe when the object does exist in another park.
        try:
            exists = self.model._default_manager.filter(pk=unquote(object_id)).exists()  # type: ignore[attr-defined]
        except (ValueError, TypeError):
            exists = False
        if exists:
            gates.record_security_event(
                user=request.user,
                kind=SecurityEvent.Kind.FORBIDDEN_OBJECT,
                target=f"{opts.label_lower}:{object_id[:40]}",
                detail="admin",
                request=request,
            )
        raise Http404
