"""MyST Markdown to the plain Markdown a Jupyter notebook shows.

The chapters are written in MyST: roles (``{term}`bias```, ``{glue:text}`n:,```, ``{eq}``,
``{ref}``, ``{cite:p}``...), directives (exercises, solutions, admonitions), labels
``(label)=`` and ``% comments``. Jupyter, Colab and GitHub show none of these, so
:func:`to_markdown` replaces each by what the book's web page shows in its place: glued values
formatted as myst-nb formats them, numbers of equations, figures and exercises, titles of the
sections and pages referred to, and "(Author, Year)" citations.

What the book knows about its labels (numbers, titles, pages) comes in a :class:`Book`, which
:mod:`mnist_lessons.takeaway.notebooks` reads from the built site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# An inline code span, or a role: ``{name}`content``` (the code span is kept as it is).
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|\{(?P<role>[a-z][\w:-]*)\}`(?P<text>[^`]*)`",
    re.S,
)
_FENCE_OPEN = re.compile(
    r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}\s*(?P<arg>.*)$"
)
_PLAIN_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_LABEL = re.compile(r"^\s*\((?P<label>[^()\s]+)\)=\s*$")
_COMMENT = re.compile(r"^\s*%")
_EQ_LABEL = re.compile(r"^(?P<head>.*)\$\$\s*\((?P<label>[^()\s]+)\)\s*$")
_OPTION = re.compile(r"^\s*:(?P<key>[\w-]+):\s*(?P<value>.*)$")
# A definition list (MyST's deflist): a term, then ": definition", continued by indented lines.
_DEFINITION = re.compile(r"^(?P<term>[^\s:][^\n]*)\n: (?P<body>[^\n]*(?:\n[ \t]+\S[^\n]*)*)", re.M)
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)

ADMONITIONS = {
    "note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important",
    "warning": "Warning", "caution": "Caution", "attention": "Attention", "danger": "Danger",
    "error": "Error", "seealso": "See also", "margin": "", "sidebar": "", "dropdown": "",
    "admonition": "", "topic": "",
}  # fmt: skip
INTERACTIVE = (
    "*(On the book's web page, an interactive figure stands here; "
    "it needs a browser with JavaScript.)*"
)


@dataclass
class Target:
    """A label of the book: the page it is on, its anchor, number and title."""

    page: str  # "book/neuron.html"
    anchor: str = ""  # "fig-neuron", "" for the top of the page
    number: str = ""  # "2.1" ("(2.1)" for equations)
    title: str = ""  # section title, figure caption, exercise title
    kind: str = "section"  # section, figure, equation, exercise, table, term, page


@dataclass
class Book:
    """Everything the conversion looks up: labels, glue values, citations, the site's URL."""

    targets: dict[str, Target] = field(default_factory=dict)  # label -> Target
    terms: dict[str, Target] = field(default_factory=dict)  # lower-case term -> Target
    pages: dict[str, Target] = field(default_factory=dict)  # "book/neuron" -> Target
    glue: dict[str, dict[str, str]] = field(default_factory=dict)  # doc -> {key: text/plain}
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (names, year)
    base_url: str = ""  # the published site, "" when unknown: then no links
    rendered: dict[tuple[str, str], str] = field(default_factory=dict)  # (role, label) -> text

    def url(self, target: Target) -> str:
        if not self.base_url:
            return ""
        return f"{self.base_url.rstrip('/')}/{target.page}" + (
            f"#{target.anchor}" if target.anchor else ""
        )


def _link(book: Book, text: str, target: Target | None, *, title: bool = False) -> str:
    """``[text](url)`` on the published site; without its address, the text (a title in *)."""
    url = book.url(target) if target is not None else ""
    if url:
        return f"[{text}]({url})"
    return f"*{text}*" if title and text else text


def format_glue(text_plain: str, fmt_spec: str) -> str:
    """A glued value's ``text/plain`` formatted as ``{glue:text}`key:fmt``` shows it."""
    from myst_nb.core.variables import format_plain_text

    return format_plain_text(text_plain, fmt_spec)


def _glue(book: Book, doc: str, content: str) -> str:
    key, _, fmt_spec = content.rpartition(":") if ":" in content else (content, "", "")
    if not key:
        key, fmt_spec = content, ""
    source_doc, sep, key_only = key.partition("::")
    if sep:
        doc, key = f"book/{source_doc.rsplit('/', 1)[-1]}", key_only
    try:
        value = book.glue[doc][key]
    except KeyError:
        raise KeyError(f"No glued value {key!r} in {doc}: was the chapter executed?") from None
    return format_glue(value, fmt_spec or "s")


def _cite(book: Book, role: str, content: str) -> str:
    parts = []
    for key in (k.strip() for k in content.split(",")):
        if key not in book.citations:
            raise KeyError(f"Unknown citation key {key!r}: not in references.bib")
        names, year = book.citations[key]
        parts.append(f"{names} ({year})" if role == "cite:t" else f"{names}, {year}")
    if role == "cite:t":
        return "; ".join(parts)
    return "(" + "; ".join(parts) + ")"


def _target(book: Book, label: str, doc: str) -> Target:
    if label in book.targets:
        return book.targets[label]
    raise KeyError(f"Unknown label {label!r} referred to from {doc}")


