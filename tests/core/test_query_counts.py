"""Every page a role may open makes a fixed number of queries, whatever the number of rows.

The pages are the GET cases of the permission matrix that some role may open, each
loaded by every such role. One test per URL namespace loads its pages on the shared
world with two rounds of rows of every kind (``tests/rows.py``), then again after three
more rounds. The counts must be equal, so a query per row (an N+1) fails here, naming
the statements that repeat. A ceiling keeps the fixed part in check too.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..conftest import clock_start
from ..permissions import OK
from ..rows import add_rows
from ..world import ROLES
from .test_permission_matrix import MATRIX

CEILING = 30  # the busiest page today, the lead's home, makes 27
# Pages whose fixed part is larger by nature. An agent's personal-data export reads every table
# that holds rows about one agent (one query each; about sixty-five today, with recruiting,
# training and engagement): the rows check still applies.
CEILINGS = {"privacy:export_page": 80, "privacy:export_json": 80,
            # The lead's home also shows the four-quadrant board's top cards: one or two queries per board feed.
            "core:home": 50}


def _namespace(name: str) -> str:
    return name.split(":")[0] if ":" in name else "foundation"


PAGES = [
    (name, index)
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    if case.method == "get" and OK in case.expect.values()
]
NAMESPACES = sorted({_namespace(name) for name, _ in PAGES})


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in ctx.captured_queries]


def _shape(sql: str) -> str:
    """The statement with its literals blanked, so the same query on another row compares equal."""
    blanked = re.sub(r"'[^']*'|\b\d+(\.\d+)?\b", "?", sql)
    blanked = re.sub(r"\"s\d+_x\d+\"", "?", blanked)  # savepoint names
    return re.sub(r"\(\?(, \?)*\)", "(?)", blanked)  # IN lists of any length


def _repeated(small: list[str], large: list[str]) -> list[str]:
    extra = Counter(map(_shape, large)) - Counter(map(_shape, small))
    return [f"+{n} {sql[:300]}" for sql, n in extra.most_common(3)]


def _load_all(client_for, world, viewers, *, warm=False) -> dict:
    queries = {}
    for role in ROLES:
        client = client_for(world.user(role))
        for url in (url for url, roles in viewers.items() if role in roles):
            if warm:
                client.get(url)  # fills the per-process caches (content types, site rules)
            queries[url, role] = _queries(client, url)
    return queries


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_query_counts_do_not_grow_with_rows(world, client_for, namespace, _clock):
    _clock.move_to(clock_start(), tick=False)  # both loads see the same day, even at 23:59 on New Year's Eve
    viewers = {}
    ceilings = {}
    for name, index in PAGES:
        if _namespace(name) == namespace:
            case = MATRIX[name][index]
            url = reverse(name, kwargs=case.kwargs(world))
            viewers.setdefault(url, set()).update(role for role, outcome in case.expect.items() if outcome == OK)
            ceilings[url] = CEILINGS.get(name, CEILING)
    add_rows(world, 2)
    small = _load_all(client_for, world, viewers, warm=True)
    add_rows(world, 3)
    large = _load_all(client_for, world, viewers)
    grew = {
        key: (len(small[key]), len(large[key]), _repeated(small[key], large[key]))
        for key in large
        if len(large[key]) != len(small[key])
    }
    assert not grew, "queries with 2 rounds of rows, with 5, repeated statements:\n" + "\n".join(
        f"{url} as {role}: {n} -> {m} {top}" for (url, role), (n, m, top) in grew.items()
    )
    over = {key: (len(queries), ceilings[key[0]]) for key, queries in large.items() if len(queries) > ceilings[key[0]]}
    assert not over, f"more queries than the ceiling (count, ceiling): {over}"
