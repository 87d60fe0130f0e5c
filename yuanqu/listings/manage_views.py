"""Staff pages under /carriers/manage/: park staff keep the carriers of their own park true."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from yuanqu.accounts.gates import (
    carrier_for_user_or_404,
    carrier_queryset_for_user,
    editable_parks_for_user,
    staff_required,
)
from yuanqu.listings import importing, photos, services
from yuanqu.listings.forms import CarrierForm, ImportForm, PasteAdForm, PhotoUploadForm
from yuanqu.listings.models import Carrier, CarrierPhoto
from yuanqu.listings.selectors import carrier_likely_duplicates

MANAGE_PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@staff_required
def manage_list(request: HtmxHttpRequest) -> HttpResponse:
    """The user's carriers, least recently confirmed first (the ones that need a click)."""
    queryset = (
        carrier_queryset_for_user(request.user, for_change=True)
        .select_related("park")
        .order_by(F("confirmed_at").asc(nulls_first=True), "-id")
    )
    page = Paginator(queryset, MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "listings/manage_list.html", {"carriers": page, "page": page})


def _ad_initial(text: str) -> tuple[dict[str, Any], str]:
    """Form values read from a pasted ad, and a notice for the staff member."""
    from yuanqu.matching.parsing import parse_text  # lazy: loads the place dictionary

    parsed = parse_text(text, as_="ad")
    initial: dict[str, Any] = {"description": text[:2000]}
    if parsed.kind:
        initial["kind"] = parsed.kind
    if parsed.deal:
        initial["deal"] = parsed.deal
    area = parsed.area_min_m2 or parsed.area_max_m2
    if area:
        initial["land_area_m2" if parsed.kind == Carrier.Kind.LAND else "building_area_m2"] = area
    for source, target in (
        ("height_m", "height_m"),
        ("load_t_m2", "floor_load_t_m2"),
        ("power_kva", "power_available_kva"),
        ("crane_t", "crane_t"),
    ):
        value = getattr(parsed, source, None)
        if value is not None:
            initial[target] = int(value) if target == "power_available_kva" else value
    if parsed.independent_yard:
        initial["independent_yard"] = True
    if parsed.eia_ok:
        initial["eia_ok"] = True
    if parsed.price_negotiable:
        initial["price_negotiable"] = True
    else:
        initial.update(_ad_price(parsed))
    if getattr(parsed, "park_ids", None):
        initial["park"] = parsed.park_ids[0]
    if parsed.kind and parsed.deal:
        # A suggested title ("5000㎡厂房出租"); staff usually add the park or the road.
        size = f"{int(area)}㎡" if area and parsed.kind != Carrier.Kind.LAND else ""
        initial["title"] = (
            f"{size}{Carrier.Kind(parsed.kind).label}{Carrier.Deal(parsed.deal).label}"
        )
    filled = len(initial) - 1
    return initial, f"已从粘贴内容识别 {filled} 项,请逐项核对后保存。"


def _ad_price(parsed: Any) -> dict[str, Any]:
    """The price as the ad quoted it when the unit is known, else the parser's normalised one."""
    unit = parsed.price_unit or ""
    if parsed.price_value is not None and unit in Carrier.PriceUnit.values:
        return {"price_value": parsed.price_value, "price_unit": unit}
    if parsed.price_yuan_m2_month is not None:
        if "天" in unit and parsed.price_value is not None:
            return {"price_value": parsed.price_value, "price_unit": Carrier.PriceUnit.YUAN_M2_DAY}
        return {
            "price_value": parsed.price_yuan_m2_month,
            "price_unit": Carrier.PriceUnit.YUAN_M2_MONTH,
        }
    if parsed.price_wan_per_mu is not None:
        return {"price_value": parsed.price_wan_per_mu, "price_unit": Carrier.PriceUnit.WAN_PER_MU}
    if parsed.price_wan_total is not None:
        return {"price_value": parsed.price_wan_total, "price_unit": Carrier.PriceUnit.WAN_TOTAL}
    return {}


def _save_errors(form: CarrierForm, error: ValidationError) -> None:
    for field_name, field_messages in error.message_dict.items():
        form.add_error(field_name if field_name in form.fields else None, field_messages)


