"""Render clause text and document templates safely.

Clause text and templates are Jinja, rendered in an immutable sandbox with strict undefined:
a misspelt name is an error, never a silent blank. Everything a template prints passes through
`_finalize`, which wraps it in a data span so the markup parser never reads a user's words as
markup, and formats money, dates, counts and lists the way an MOU writes them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import re
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import jinja2
import jinja2.filters
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from tutorbargain.answers.defaults import note_default
from tutorbargain.answers.fields import BY_NAME
from tutorbargain.answers.kinds import format_value
from tutorbargain.answers.words import and_list, long_date
from tutorbargain.answers.words import money as money_words
from tutorbargain.compose.markup import ANCHOR, COMMENT, DATA, DEFINES, PLACEHOLDER, span

MAX_RENDERED_CHARS = 200_000
"""What a clause may render, and what a document template may add to the rendered clauses it
prints (a real MOU of fifteen 19,000-character clauses is 285,000 characters of them): more is
a runaway loop or a bomb."""
MAX_STRING = 1_000_000
"""The longest text or list any one step of a template may make (a join, a replace, a ``~``)."""
MAX_DIGITS = 4_000
"""The longest whole number (in bits, about 1,200 digits) a template may compute."""


class Trusted(str):
    """Text that is already markup (a rendered clause, a placeholder): printed as it is."""

    __slots__ = ()


def placeholder(label: str) -> Trusted:
    """A highlighted blank for the team to fill in, like ``[VENDOR RATE]``."""
    return Trusted(span(PLACEHOLDER, " ".join(str(label).upper().split())))


def comment(text: object) -> Trusted:
    """Attach ``text`` as a Word comment to the block it is printed in."""
    return Trusted(span(COMMENT, str(text)))


def anchor(ident: object) -> Trusted:
    """Mark the block it is printed in as clause/question ``ident`` (a hidden Word bookmark)."""
    return Trusted(span(ANCHOR, str(ident)))


def defines(abbreviation: object = "") -> Trusted:
    """Mark the block it is printed in as the definition of ``abbreviation`` (no argument: the
    words leading into the definitions), kept only where the document uses it."""
    return Trusted(span(DEFINES, str(abbreviation)))


def money(value: Decimal | int | float | None, label: str = "AMOUNT") -> str:
    """An amount as an agreement writes it, or a highlighted blank when it is unknown."""
    if value is None:
        return placeholder(label)
    return money_words(value)


UNKNOWN_WORDS = frozenset({"unknown", "tbd", "to be determined", "not known", "?"})
"""Text answers that mean "we don't know yet": shown as the field's placeholder."""


def is_unknown(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in UNKNOWN_WORDS


def make_fill(values: Mapping[str, Any]) -> Callable[..., Trusted]:
    """``fill('pay.tutoring_hourly_rate')``: the answer, formatted, or its placeholder.

    A proposal term left unanswered prints its default as a plain number, and is recorded
    (see `defaults.recording_defaults`) so the team sees which numbers they have not chosen yet.
    """

    def fill(name: str, label: str | None = None) -> Trusted:
        f = BY_NAME.get(name)
        if f is None:
            raise jinja2.TemplateRuntimeError(f"fill('{name}'): no such field in the answers")
        value = values.get(name)
        if value is None and f.default is not None:
            note_default(name)
            return Trusted(span(DATA, format_value(f, f.default)))
        if value is None or value == [] or is_unknown(value):
            return placeholder(label or f.placeholder)
        return Trusted(span(DATA, format_value(f, value)))

    return fill


def _finalize(value: object) -> str:
    if isinstance(value, Trusted):
        return value
    if value is None:
        return placeholder("NOT ANSWERED")
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, Decimal):
        text = money(value)
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, dt.date):
        text = long_date(value)
    elif isinstance(value, list | tuple):
        text = and_list(value)
    else:
        text = str(value)
    return span(DATA, text)


MAX_REPEAT = 10_000
"""Longest string or list a template may build with ``*``; ``'a' * 10**8`` is an attack."""


