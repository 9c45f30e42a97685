"""Every page of the navigation passes axe-core's WCAG 2.1 A/AA rules, for every role,
and fits a phone's width.

One test per role and language: one logged-in browser context opens the pages the
role's navigation offers (menus included) in turn, on the shared world with one round
of rows of every kind (``tests/rows.py``) so that lists, badges, charts and progress
bars are drawn, and runs axe-core (vendored in ``tests/browser/vendor/axe-core``): every
page in zh-Hans, one page per top-bar entry in English (``pages_to_check``). Any serious
or critical finding fails the test, naming the rule, its impact, the elements and the
page. Each page is also laid out at a phone's width (390 px): a page wider than the
screen (a table not in ``.table-responsive``, a form row that does not wrap) fails it,
naming the widest elements. See docs/accessibility.md.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from ..rows import add_rows
from ..world import build_world
from .pages import open_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
ROLES = ("admin", "manager", "lead", "qa", "trainer", "hr", "agent")
LANGUAGES = ("zh-hans", "en")

# axe's own run, on the whole document; only rule violations come back.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


# Navigation pages drawn by a vendored third-party tool, not by our templates: axe findings
# there (Swagger UI's own contrast and nested controls) are not ours to fix.
NOT_OURS = {
    "api-docs": "Swagger UI (drf-spectacular's sidecar), the admin's API reference",
}


def navigation_urls(user) -> list[str]:
    """The pages the user's top bar links to, in menu order, each once."""
    from zhiren.core.navigation import items_for
    from zhiren.org.access import load_access

    urls: list[str] = []
    for item in items_for(load_access(user)):
        if item["url"] not in urls and item["url_name"] not in NOT_OURS:
            urls.append(item["url"])
    return urls


def area_urls(user) -> list[str]:
    """One page per entry of the user's top bar: the link itself, or a menu's first page."""
    from zhiren.core.navigation import menu_for
    from zhiren.org.access import load_access

    urls = []
    for entry in menu_for(load_access(user)):
        ours = [page for page in entry.get("children", [entry]) if page["url_name"] not in NOT_OURS]
        if ours:
            urls.append(ours[0]["url"])
    return urls


def pages_to_check(user, lang: str) -> list[str]:
    """Every navigation page in zh-Hans (the default language); in English, one page per area.

    Contrast, names and labels do not change with the language; what does (longer English
    words, translated names) shows on any page of an area. ``ZHIREN_A11Y_ALL_PAGES=1``
    checks every page in English too (about twice the time).
    """
    if lang == "zh-hans" or os.environ.get("ZHIREN_A11Y_ALL_PAGES"):
        return navigation_urls(user)
    return area_urls(user)


# Charts drawn on the page without their text alternative (templates/includes/chart_alt.html,
# filled by static/zhiren/chart_alt.js, which hides the described canvas).
UNDESCRIBED_CHARTS = """() => Array.from(document.querySelectorAll("[_echarts_instance_]"))
  .filter((el) => el.getAttribute("aria-hidden") !== "true")
  .map((el) => el.id || el.dataset.chart || el.outerHTML.slice(0, 80))"""


PHONE = {"width": 390, "height": 844}

# How far the page reaches past the screen, and the outermost elements that reach it; measured
# two frames after the resize, once the page's own resize handlers (charts) have run.
PAST_THE_SCREEN = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const past = Array.from(document.querySelectorAll("body *"))
    .filter((el) => el.getBoundingClientRect().right > width + 1)
    .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= width + 1);
  return {
    extra: document.documentElement.scrollWidth - width,
    elements: past.slice(0, 3).map((el) => el.tagName.toLowerCase()
      + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")),
  };
}"""


def phone_findings(page, url: str) -> list[str]:
    """The page laid out at a phone's width: a line if it is wider than the screen."""
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        result = page.evaluate(PAST_THE_SCREEN)
    finally:
        page.set_viewport_size(desktop)
    if result["extra"] <= 1:
        return []
    return [f"{url}: {result['extra']} px wider than a phone ({PHONE['width']} px) — {', '.join(result['elements'])}"]


def axe_findings(page, url: str) -> list[str]:
    """Serious or critical WCAG A/AA findings on the page now open, one line each."""
    page.add_script_tag(path=str(AXE))
    lines = []
    for violation in page.evaluate(RUN_AXE, WCAG_TAGS):
        if violation["impact"] in BLOCKING:
            targets = ", ".join(violation["targets"][:5])
            more = len(violation["targets"]) - 5
            lines.append(
                f"{url}: {violation['id']} ({violation['impact']}) {violation['help']}"
                f" — {targets}{f' (+{more} more)' if more > 0 else ''}"
            )
    return lines


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_navigation_pages_pass_axe(page_for, live_server, role, lang):
    world = build_world()
    add_rows(world, 1)
    urls = pages_to_check(world.user(role), lang)
    assert len(urls) >= 3, urls  # the home page and the role's own pages at least
    page = open_as(page_for, live_server, role, lang, bypass_csp=True)
    started = time.perf_counter()
    findings: list[str] = []
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        assert page.locator("html").get_attribute("lang") == lang, url
        findings += axe_findings(page, url)
        findings += [
            f"{url}: chart without a text alternative — {c}"
            for c in page.evaluate(UNDESCRIBED_CHARTS)
        ]
        findings += phone_findings(page, url)
    load = os.getloadavg()[0]
    print(
        f"axe: {role}/{lang}: {len(urls)} pages in {time.perf_counter() - started:.1f} s (load {load:.1f})"
    )
    assert not findings, (
        f"{len(findings)} serious or critical findings as {role} in {lang}:\n" + "\n".join(findings)
    )


def test_the_check_reports_what_axe_finds(page_for, live_server):
    """The check is not blind: a page spoiled on purpose fails it, with rule, impact and element."""
    build_world()
    page = open_as(page_for, live_server, "agent", "zh-hans", bypass_csp=True)
    page.evaluate(
        """() => document.querySelector(".page-body").insertAdjacentHTML("afterbegin",
          '<p id="faint" style="color: #c0c0c0; background: #fff">看不清的字</p>'
          + '<div id="nameless" role="progressbar" aria-valuenow="5"></div>')"""
    )
    findings = "\n".join(axe_findings(page, "/"))
    assert "/: color-contrast (serious)" in findings and "#faint" in findings
    assert "/: aria-progressbar-name (serious)" in findings and "#nameless" in findings


def test_the_check_reports_a_page_wider_than_a_phone(page_for, live_server):
    """The width check is not blind either: a 600 px wide block fails it and is named."""
    build_world()
    page = open_as(page_for, live_server, "agent", "zh-hans")
    assert phone_findings(page, "/") == []
    page.evaluate(
        """() => document.querySelector(".page-body").insertAdjacentHTML("afterbegin",
          '<div class="too-wide" style="width: 600px">宽</div>')"""
    )
    (finding,) = phone_findings(page, "/")
    assert finding.startswith("/: ") and "wider than a phone (390 px)" in finding
    assert "div.too-wide" in finding