@require_http_methods(["GET", "POST"])
@staff_required
def manage_create(request: HtmxHttpRequest) -> HttpResponse:
    parks = editable_parks_for_user(request.user)
    paste_form = PasteAdForm(request.POST if "paste" in request.POST else None)
    duplicates: list[Carrier] = []
    if request.method == "POST" and "paste" in request.POST:
        initial: dict[str, Any] = {}
        if paste_form.is_valid():
            initial, notice = _ad_initial(paste_form.cleaned_data["text"])
            messages.info(request, notice)
        form = CarrierForm(initial=initial, parks=parks)
    elif request.method == "POST":
        form = CarrierForm(request.POST, parks=parks)
        if form.is_valid():
            park = form.cleaned_data["park"]
            values = form.values()
            area = services.carrier_search_area(values=values)
            duplicates = carrier_likely_duplicates(
                park_id=park.pk, address=values.get("address") or "", area_m2=area
            )
            if duplicates and not request.POST.get("confirm_duplicate"):
                messages.warning(
                    request,
                    "可能与已有载体重复(同园区、地址相近、面积相差 5% 以内),"
                    "确认不是同一处后勾选“仍要保存”。",
                )
            else:
                try:
                    carrier = services.carrier_create(
                        park=park,
                        values=values,
                        owner=request.user,
                        publish=bool(request.POST.get("publish")),
                    )
                except ValidationError as error:
                    _save_errors(form, error)
                else:
                    messages.success(request, "载体已保存。")
                    return redirect("listings:manage_edit", carrier_id=carrier.pk)
    else:
        form = CarrierForm(parks=parks)
    return render(
        request,
        "listings/manage_form.html",
        {"form": form, "paste_form": paste_form, "duplicates": duplicates, "carrier": None},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def manage_edit(request: HtmxHttpRequest, carrier_id: int) -> HttpResponse:
    carrier = carrier_for_user_or_404(request.user, carrier_id)
    parks = editable_parks_for_user(request.user)
    form = CarrierForm(request.POST or None, instance=carrier, parks=parks)
    duplicates: list[Carrier] = []
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            if form.cleaned_data["park"].pk != carrier.park_id:
                carrier.park = form.cleaned_data["park"]
                carrier.region_id = carrier.park.region_id
            services.carrier_update(carrier=carrier, values=values)
        except ValidationError as error:
            _save_errors(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("listings:manage_edit", carrier_id=carrier.pk)
    return render(
        request,
        "listings/manage_form.html",
        {
            "form": form,
            "paste_form": None,
            "duplicates": duplicates,
            "carrier": carrier,
            "photo_form": PhotoUploadForm(),
        },
    )


@require_POST
@staff_required
def manage_confirm(request: HtmxHttpRequest, carrier_id: int) -> HttpResponse:
    """One click: "仍可租售" (still available) resets the freshness clock."""
    carrier = carrier_for_user_or_404(request.user, carrier_id)
    services.carrier_confirm(carrier=carrier)
    if request.htmx:
        return render(request, "listings/manage_confirmed.html", {"carrier": carrier})
    messages.success(request, f"已确认“{carrier.title}”仍可租售。")
    return redirect("listings:manage_list")


@require_POST
@staff_required
def manage_publish(request: HtmxHttpRequest, carrier_id: int) -> HttpResponse:
    carrier = carrier_for_user_or_404(request.user, carrier_id)
    services.carrier_publish(carrier=carrier)
    messages.success(request, "已发布。")
    return redirect("listings:manage_edit", carrier_id=carrier.pk)


@require_POST
@staff_required
def manage_withdraw(request: HtmxHttpRequest, carrier_id: int) -> HttpResponse:
    carrier = carrier_for_user_or_404(request.user, carrier_id)
    status = request.POST.get("status") or Carrier.Status.WITHDRAWN
    try:
        services.carrier_withdraw(carrier=carrier, status=status)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, "已下架。")
    return redirect("listings:manage_edit", carrier_id=carrier.pk)


@require_POST
@staff_required
def manage_photo_upload(request: HtmxHttpRequest, carrier_id: int) -> HttpResponse:
    carrier = carrier_for_user_or_404(request.user, carrier_id)
    form = PhotoUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.carrier_photo_add(
                carrier=carrier,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, "图片已上传。")
    else:
        messages.error(request, "请选择要上传的图片。")
    return redirect("listings:manage_edit", carrier_id=carrier.pk)


@require_POST
@staff_required
def manage_photo_delete(request: HtmxHttpRequest, carrier_id: int, photo_id: int) -> HttpResponse:
    carrier = carrier_for_user_or_404(request.user, carrier_id)
    photo = get_object_or_404(CarrierPhoto, pk=photo_id, carrier=carrier)
    photos.carrier_photo_delete(photo=photo)
    messages.success(request, "图片已删除。")
    return redirect("listings:manage_edit", carrier_id=carrier.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def manage_import(request: HtmxHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = importing.carriers_import_excel(
            upload=form.cleaned_data["file"],
            parks=editable_parks_for_user(request.user),
            owner=request.user,
            publish=bool(request.POST.get("publish")),
        )
        if report.ok:
            messages.success(request, f"已导入 {len(report.created)} 个载体。")
            return redirect("listings:manage_list")
    return render(request, "listings/manage_import.html", {"form": form, "report": report})


@require_GET
@staff_required
def manage_import_template(request: HtmxHttpRequest) -> HttpResponse:
    response = HttpResponse(
        importing.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="carriers-template.xlsx"'
    return response