_PADDING_METHODS = frozenset(
    {"format", "format_map", "ljust", "rjust", "center", "zfill", "expandtabs"}
)
"""String methods that can ask for gigabytes with one small number ('x'.ljust(3e9))."""
_WIDE_PERCENT = re.compile(r"%[-+ #0]*(\d{5,}|\*)|%[-+ #0]*\d*\.(\d{5,}|\*)")


def _too_long(size: int) -> None:
    """Refuse, before it is made, a text or list longer than MAX_STRING."""
    if size > MAX_STRING:
        raise SecurityError(
            f"that makes a text longer than {MAX_STRING:,} characters; is it a runaway loop?"
        )


def _replaced_size(text: str, old: object, new: object, count: object = -1) -> int:
    """How long ``text.replace(old, new, count)`` would be, without making it."""
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    hits = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


def _joined_size(separator: str, items: Sequence[object]) -> int:
    return sum(len(str(item)) for item in items) + len(separator) * max(len(items) - 1, 0)


def _bounded_items(value: object) -> list[Any]:
    """An iterable as a list, refused once it passes MAX_STRING items."""
    items: list[Any] = []
    for item in value:  # type: ignore[attr-defined]
        items.append(item)
        _too_long(len(items))
    return items


@jinja2.pass_eval_context
def _replace_filter(
    eval_ctx: Any, text: object, old: object, new: object, count: int | None = None
) -> Any:
    _too_long(_replaced_size(str(text), str(old), str(new), -1 if count is None else count))
    return jinja2.filters.do_replace(eval_ctx, text, old, new, count)  # type: ignore[arg-type]


@jinja2.pass_eval_context
def _join_filter(eval_ctx: Any, value: object, d: str = "", attribute: Any = None) -> Any:
    items = _bounded_items(value)
    if attribute is None:
        _too_long(_joined_size(str(d), items))
    result = jinja2.filters.do_join(eval_ctx, items, d, attribute)
    _too_long(len(result))
    return result


def _batch_filter(value: object, linecount: int, fill_with: object = None) -> Any:
    if not isinstance(linecount, int) or linecount > MAX_REPEAT:
        raise SecurityError(f"batch takes at most {MAX_REPEAT:,} items a line")
    return jinja2.filters.do_batch(value, linecount, fill_with)  # type: ignore[arg-type]


def _slice_filter(value: object, slices: int, fill_with: object = None) -> Any:
    if not isinstance(slices, int) or slices > MAX_REPEAT:
        raise SecurityError(f"slice makes at most {MAX_REPEAT:,} slices")
    return jinja2.filters.do_slice(value, slices, fill_with)


_BOUNDED_FILTERS: dict[str, Callable[..., Any]] = {
    "replace": _replace_filter,
    "join": _join_filter,
    "batch": _batch_filter,
    "slice": _slice_filter,
}


def checked_concat(items: Sequence[object]) -> str:
    """``a ~ b`` in a template: the join Jinja makes, refused before it passes MAX_STRING."""
    pieces = [str(item) for item in items]
    _too_long(sum(map(len, pieces)))
    return "".join(pieces)


