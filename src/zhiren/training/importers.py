"""``zhiren import quiz-items FILE``: questions for a site's item bank (题库), CSV/XLSX in any encoding.

One row per question: its number (题号, the key: importing the same file again changes
nothing, a changed row updates the question), the site's code, the stem, two to four options
(选项A–D), the keyed answer as a letter (答案: A–D), and optionally the topic and the QA
criterion it tests. Trainers, site managers and administrators import for the sites their
role covers; a question number used at another site is refused.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiren.imports.cells import as_text, choice, choice_lookup, choices_with_aliases, text
from zhiren.imports.errors import CellError
from zhiren.imports.registry import register_import
from zhiren.imports.spec import Column, ImportContext, ImportSpec
from zhiren.org.models import Site

from .models import LETTERS, Item, Topic
from .selectors import TRAINING_ROLES, training_sites


def parse_site(value: Any, context: ImportContext) -> int:
    raw = as_text(value)
    found = context.cache["sites"].get(raw.lower())
    if found is None:
        raise CellError(
            _("Unknown site “%(value)s”, or one you may not import for.") % {"value": raw}
        )
    return found


def parse_answer(value: Any, context: ImportContext) -> int:
    raw = as_text(value).strip().upper()
    if len(raw) == 1 and raw in LETTERS:
        return LETTERS.index(raw)
    if raw.isdigit() and 1 <= int(raw) <= len(LETTERS):
        return int(raw) - 1
    raise CellError(_("The answer is a letter from A to D."))


OPTION = text(max_length=500)

COLUMNS = (
    Column(
        "code",
        _("Question number"),
        ("题号", "试题编号", "编号", "Code", "Item code", "No"),
        required=True,
        parse=text(max_length=40),
    ),
    Column(
        "site",
        _("Site"),
        ("站点", "站点代码", "Site code"),
        required=True,
        parse=parse_site,
        attr="site_id",
    ),
    Column(
        "stem",
        _("Question"),
        ("题目", "题干", "问题", "试题", "Stem"),
        required=True,
        parse=text(max_length=2000),
    ),
    Column("choice_a", _("Option A"), ("选项A", "A", "Choice A"), required=True, parse=OPTION),
    Column("choice_b", _("Option B"), ("选项B", "B", "Choice B"), required=True, parse=OPTION),
    Column("choice_c", _("Option C"), ("选项C", "C", "Choice C"), parse=OPTION, blank_value=""),
    Column("choice_d", _("Option D"), ("选项D", "D", "Choice D"), parse=OPTION, blank_value=""),
    Column(
        "answer",
        _("Answer"),
        ("答案", "正确答案", "标准答案", "Key"),
        required=True,
        parse=parse_answer,
        attr="key",
    ),
    Column(
        "topic",
        _("Topic"),
        ("类别", "知识类别", "类型", "Category"),
        parse=choice(
            lambda: choice_lookup(
                choices_with_aliases(
                    Topic,
                    {
                        Topic.PRODUCT: ["产品", "业务知识"],
                        Topic.SYSTEMS: ["系统"],
                        Topic.SOFT_SKILLS: ["素质", "服务技巧"],
                        Topic.COMPLIANCE: ["合规要求"],
                    },
                )
            )
        ),
        blank_value=Topic.PRODUCT,
    ),
    Column(
        "criterion_key",
        _("QA criterion"),
        ("质检项", "对应质检项", "Criterion"),
        parse=text(max_length=40),
        blank_value="",
    ),
)


class QuizItemImport(ImportSpec):
    kind = "quiz-items"
    label = _("quiz items")
    model = Item
    key = "code"
    columns = COLUMNS
    ignored_headers = ("备注", "Note", "解析", "Explanation")

    def may_import(self, access) -> bool:
        return access.has_role(*TRAINING_ROLES)

    def prepare(self, context: ImportContext) -> None:
        sites = Site.objects.all() if context.is_system else training_sites(context.user)
        context.cache["sites"] = {code.lower(): pk for pk, code in sites.values_list("pk", "code")}
        ids = set(context.cache["sites"].values())
        context.cache["foreign"] = set(
            Item.objects.exclude(code="").exclude(site_id__in=ids).values_list("code", flat=True)
        )

    def existing_queryset(self, context: ImportContext):
        return Item.objects.filter(site_id__in=set(context.cache["sites"].values()))

    def check_row(self, values: dict[str, Any], context: ImportContext):
        if values.get("code") in context.cache["foreign"]:
            yield "code", _("This question number belongs to another site's bank.")
        options = [values.get(k) for k in ("choice_a", "choice_b", "choice_c", "choice_d")]
        if values.get("choice_d") and not values.get("choice_c"):
            yield "choice_c", _("Fill the options in order, without gaps.")
        answer = values.get("answer")
        if answer is not None and not options[answer]:
            yield "answer", _("The answer names an empty option.")


register_import(QuizItemImport())
