"""Checks of a Jinja text (a clause's text or a document template) without rendering it.

Names that are not answers or context, ``section.field`` names, ``fill('...')`` names,
filters and tests that do not exist, and optional answers printed bare where they may be
blank. Each is a (text line, what is wrong) pair; `checks` turns them into findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import jinja2
from jinja2 import meta, nodes

from tutorbargain.answers.fields import BY_NAME, FIELDS, SECTIONS, TOP_LEVEL
from tutorbargain.schema import did_you_mean


def environment() -> jinja2.Environment:
    """The sandboxed environment clause texts render in."""
    from tutorbargain.compose.templating import environment

    return environment()


def clause_names() -> frozenset[str]:
    """Every name a clause text may read."""
    from tutorbargain.compose.documents import CLAUSE_CONTEXT

    return frozenset({*SECTIONS, *TOP_LEVEL, *CLAUSE_CONTEXT, *environment().globals})


def document_names() -> frozenset[str]:
    """Every name a document template may read."""
    from tutorbargain.compose.documents import DOCUMENT_CONTEXT

    return frozenset({*SECTIONS, *TOP_LEVEL, *DOCUMENT_CONTEXT, *environment().globals})


def template_problems(
    ast: nodes.Template, env: jinja2.Environment, allowed: frozenset[str]
) -> Iterator[tuple[int, str]]:
    """(text line, what is wrong) for every name, field, filter or fill() the text gets wrong."""
    for flt in ast.find_all(nodes.Filter):
        if flt.name not in env.filters:
            hint = did_you_mean(flt.name, env.filters)
            yield (
                flt.lineno,
                (
                    f"uses the filter |{flt.name}, which does not exist{hint}; the filters "
                    f"are {', '.join(sorted(env.filters))}"
                ),
            )
    for test in ast.find_all(nodes.Test):
        if test.name not in env.tests:
            hint = did_you_mean(test.name, env.tests)
            yield test.lineno, f"uses the test 'is {test.name}', which does not exist{hint}"
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except jinja2.TemplateError:  # an unknown filter stops Jinja's own analysis; guess instead
        undeclared = _names_read(ast)
    reported: set[str] = set()
    for node in ast.find_all(nodes.Name):
        name = node.name
        if node.ctx != "load" or name not in undeclared or name in allowed or name in reported:
            continue
        reported.add(name)
        yield (
            node.lineno,
            f"uses {{{{ {name} }}}}, which is not an answer or a known value"
            + (_name_hint(name, allowed)),
        )
    for line, section, key in _section_reads(ast, undeclared):
        fields = [f.key for f in FIELDS if f.section == section]
        if key not in fields:
            hint = did_you_mean(key, fields)
            yield (
                line,
                (
                    f"uses {section}.{key}, but the {section} section has no answer called "
                    f"{key}{hint}; its answers are {', '.join(fields)}"
                ),
            )
    for call in ast.find_all(nodes.Call):
        if not (isinstance(call.node, nodes.Name) and call.node.name == "fill"):
            continue
        if "fill" not in undeclared:
            continue
        if not call.args:
            yield call.lineno, "calls fill() without an answer name, like fill('program.name')"
            continue
        first = call.args[0]
        if isinstance(first, nodes.Const) and first.value not in BY_NAME:
            hint = did_you_mean(str(first.value), BY_NAME)
            yield (
                call.lineno,
                (
                    f"calls fill('{first.value}'), but there is no answer called "
                    f"{first.value}{hint}; fill takes a full answer name like "
                    "'program.vendor_name'"
                ),
            )


def _name_hint(name: str, allowed: Iterable[str]) -> str:
    by_key = [f.name for f in FIELDS if f.key == name]
    if by_key:
        return f" (did you mean {by_key[0]}?)"
    hint = did_you_mean(name, allowed)
    if hint:
        return hint
    return (
        f"; a text may use the answer sections ({', '.join(SECTIONS)}), "
        f"{', '.join(TOP_LEVEL)} and the values listed in the README"
    )


def _names_read(ast: nodes.Template) -> set[str]:
    """Names read but never set anywhere in the text: a rough stand-in for Jinja's analysis."""
    stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    stored |= {"loop", "caller", "varargs", "kwargs"}
    return {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"} - stored


def _section_reads(ast: nodes.Template, undeclared: set[str]) -> Iterator[tuple[int, str, str]]:
    """(line, section, key) for every ``section.key`` / ``section['key']`` on an answer section."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        field_name = _answer_field(node, undeclared, any_key=True)
        if field_name is not None:
            section, _, key = field_name.partition(".")
            yield node.lineno, section, key


def _answer_field(node: nodes.Node, undeclared: set[str], *, any_key: bool = False) -> str | None:
    """The answer a node reads directly (``program.weeks``, ``school_year``), if it is one."""
    if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in TOP_LEVEL:
        return node.name if node.name in undeclared else None
    base: nodes.Node | None = None
    key: object = None
    if isinstance(node, nodes.Getattr):
        base, key = node.node, node.attr
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base, key = node.node, node.arg.value
    if (
        isinstance(base, nodes.Name)
        and base.name in SECTIONS
        and base.name in undeclared
        and isinstance(key, str)
    ):
        name = f"{base.name}.{key}"
        return name if any_key or name in BY_NAME else None
    return None


def bare_prints(ast: nodes.Template) -> list[tuple[int, str]]:
    """Optional answers printed as they are, outside an ``{% if %}`` that tests them."""
    try:
        undeclared = meta.find_undeclared_variables(ast)
    except jinja2.TemplateError:
        undeclared = _names_read(ast)
    found: list[tuple[int, str]] = []

    def tested(test: nodes.Node) -> frozenset[str]:
        names = {
            _answer_field(n, undeclared)
            for n in test.find_all((nodes.Getattr, nodes.Getitem, nodes.Name))
        }
        direct = _answer_field(test, undeclared)
        return frozenset(n for n in {*names, direct} if n)

    def expression(expr: nodes.Node, guarded: frozenset[str]) -> None:
        if isinstance(expr, nodes.CondExpr):
            expression(expr.expr1, guarded | tested(expr.test))
            if expr.expr2 is not None:
                expression(expr.expr2, guarded)
            return
        name = _answer_field(expr, undeclared)
        if name is not None and not BY_NAME[name].required and name not in guarded:
            found.append((expr.lineno, name))

    def visit(node: nodes.Node, guarded: frozenset[str]) -> None:
        if isinstance(node, nodes.If):
            for child in node.body:
                visit(child, guarded | tested(node.test))
            for branch in node.elif_:
                visit(branch, guarded)
            for child in node.else_:
                visit(child, guarded)
            return
        if isinstance(node, nodes.Output):
            for expr in node.nodes:
                if not isinstance(expr, nodes.TemplateData):
                    expression(expr, guarded)
            return
        for child in node.iter_child_nodes():
            visit(child, guarded)

    visit(ast, frozenset())
    return found