class _CheckedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``~`` sent through `checked_concat`."""

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox (it blocks attribute escapes), also refusing what can exhaust memory with a
    short expression: huge repetition, powers, padding, wide %-formats, and any one step that
    would make a text or list over MAX_STRING (nested replace, join, ``~``, ``+``)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CheckedCodeGenerator
    checked_concat = staticmethod(checked_concat)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``clause.title`` on one of our dicts: the item at once, as Jinja would find it after
        failing to find a dict attribute of that name (a local's documents make some 700
        such lookups, and each failed attribute lookup raised and caught an error)."""
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in _PADDING_METHODS:
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every call a template makes: a string method's result is sized before it is made.

        Our own helpers (`fill` and `_HELPERS`) are called directly: they are known safe and
        take no context, and a local makes some 250 such calls."""
        if getattr(__obj, "__code__", None) in _HELPER_CODE:
            kwargs.pop("_loop_vars", None)  # what Jinja's Context.call strips before calling
            kwargs.pop("_block_vars", None)
            helped = __obj(*args, **kwargs)
            if isinstance(helped, str):
                _too_long(len(helped))
            return helped
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name == "replace" and len(args) >= 2:
                _too_long(_replaced_size(owner, *args[:3]))
            elif name == "join" and args:
                items = _bounded_items(args[0])
                _too_long(_joined_size(owner, items))
                args = (items, *args[1:])
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, str | list | tuple):
            _too_long(len(result))
        return result

    def wrap_str_format(self, value: Any) -> Any:
        if super().wrap_str_format(value) is None:
            return None

        def refuse(*args: Any, **kwargs: Any) -> str:
            raise SecurityError("str.format is not available in clause text")

        return refuse

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
                _too_long(len(left) + len(right))
            return super().call_binop(context, operator, left, right)
        if (
            operator == "*"
            and isinstance(left, int)
            and isinstance(right, int)
            and left.bit_length() + right.bit_length() > MAX_DIGITS
        ):
            raise SecurityError("that number is too large")
        if operator == "%":
            if isinstance(left, str) and _WIDE_PERCENT.search(left):
                raise SecurityError("that format asks for too wide a field")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("powers above 64 are not allowed")
        elif isinstance(left, str | list | tuple) or isinstance(right, str | list | tuple):
            times = right if isinstance(left, str | list | tuple) else left
            sequence = left if isinstance(left, str | list | tuple) else right
            if isinstance(times, int) and len(sequence) * max(times, 0) > MAX_REPEAT:
                raise SecurityError("that repetition is too long")
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, str | list | tuple):
            _too_long(len(result))
        return result


_HELPERS: dict[str, Callable[..., Any]] = {
    "placeholder": placeholder,
    "comment": comment,
    "anchor": anchor,
    "defines": defines,
    "money": money,
}
"""The template helpers defined here: every template's globals, and called directly."""
_HELPER_CODE = frozenset(f.__code__ for f in (*_HELPERS.values(), make_fill({})))
"""The code of the template helpers (every local's `fill` shares one)."""

_SANDBOX_SETTINGS: dict[str, bool] = {
    "autoescape": False,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}
"""Settings that change the code Jinja generates (so they are part of the cache key)."""
_ENV: jinja2.Environment | None = None
_COMPILED: dict[tuple[str, str], jinja2.Template] = {}


def environment() -> jinja2.Environment:
    """The one sandboxed environment; compiled templates are cached by the caller."""
    global _ENV
    if _ENV is None:
        env = _Sandbox(undefined=jinja2.StrictUndefined, finalize=_finalize, **_SANDBOX_SETTINGS)
        env.globals.update(_HELPERS, and_list=and_list)
        env.filters.update(money=money, and_list=and_list, long_date=long_date)
        for name in ("format", "center", "indent", "wordwrap"):  # width-taking filters
            env.filters.pop(name, None)
        env.filters.update(_BOUNDED_FILTERS)
        _ENV = env
    return _ENV


def is_plain(source: str) -> bool:
    """Text with no Jinja in it, which renders as itself: no tag, expression or comment (all
    start with a brace), no carriage return for Jinja to turn into a newline, and within the
    bound on what a render may make."""
    return "{" not in source and "\r" not in source and len(source) <= MAX_RENDERED_CHARS


def compile_template(source: str, *, name: str) -> jinja2.Template:
    """Compile template text once per process; a syntax error raises `TemplateSyntaxError`."""
    key = (name, source)
    template = _COMPILED.get(key)
    if template is None:
        env = environment()
        code = _cached_code(source, name)
        # A plain dict, not Jinja's ChainMap over the environment's globals (which are set
        # once, above): every render copies them, and a ChainMap copies slowly.
        template = env.template_class.from_code(env, code, dict(env.make_globals(None)))
        _COMPILED[key] = template
    return template


