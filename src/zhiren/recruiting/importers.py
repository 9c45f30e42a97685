"""``zhiren import candidates FILE``: candidates from a job site's or an agency's export
(CSV/XLSX, any encoding, Chinese or English headers).

The phone number is the key: a row whose phone is already known updates that candidate
(the same file imported twice writes nothing the second time) and never makes a second
one. A new row whose ID number belongs to an earlier candidate is imported and flagged
(``duplicate_of``) for the recruiter to look at.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiren.imports.cells import (
    as_text,
    choice,
    choice_lookup,
    choices_with_aliases,
    date_value,
    normalize_token,
    text,
)
from zhiren.imports.errors import CellError
from zhiren.imports.registry import register_import
from zhiren.imports.spec import Column, ImportContext, ImportSpec
from zhiren.org.models import Site

from .models import Candidate, Source
from .scope import RECRUITER_ROLES, recruiter_sites
from .services import normalise_phone

SOURCE_ALIASES = {
    Source.CAMPUS: ["校园", "校招", "校园招聘", "学校", "campus"],
    Source.REFERRAL: ["内推", "推荐", "员工推荐", "转介绍", "referral"],
    Source.JOB_SITE: [
        "招聘网站",
        "网招",
        "网络招聘",
        "前程无忧",
        "智联",
        "BOSS直聘",
        "58同城",
        "job site",
    ],
    Source.AGENCY: ["中介", "劳务派遣", "猎头", "外包", "agency"],
    Source.LABOUR_MARKET: ["劳务市场", "人才市场", "招聘会", "labour market", "job fair"],
    Source.WALK_IN: ["现场", "自荐", "上门", "walk-in"],
    Source.INTERNAL: ["内部", "内部转岗", "转岗", "internal"],
}


def parse_phone(value: Any, context: ImportContext) -> str:
    phone = normalise_phone(as_text(value))
    if not 7 <= len(phone) <= 15:
        raise CellError(_("“%(value)s” is not a phone number.") % {"value": as_text(value)})
    return phone


def parse_id_number(value: Any, context: ImportContext) -> str:
    raw = as_text(value).strip().upper()
    if len(raw) != 18 or not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise CellError(_("“%(value)s” is not an 18-character ID number.") % {"value": raw})
    return raw


def parse_site(value: Any, context: ImportContext) -> Site:
    token = normalize_token(as_text(value))
    site = context.cache["sites"].get(token)
    if site is None:
        raise CellError(
            _("Unknown site “%(site)s”, or not a site you recruit for.") % {"site": as_text(value)}
        )
    return site


def parse_yes(value: Any, context: ImportContext) -> bool:
    token = normalize_token(as_text(value))
    if token in ("是", "同意", "yes", "y", "1", "true", "√"):
        return True
    if token in ("否", "不同意", "no", "n", "0", "false", ""):
        return False
    raise CellError(_("Write yes or no (是/否)."))


COLUMNS = (
    Column(
        "phone",
        _("Phone"),
        ("手机", "手机号", "手机号码", "电话", "联系电话", "Phone", "Mobile"),
        required=True,
        parse=parse_phone,
    ),
    Column(
        "name",
        _("Name"),
        ("姓名", "名字", "候选人", "Name"),
        required=True,
        parse=text(max_length=60),
    ),
    Column(
        "site",
        _("Site"),
        ("站点", "职场", "基地", "Site"),
        required=True,
        parse=parse_site,
        display=lambda site: "" if site is None else str(site),
    ),
    Column(
        "source",
        _("Channel"),
        ("渠道", "来源", "招聘渠道", "简历来源", "Channel", "Source"),
        required=True,
        parse=choice(lambda: choice_lookup(choices_with_aliases(Source, SOURCE_ALIASES))),
    ),
    Column(
        "source_detail",
        _("Channel detail"),
        ("渠道说明", "学校", "推荐人", "中介名称", "Channel detail"),
        parse=text(max_length=60),
        blank_value="",
    ),
    Column(
        "id_number",
        _("ID number"),
        ("身份证", "身份证号", "身份证号码", "ID number"),
        parse=parse_id_number,
        blank_value="",
    ),
    Column(
        "email",
        _("E-mail"),
        ("邮箱", "电子邮箱", "Email", "E-mail"),
        parse=text(max_length=254),
        blank_value="",
    ),
    Column(
        "applied_on",
        _("Applied on"),
        ("投递日期", "应聘日期", "报名日期", "日期", "Applied on", "Date"),
        required=True,
        parse=date_value(2000, 2100),
    ),
    Column(
        "talent_pool",
        _("Talent pool"),
        ("人才库", "同意进入人才库", "Talent pool"),
        parse=parse_yes,
        blank_value=False,
    ),
)


class CandidateImport(ImportSpec):
    kind = "candidates"
    label = _("candidates")
    model = Candidate
    key = "phone"
    columns = COLUMNS
    ignored_headers = ("序号", "备注", "No.", "Note")

    def may_import(self, access) -> bool:
        return access.has_role(*RECRUITER_ROLES)

    def prepare(self, context: ImportContext) -> None:
        sites = Site.objects.all() if context.is_system else recruiter_sites(context.user)
        found: dict[str, Site] = {}
        for site in sites:
            found[normalize_token(site.code)] = site
            found[normalize_token(site.name)] = site
        context.cache["sites"] = found
        context.cache["site_ids"] = {site.pk for site in found.values()}
        context.cache["ids"] = dict(
            Candidate.objects.filter(purged_at__isnull=True)
            .exclude(id_number="")
            .order_by("-pk")
            .values_list("id_number", "pk")
        )

    def existing_queryset(self, context: ImportContext):
        return Candidate.objects.filter(purged_at__isnull=True)

    def check_existing(self, obj, values, context):
        if not context.is_system and obj.site_id not in context.cache["site_ids"]:
            yield (
                "phone",
                _("This phone number belongs to a candidate of a site you do not recruit for."),
            )

    def current_value(self, obj, column):
        if column.key == "site":
            return obj.site
        return getattr(obj, column.target)

    def build(self, values: dict[str, Any], context: ImportContext) -> Candidate:
        id_number = values.get("id_number") or ""
        return Candidate(
            site=values["site"],
            phone=values["phone"],
            name=values["name"],
            source=values["source"],
            source_detail=values.get("source_detail") or "",
            id_number=id_number,
            email=values.get("email") or "",
            applied_on=values["applied_on"],
            talent_pool=bool(values.get("talent_pool")),
            duplicate_of_id=context.cache["ids"].get(id_number) if id_number else None,
            recruiter=None if context.is_system else context.user,
            stage_changed_at=timezone.now(),
        )

    def apply(self, obj, changes, context):
        for key, value in changes.items():
            setattr(obj, self.column(key).target, value)

    def update_fields(self, changed_keys):
        return [self.column(k).target for k in changed_keys]


register_import(CandidateImport())