def _role(book: Book, doc: str, role: str, content: str) -> str:
    explicit = _EXPLICIT.match(content)
    text, label = (explicit["text"], explicit["target"]) if explicit else ("", content)
    if role in ("glue", "glue:", "glue:any", "glue:text", "glue:md"):
        return _glue(book, doc, content)
    if role == "term":
        return _link(book, text or label, book.terms.get(label.lower()))
    if role == "eq":
        target = _target(book, label, doc)
        return _link(book, text or target.number, target)
    if role in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts"):
        return _cite(book, role.rstrip("s") if role != "cite" else "cite:p", content)
    if role == "doc":
        name = label.removesuffix(".md").rsplit("/", 1)[-1]
        page = book.pages.get(f"book/{name}")
        if page is None:
            raise KeyError(f"Unknown document {label!r} referred to from {doc}")
        return _link(book, text or page.title, page, title=not text)
    if role in ("ref", "numref"):
        target = _target(book, label, doc)
        if role == "numref":
            shown = book.rendered.get(("numref", label)) or _numbered(target)
            if text:
                shown = text.replace("%s", target.number).replace("{number}", target.number)
        else:
            shown = text or book.rendered.get(("ref", label)) or target.title
            return _link(book, shown, target, title=not text and target.kind == "section")
        return _link(book, shown, target)
    if role == "math":
        return f"${content}$"
    # {abbr}, {sub}, {sup}, {kbd}... and any other role: its text.
    return text or label


def _numbered(target: Target) -> str:
    prefix = {"figure": "Fig.", "table": "Table", "exercise": "Exercise", "section": "Section"}
    return f"{prefix.get(target.kind, '')} {target.number}".strip()


def convert_inline(text: str, book: Book, doc: str) -> str:
    """Replace every role in ``text`` (code spans are left alone)."""

    def replace(match: re.Match) -> str:
        if match["code"]:
            return match["code"]
        return _role(book, doc, match["role"], match["text"])

    return _INLINE.sub(replace, text)


def _options(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split a directive's body into its options (``:key: value`` or a YAML block) and body."""
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            for line in lines[1:end]:
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
            return options, lines[end + 1 :]
    i = 0
    while i < len(lines) and (match := _OPTION.match(lines[i])):
        options[match["key"]] = match["value"].strip()
        i += 1
    return options, lines[i:]


def _quote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in markdown.strip("\n").split("\n"))


def _directive(name: str, arg: str, body: list[str], book: Book, doc: str) -> str:
    options, body = _options(body)
    inner = convert_markdown("\n".join(body), book, doc).strip("\n")
    if name == "exercise":
        target = book.targets.get(options.get("label", ""))
        number = f" {target.number}" if target and target.number else ""
        title = f" ({convert_inline(arg, book, doc)})" if arg else ""
        return _quote(f"**Exercise{number}{title}**\n\n{inner}")
    if name in ("solution", "solution-start"):
        target = book.targets.get(arg.strip())
        number = f" {target.number}" if target and target.number else ""
        head = f"**Solution to Exercise{number}**"
        return f"{head}\n\n{inner}" if inner else head
    if name in ("solution-end", "exercise-end"):
        return "---"
    if name == "exercise-start":
        return _directive("exercise", arg, body, book, doc)
    if name == "math":
        target = book.targets.get(options.get("label", ""))
        tag = f"\n\\tag{{{target.number.strip('()')}}}" if target and target.number else ""
        return f"$$\n{chr(10).join(body).strip()}{tag}\n$$"
    if name in ("figure", "image"):
        caption = f"\n\n*{inner}*" if inner else ""
        return f"![{options.get('alt', '')}]({arg}){caption}"
    if name in ADMONITIONS:
        title = convert_inline(arg, book, doc) if arg else ADMONITIONS[name]
        return _quote(f"**{title}**\n\n{inner}" if title else inner)
    if name == "raw":
        return INTERACTIVE
    if name == "bibliography":
        return "*(The book's bibliography lists every work cited.)*"
    if name in ("code", "code-block", "sourcecode"):
        return f"```{arg}\n" + "\n".join(body) + "\n```"
    # Directives a notebook cannot show (nb-exec-table, glossary, toctree...): their body.
    return inner


def convert_markdown(source: str, book: Book, doc: str) -> str:
    """One Markdown cell of a chapter, from MyST to plain Markdown."""
    lines = source.split("\n")
    if lines and lines[0].strip() == "---" and doc and "---" in (s.strip() for s in lines[1:]):
        if any(":" in line for line in lines[1:4]):  # front matter, not a rule
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
            lines = lines[end + 1 :]
    out: list[str] = []
    prose: list[str] = []  # lines of prose, converted together (a role may span two lines)

    def flush() -> None:
        if prose:
            text = _DEFINITION.sub(r"- **\g<term>**: \g<body>", "\n".join(prose))
            out.append(convert_inline(text, book, doc))
            prose.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if (match := _FENCE_OPEN.match(line)) is not None:
            flush()
            fence = match["fence"]
            close = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
            j = i + 1
            depth = 0
            while j < len(lines):
                if _FENCE_OPEN.match(lines[j]) and _FENCE_OPEN.match(lines[j])["fence"] == fence:
                    depth += 1
                elif close.match(lines[j]):
                    if depth == 0:
                        break
                    depth -= 1
                j += 1
            body = [b.removeprefix(match["indent"]) for b in lines[i + 1 : j]]
            out.append(_directive(match["name"], match["arg"].strip(), body, book, doc))
            i = j + 1
            continue
        if _PLAIN_FENCE.match(line):  # a plain code block: copied as it is
            flush()
            fence = _PLAIN_FENCE.match(line)[1]
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(fence):
                j += 1
            out.extend(lines[i : j + 1])
            i = j + 1
            continue
        if _LABEL.match(line) or _COMMENT.match(line):
            i += 1
            continue
        if (eq := _EQ_LABEL.match(line)) is not None:
            if eq["head"].strip():
                prose.append(eq["head"])
            flush()
            target = book.targets.get(eq["label"])
            if target is not None and target.number:
                out.append(f"\\tag{{{target.number.strip('()')}}}")
            out.append("$$")
            i += 1
            continue
        prose.append(line)
        i += 1
    flush()
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