def _cached_code(source: str, name: str) -> Any:
    """Compiled template code, from the disk cache when this exact text was compiled before
    (compiling is most of the cost of a single render: about 250 ms of a 450 ms render of the
    largest example). The cache hands back only entries whose keyed hash it made itself, in
    a folder private to the user, so the code loaded is code this process's user compiled."""
    from tutorbargain.library import cache

    cache_key = cache.key("jinja", jinja2.__version__, _SANDBOX_SETTINGS, name, source)
    data = cache.load("templates", cache_key)
    if data is not None:
        with contextlib.suppress(Exception):
            return marshal.loads(data)
    code = environment().compile(source, name=name, filename=name)
    cache.store("templates", cache_key, marshal.dumps(code))
    return code


MAX_RENDER_SECONDS = 5
"""A local's documents render in milliseconds; a render still running after this is a loop
that never ends."""
_TIMING = threading.local()
"""Whether a `time_limit` is already running in this thread (set once around a whole compose:
arming a timer signal for each of a local's hundred renders cost more than some renders)."""


class RenderTimeout(jinja2.TemplateRuntimeError):
    """Raised (by a timer signal) when one template takes longer than MAX_RENDER_SECONDS."""


def _rendered_size(value: object, depth: int = 0) -> int:
    """The length of the rendered text (clauses, already bounded) a context hands a template."""
    if isinstance(value, Trusted):
        return len(value)
    if depth > 6 or isinstance(value, str):
        return 0
    if isinstance(value, Mapping):
        return sum(_rendered_size(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_rendered_size(v, depth + 1) for v in value)
    return 0


class RenderContext(dict[str, Any]):
    """A context that already holds the template helpers (see `render_context`): a render
    uses it as it is, where any other mapping is first merged with them."""


def render_context(values: Mapping[str, Any]) -> RenderContext:
    """``values`` with the template helpers under them, made once for a local's hundred
    renders instead of once for each."""
    return RenderContext({**environment().globals, **values})


def render(template: jinja2.Template, context: Mapping[str, Any]) -> Trusted:
    """Render a compiled template to markup, bounded in size and in time.

    The size bound is MAX_RENDERED_CHARS of the template's own making, on top of the rendered
    clauses it is given: a document of many long clauses is a real document, not a bomb."""
    pieces: list[str] = []
    size = 0
    limit: int | None = None  # measured only once a render gets long: walking is not free
    # What Template.generate does, less its second copy of the context: a local's hundred
    # renders each paid for copying it twice.
    if type(context) is not RenderContext:
        context = {**template.globals, **context}
    variables = template.new_context(context, shared=True)
    # Inside a compose's timer already (a local's hundred renders): no second one to enter.
    timer = contextlib.nullcontext() if getattr(_TIMING, "active", False) else time_limit()
    with timer:
        try:
            for chunk in template.root_render_func(variables):
                size += len(chunk)
                if size > MAX_RENDERED_CHARS:
                    if limit is None:
                        limit = MAX_RENDERED_CHARS + _rendered_size(context)
                    if size > limit:
                        raise jinja2.TemplateRuntimeError(
                            f"renders more than {MAX_RENDERED_CHARS:,} characters of its own; "
                            "is there a runaway loop?"
                        )
                pieces.append(chunk)
        except Exception:
            template.environment.handle_exception()  # re-raised with the template's own lines
    return Trusted("".join(pieces))


@contextlib.contextmanager
def time_limit(seconds: float = MAX_RENDER_SECONDS) -> Iterator[None]:
    """Interrupt rendering after ``seconds`` with a timer signal (main thread, Unix only;
    elsewhere the size bounds still apply but a silent loop is not cut short).

    Inside another `time_limit` it adds nothing: the outer timer still stops a loop, and the
    error is raised in the template running when it fires, so the message names that clause.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or getattr(_TIMING, "active", False):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise RenderTimeout(
            f"took more than {seconds:g} seconds to render; is there a loop that never ends?"
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _TIMING.active = True
    try:
        yield
    finally:
        _TIMING.active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
