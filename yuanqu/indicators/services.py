"""Every write of indicator values and targets: imports (all-or-nothing, idempotent) and the
single-figure upserts the API uses. Each change leaves a Revision row (who, when, old, new)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yuanqu.indicators import importing
from yuanqu.indicators.importing import CellError, TargetRow, ValueRow
from yuanqu.indicators.models import ImportBatch, Indicator, IndicatorValue, Revision, Target
from yuanqu.parks.models import Park

MAX_LISTED_CHANGES = 200


@dataclass
class ImportReport:
    errors: list[CellError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    targets_created: int = 0
    targets_updated: int = 0
    targets_unchanged: int = 0
    changes: list[str] = field(default_factory=list)  # the first MAX_LISTED_CHANGES, readable
    months: list[tuple[int, int]] = field(default_factory=list)
    layout: str = ""
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.targets_created + self.targets_updated

    def summary(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "targets_created": self.targets_created,
            "targets_updated": self.targets_updated,
            "targets_unchanged": self.targets_unchanged,
            "months": [f"{year}-{month:02d}" for year, month in self.months],
        }

    def lines(self) -> list[str]:
        """The report as text lines (the command prints them; the page shows them)."""
        if self.errors:
            return [_("未导入任何数据,共 %d 处问题:") % len(self.errors)] + [
                str(error) for error in self.errors
            ]
        return [
            _(
                "月度值:新增 %(created)d,修改 %(updated)d,未变 %(unchanged)d;"
                "年度目标:新增 %(targets_created)d,修改 %(targets_updated)d,"
                "未变 %(targets_unchanged)d。"
            )
            % self.summary(),
            *self.changes,
        ]


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.compare(b) == 0


def _quantised(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else value.quantize(Decimal(1).scaleb(-places))


def import_workbook(
    *,
    upload: Any,
    actor: Any,
    source: str,
    filename: str = "",
    allowed_park_ids: frozenset[int] | None = None,
) -> ImportReport:
    """Read and apply a workbook. Nothing is written when any cell is wrong. Rows of parks
    outside ``allowed_park_ids`` (None: all parks and the city row) are refused."""
    content = upload.read() if hasattr(upload, "read") else bytes(upload)
    buffer = io.BytesIO(content)
    buffer.size = len(content)  # type: ignore[attr-defined]  # read by the size check
    parsed = importing.read_upload(buffer)
    report = ImportReport(months=parsed.months, layout=parsed.layout)
    report.errors = list(parsed.errors)
    if allowed_park_ids is not None:
        report.errors.extend(_out_of_scope(parsed.values, parsed.targets, allowed_park_ids))
    if report.errors:
        return report
    return apply_rows(
        values=parsed.values,
        targets=parsed.targets,
        actor=actor,
        source=source,
        filename=filename,
        sha256=hashlib.sha256(content).hexdigest(),
        layout=parsed.layout,
        report=report,
    )


def import_records(
    *,
    records: Sequence[Mapping[str, Any]],
    actor: Any,
    allowed_park_ids: frozenset[int] | None = None,
) -> ImportReport:
    """The API's bulk upsert: records checked by the workbook's rules, then applied
    exactly as an upload is (all-or-nothing, idempotent, a Revision per change)."""
    parsed = importing.read_records(
        records,
        indicators=Indicator.objects.filter(is_active=True),
        park_ids=Park.objects.values_list("pk", flat=True),
    )
    report = ImportReport(months=parsed.months, layout=parsed.layout)
    report.errors = list(parsed.errors)
    if allowed_park_ids is not None:
        report.errors.extend(_out_of_scope(parsed.values, (), allowed_park_ids))
    if report.errors:
        return report
    canonical = json.dumps(list(records), sort_keys=True, default=str, ensure_ascii=False)
    return apply_rows(
        values=parsed.values,
        actor=actor,
        source=ImportBatch.Source.API,
        sha256=hashlib.sha256(canonical.encode()).hexdigest(),
        layout=parsed.layout,
        report=report,
    )


def _out_of_scope(
    values: Iterable[ValueRow], targets: Iterable[TargetRow], allowed: frozenset[int]
) -> list[CellError]:
    errors = []
    seen: set[str] = set()
    rows: list[ValueRow | TargetRow] = [*values, *targets]
    for row in rows:
        if row.park_id not in allowed:
            where = row.where.split("!")[0]
            key = f"{where}:{row.park_id}"
            if key in seen:
                continue
            seen.add(key)
            errors.append(
                CellError(
                    row.where,
                    _("无权导入全市数据") if row.park_id is None else _("无权导入其他园区的数据"),
                )
            )
    return errors


def apply_rows(
    *,
    values: Sequence[ValueRow],
    targets: Sequence[TargetRow] = (),
    actor: Any,
    source: str,
    filename: str = "",
    sha256: str = "",
    layout: str = "",
    report: ImportReport | None = None,
    is_sample: bool = False,
) -> ImportReport:
    """Upsert checked rows in one transaction; the same rows twice change nothing."""
    report = report or ImportReport()
    indicators = {indicator.pk: indicator for indicator in Indicator.objects.all()}
    with transaction.atomic():
        existing = _existing_values(values)
        report.errors.extend(_falls_against_stored(values, existing, indicators))
        if report.errors:
            transaction.set_rollback(True)
            return report
        batch = ImportBatch(
            source=source,
            filename=filename[:200],
            sha256=sha256,
            layout=layout,
            user=actor if getattr(actor, "is_authenticated", False) else None,
        )
        new_values: list[IndicatorValue] = []
        changed_values: list[IndicatorValue] = []
        revisions: list[Revision] = []
        for row in values:
            indicator = indicators[row.indicator_id]
            value = _quantised(row.value, 4)
            yoy = _quantised(row.yoy_pct, 2)
            key = (row.park_id, row.indicator_id, row.year, row.month)
            stored = existing.get(key)
            if stored is None:
                new_values.append(
                    IndicatorValue(
                        park_id=row.park_id, indicator_id=row.indicator_id, year=row.year,
                        month=row.month, value=value, yoy_pct=yoy, is_sample=is_sample,
                    )
                )  # fmt: skip
                report.created += 1
                changes: list[tuple[str, Decimal | None, Decimal | None]] = [
                    (Revision.Field.VALUE, None, value),
                    (Revision.Field.YOY, None, yoy),
                ]
            else:
                # A blank cell means "not given": it never erases a stored figure.
                changes = []
                if value is not None and not _same(stored.value, value):
                    changes.append((Revision.Field.VALUE, stored.value, value))
                    stored.value = value
                if yoy is not None and not _same(stored.yoy_pct, yoy):
                    changes.append((Revision.Field.YOY, stored.yoy_pct, yoy))
                    stored.yoy_pct = yoy
                if not changes:
                    report.unchanged += 1
                    continue
                changed_values.append(stored)
                report.updated += 1
            for field_name, old, new in changes:
                if old is None and new is None:
                    continue
                revisions.append(
                    Revision(
                        park_id=row.park_id, indicator_id=row.indicator_id, year=row.year,
                        month=row.month, field=field_name, old=_text(old), new=_text(new),
                        user=batch.user,
                    )
                )  # fmt: skip
                if len(report.changes) < MAX_LISTED_CHANGES and stored is not None:
                    report.changes.append(
                        f"{row.where} {indicator.name} {row.year}年{row.month}月 "
                        f"{Revision.Field(field_name).label}:{_text(old) or '—'} → {_text(new)}"
                    )
        target_changes = _apply_targets(targets, report, revisions, batch.user, is_sample)
        if not report.changed:
            return report
        batch.summary = report.summary()
        batch.save()
        for value_row in new_values:
            value_row.batch = batch
        for value_row in changed_values:
            value_row.batch = batch
        for revision in revisions:
            revision.batch = batch
        IndicatorValue.objects.bulk_create(new_values, batch_size=2000)
        IndicatorValue.objects.bulk_update(
            changed_values, ["value", "yoy_pct", "batch"], batch_size=2000
        )
        for target in target_changes:
            target.save()
        Revision.objects.bulk_create(revisions, batch_size=2000)
        report.batch = batch
    return report


def _existing_values(
    values: Sequence[ValueRow],
) -> dict[tuple[int | None, int, int, int], IndicatorValue]:
    """Stored values of the workbook's months and of the month before each (for the
    cumulative check), keyed (park, indicator, year, month)."""
    months: set[tuple[int, int]] = set()
    for row in values:
        months.add((row.year, row.month))
        if row.month > 1:
            months.add((row.year, row.month - 1))
        if row.month < 12:
            months.add((row.year, row.month + 1))
    stored: dict[tuple[int | None, int, int, int], IndicatorValue] = {}
    years = sorted({year for year, _month in months})
    if not years:
        return stored
    for value in IndicatorValue.objects.filter(year__in=years).select_for_update():
        if (value.year, value.month) in months:
            stored[(value.park_id, value.indicator_id, value.year, value.month)] = value
    return stored


def _falls_against_stored(
    values: Sequence[ValueRow],
    stored: dict[tuple[int | None, int, int, int], IndicatorValue],
    indicators: dict[int, Indicator],
) -> list[CellError]:
    """A cumulative value below the stored previous month (or above the stored next month)
    of the same year, where the workbook does not bring that month too."""
    incoming = {(row.park_id, row.indicator_id, row.year, row.month) for row in values}
    errors = []
    for row in values:
        indicator = indicators[row.indicator_id]
        if row.value is None or indicator.kind != Indicator.Kind.CUMULATIVE:
            continue
        before = (row.park_id, row.indicator_id, row.year, row.month - 1)
        after = (row.park_id, row.indicator_id, row.year, row.month + 1)
        previous = stored.get(before)
        if (
            row.month > 1
            and before not in incoming
            and previous is not None
            and previous.value is not None
            and row.value < previous.value
        ):
            errors.append(
                CellError(row.where, importing.falling_message(previous.value, _("已存数据")))
            )
        following = stored.get(after)
        if (
            row.month < 12
            and after not in incoming
            and following is not None
            and following.value is not None
            and row.value > following.value
        ):
            errors.append(
                CellError(
                    row.where,
                    _("累计值高于已存的下月数(%s),1–N月累计数只能增加") % _text(following.value),
                )
            )
    return errors


def _apply_targets(
    targets: Sequence[TargetRow],
    report: ImportReport,
    revisions: list[Revision],
    user: Any,
    is_sample: bool,
) -> list[Target]:
    if not targets:
        return []
    years = sorted({row.year for row in targets})
    stored = {
        (target.park_id, target.indicator_id, target.year): target
        for target in Target.objects.filter(year__in=years).select_for_update()
    }
    to_save = []
    for row in targets:
        value = _quantised(row.value, 4)
        assert value is not None
        target = stored.get((row.park_id, row.indicator_id, row.year))
        changes: list[tuple[str, str, str]] = []
        if target is None:
            target = Target(
                park_id=row.park_id, indicator_id=row.indicator_id, year=row.year,
                kind=row.kind, value=value, is_sample=is_sample,
            )  # fmt: skip
            report.targets_created += 1
            changes.append((Revision.Field.TARGET, "", f"{row.kind}:{_text(value)}"))
        else:
            if target.kind != row.kind:
                changes.append((Revision.Field.TARGET_KIND, target.kind, row.kind))
                target.kind = row.kind
            if not _same(target.value, value):
                changes.append((Revision.Field.TARGET, _text(target.value), _text(value)))
                target.value = value
            if not changes:
                report.targets_unchanged += 1
                continue
            report.targets_updated += 1
            if len(report.changes) < MAX_LISTED_CHANGES:
                report.changes.append(
                    f"{row.where} {row.year}年目标:"
                    + ";".join(f"{old} → {new}" for _field, old, new in changes)
                )
        to_save.append(target)
        for field_name, old, new in changes:
            revisions.append(
                Revision(
                    park_id=row.park_id, indicator_id=row.indicator_id, year=row.year,
                    field=field_name, old=old[:40], new=new[:40], user=user,
                )
            )  # fmt: skip
    return to_save
