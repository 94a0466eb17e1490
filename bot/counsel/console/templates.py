"""The console's HTML: one layout, small fragments, every text value escaped on the way in."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from string import Template

from bot.framework.i18n import Translator

_LAYOUT = Template("""<!doctype html>
<html lang="$lang" dir="$direction">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>$title · $console</title>
<style nonce="$nonce">
*{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.5 system-ui,sans-serif;color:#1a1a1a;background:#f6f6f4}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;
 padding:.5rem 1rem;background:#12355b;color:#fff}
header a{color:#fff;font-weight:700;text-decoration:none;
 display:inline-flex;align-items:center;min-height:44px}
header form{margin:0}header .who{overflow-wrap:anywhere}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
h3{font-size:1.05rem;margin:1rem 0 .25rem}
a{color:#0b4a8f;overflow-wrap:anywhere}
section,.card{background:#fff;border-radius:.75rem;padding:.75rem 1rem;margin:0 0 1rem}
ul.cases{list-style:none;padding:0;margin:0}
.card p{margin:.25rem 0}.card .open{font-size:1.15rem;font-weight:700}
.muted{color:#555}.flags{color:#7a3e00}
.notice{padding:.75rem 1rem;border-radius:.75rem;background:#e3f0ff;color:#0b2f5a;margin:0 0 1rem}
.notice.bad{background:#ffe0e0;color:#8a0f0f}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input,select,textarea{display:block;width:100%;max-width:100%;font:inherit;padding:.5rem;
 border:1px solid #888;border-radius:.5rem;background:#fff}
textarea{min-height:5rem;resize:vertical}
button{font:inherit;font-weight:600;min-height:2.75rem;padding:.5rem 1rem;margin:.5rem .5rem 0 0;
 border:0;border-radius:.5rem;background:#12355b;color:#fff;cursor:pointer}
button.quiet{background:#e4e4e0;color:#1a1a1a}button.warn{background:#8a0f0f}
header button{background:#fff;color:#12355b;min-height:2.25rem;margin:0}
.row{display:flex;flex-wrap:wrap;gap:0 .5rem}.row form{margin:0}
dl{margin:0}dt{font-weight:600;margin:.5rem 0 0}dd{margin:0;overflow-wrap:anywhere}
@media (min-width:40rem){dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
 dt{margin:0}}
ul.flags,ul.plain{margin:0;padding-inline-start:1.25rem}ul.plain li{margin:.25rem 0}
ol.answers{margin:0;padding-inline-start:1.5rem}ol.answers li{margin:0 0 .5rem}
ol.chat{list-style:none;padding:0;margin:0}
ol.chat li{padding:.5rem .75rem;border-radius:.75rem;margin:0 0 .5rem;background:#eef1f4;
 white-space:pre-wrap;overflow-wrap:anywhere}
ol.chat li.counsellor{background:#dcebff;margin-inline-start:1.5rem}
ol.chat li.bot{background:#f1f1ee;color:#444}
ol.chat .meta{display:block;font-size:.85rem;color:#555;white-space:normal}
:focus-visible{outline:3px solid #e08600;outline-offset:2px}
footer{max-width:48rem;margin:0 auto;padding:0 1rem 2rem}
footer form{display:flex;flex-wrap:wrap;gap:0 .5rem;align-items:flex-end}
footer label{flex-basis:100%}footer select{flex:1 1 10rem;width:auto}
</style>
</head>
<body>
<header><a href="/counsellor">🧑‍🏫 $cases</a>$who</header>
<main>
$body
</main>
$foot
</body>
</html>
""")


def text(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape(str(value), quote=True)


def fill(template: Template, plain: Mapping[str, object], markup: Mapping[str, str]) -> str:
    """Fill a template: `plain` values are escaped, `markup` is already-safe HTML."""
    return template.substitute({k: text(v) for k, v in plain.items()}, **markup)


def layout(t: Translator, title: str, nonce: str, body: str, who: str = "", foot: str = "") -> str:
    """The whole page around an already-safe `body`, in `t`'s language (`foot`: safe HTML)."""
    plain = {
        "title": title,
        "nonce": nonce,
        "lang": t.locale,
        "direction": "rtl" if t.rtl else "ltr",
        "console": t.gettext("Counsellor console"),
        "cases": t.gettext("Cases"),
    }
    return fill(_LAYOUT, plain, {"body": body, "who": who, "foot": foot})


def form(action: str, csrf: str, fields: str, button: str, css: str = "") -> str:
    """A POST form with its CSRF token; `fields` is safe HTML, `button` plain text."""
    klass = f' class="{text(css)}"' if css else ""
    return (
        f'<form method="post" action="{text(action)}">'
        f'<input type="hidden" name="csrf" value="{text(csrf)}">{fields}'
        f"<button{klass}>{text(button)}</button></form>"
    )


def select(name: str, label: str, options: Iterable[tuple[str, str]], chosen: str = "") -> str:
    """A labelled select of ``(value, shown text)`` pairs."""
    items = "".join(
        f'<option value="{text(value)}"{" selected" if value == chosen else ""}>{text(shown)}'
        "</option>"
        for value, shown in options
    )
    ident = f"{name}-field"
    return (
        f'<label for="{ident}">{text(label)}</label>'
        f'<select id="{ident}" name="{name}">{items}</select>'
    )


def textarea(name: str, label: str, ident: str, required: bool = False, limit: int = 2000) -> str:
    """A labelled text box (`ident` keeps ids unique when one page has several)."""
    needed = " required" if required else ""
    return (
        f'<label for="{text(ident)}">{text(label)}</label>'
        f'<textarea id="{text(ident)}" name="{text(name)}" maxlength="{limit}"{needed}></textarea>'
    )


def notice(message: str, bad: bool = False) -> str:
    """A message at the top of the page, read out by screen readers."""
    role, css = ("alert", "notice bad") if bad else ("status", "notice")
    return f'<p class="{css}" role="{role}">{text(message)}</p>'


def dl(rows: Iterable[tuple[str, str]]) -> str:
    """A definition list of ``(term, safe HTML)`` rows."""
    return (
        "<dl>" + "".join(f"<dt>{text(term)}</dt><dd>{html}</dd>" for term, html in rows) + "</dl>"
    )
