"""Reads are scoped one way: through ``zhiren.org.scoping``, never by hand.

A selector, service, view, form or importer outside ``org`` that looks at a
``Coverage`` itself (``.everything``, ``.team_ids``, ``access.teams(…)``), copies
the get-or-404 block, defines its own ``own_agent``, or writes audit rows
without ``zhiren.audit.services`` fails this test. Use ``visible_to``,
``get_visible_or_404`` / ``get_or_404``, ``coverage(user, who).covers(…)`` and
``own_agent`` instead (docs/architecture.md, "Who may see what").
"""

from __future__ import annotations

import ast
from pathlib import Path

import zhiren

SRC = Path(zhiren.__file__).parent
# org owns the policy; the engine imports no Django; imports scopes jobs by owner, not by team.
EXEMPT = ("org/", "workforce/engine/", "migrations/")
COVERAGE_METHODS = {"teams", "coverage_for"}  # UserAccess methods that hand out a Coverage
OWN_HELPERS = {"own_agent", "_scoped", "_covered"}


def _names(node: ast.AST) -> str:
    """The dotted text of a name or attribute chain, calls included (``load_access(user).teams``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_names(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{_names(node.func)}()"
    return ""


def _raises_404(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Raise) and stmt.exc is not None:
            target = stmt.exc.func if isinstance(stmt.exc, ast.Call) else stmt.exc
            if _names(target).endswith("Http404"):
                return True
    return False


def hand_written_scope(source: str, *, in_audit: bool = False) -> list[tuple[int, str]]:
    """(line, what) for each way of scoping by hand found in one module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            if node.attr == "everything":
                found.append((node.lineno, "Coverage.everything: use visible_to or covers_everything"))
            elif node.attr == "team_ids" and "coverage" in _names(node.value).lower():
                found.append((node.lineno, "Coverage.team_ids: use visible_to or scoped_team_ids"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in COVERAGE_METHODS and "access" in _names(node.func.value).lower():
                found.append((node.lineno, f"UserAccess.{node.func.attr}(): use org.scoping.coverage"))
            elif (not in_audit and node.func.attr in {"create", "bulk_create"}
                  and _names(node.func.value) == "AuditEvent.objects"):
                found.append((node.lineno, "AuditEvent written directly: use zhiren.audit.services"))
        elif isinstance(node, ast.Try):
            for handler in node.handlers:
                caught = ast.unparse(handler.type) if handler.type is not None else ""
                if "DoesNotExist" in caught and _raises_404(handler.body):
                    found.append((node.lineno, "get-or-404 copy: use get_or_404 or get_visible_or_404"))
        elif isinstance(node, ast.FunctionDef) and node.name in OWN_HELPERS:
            found.append((node.lineno, f"def {node.name}: use org.scoping"))
    return found


def test_no_read_is_scoped_by_hand():
    offences = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if any(part in relative for part in EXEMPT):
            continue
        for line, what in hand_written_scope(path.read_text(encoding="utf-8"),
                                             in_audit=relative.startswith("audit/")):
            offences.append(f"src/zhiren/{relative}:{line}: {what}")
    assert offences == []


def test_the_check_finds_each_hand_written_form():
    source = '''
def visible(user):
    coverage = load_access(user).teams(*ROLES)
    if coverage.everything:
        return qs
    return qs.filter(team_id__in=coverage.team_ids)

def get_thing(user, pk):
    try:
        return visible(user).get(pk=pk)
    except (Thing.DoesNotExist, ValueError) as exc:
        raise Http404 from exc

def own_agent(user):
    return None

def audit(user):
    AuditEvent.objects.bulk_create([])
'''
    found = [what.split(":")[0] for _line, what in hand_written_scope(source)]
    assert found.count("Coverage.everything") == 1
    assert found.count("Coverage.team_ids") == 1
    assert "UserAccess.teams()" in found
    assert "get-or-404 copy" in found
    assert "def own_agent" in found
    assert "AuditEvent written directly" in found


def test_the_check_lets_the_scope_api_and_other_names_pass():
    source = '''
def visible(user):
    qs = Violation.objects.visible_to(user, READ_ROLES, own=True)
    if query.team_ids is not None:
        qs = qs.filter(team_id__in=query.team_ids)
    ok = coverage(user, ROLES).covers(agent.team_id)
    ids = {t.pk for t in rule.teams.all()}
    return get_or_404(qs, pk)
'''
    assert hand_written_scope(source) == []
