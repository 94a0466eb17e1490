"""The outreach console's HTML fragments (inside the cases console's layout)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.counsel.console.templates import form, notice, select, text
from bot.outreach.auth import PREFIX
from bot.outreach.figures import Funnel
from bot.outreach.model import Invite, Worker

FILES = (
    ("qr.png", "QR (PNG)"),
    ("qr.svg", "QR (SVG)"),
    ("card.png", "Card to share"),
    ("flyer-a4.pdf", "Flyer A4"),
    ("flyer-a6.pdf", "Flyer A6"),
)


def _input(name: str, label: str, kind: str = "text", extra: str = "") -> str:
    ident = f"{name}-field"
    return (
        f'<label for="{ident}">{text(label)}</label>'
        f'<input id="{ident}" name="{name}" type="{kind}"{extra}>'
    )


def login_body(csrf: str, problem: str = "") -> str:
    """The outreach worker's login form."""
    fields = (
        '<label for="name">Your name</label>'
        '<input id="name" name="name" autocomplete="username" required>'
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" '
        'autocomplete="current-password" required>'
    )
    problem_html = notice(problem, bad=True) if problem else ""
    body = form(f"{PREFIX}/login", csrf, fields, "Log in")
    return f"<h1>Outreach: log in</h1>{problem_html}<section>{body}</section>"


def invite_form(csrf: str, languages: Sequence[tuple[str, str]]) -> str:
    """Make a new invite: organisation, campaign, language, expiry, use limit."""
    fields = (
        _input("organisation", "Organisation", extra=" required maxlength=128")
        + _input("campaign", "Campaign", extra=" required maxlength=128")
        + select("language", "Language for the person", [("", "Let them choose"), *languages])
        + _input("expires", "Last day (optional)", "date")
        + _input("max_uses", "How many people at most (optional)", "number", ' min="1"')
    )
    return (
        "<h2>New invite</h2><section>"
        + form(f"{PREFIX}/invites", csrf, fields, "Make invite")
        + "</section>"
    )


def invite_list(invites: Sequence[Invite], public_url: str, names: dict[str, str]) -> str:
    """Each invite with its landing page and its downloads."""
    if not invites:
        return '<h2>Invites</h2><p class="muted">No invites yet.</p>'
    cards = []
    for invite in invites:
        landing = f"{public_url}/i/{invite.code}"
        files = " · ".join(
            f'<a href="{PREFIX}/invites/{invite.code}/{name}">{label}</a>' for name, label in FILES
        )
        limit = f"{invite.uses} of {invite.max_uses}" if invite.max_uses else str(invite.uses)
        until = invite.expires_at.date().isoformat() if invite.expires_at else "no end"
        cards.append(
            f'<li class="card" data-code="{text(invite.code)}"><p class="open">'
            f"{text(invite.organisation)} · {text(invite.campaign)}</p>"
            f"<p>🌐 {text(invite.language or 'chosen by the person')} · 👥 {limit} · ⏳ {until}"
            f" · {text(names.get(invite.worker_id, invite.worker_id))}</p>"
            f'<p><a href="{text(landing)}">{text(landing)}</a></p><p>{files}</p></li>'
        )
    return '<h2>Invites</h2><ul class="cases">' + "".join(cards) + "</ul>"


def figures_table(funnels: Sequence[Funnel], topics: Sequence[str]) -> str:
    """The funnel of each invite as a table, with the CSV and charts linked."""
    if not funnels:
        return ""
    steps = [step for step, _ in funnels[0].rows(topics)]
    head = "".join(f"<th>{text(step)}</th>" for step in ["invite", *steps])
    body = "".join(
        f'<tr><td><a href="{PREFIX}/invites/{text(f.label)}/funnel.png">'
        f"{text(f.label[:6])}</a></td>"
        + "".join(f"<td>{count}</td>" for _, count in f.rows(topics))
        + "</tr>"
        for f in funnels[:-1]
    )
    total = funnels[-1]
    body += "<tr><th>all</th>" + "".join(f"<th>{n}</th>" for _, n in total.rows(topics)) + "</tr>"
    return (
        '<h2>Figures</h2><section class="wide"><table id="figures">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        f'<p><a href="{PREFIX}/figures.csv">Download the figures (CSV)</a></p></section>'
    )


def workers_section(csrf: str, workers: Sequence[Worker]) -> str:
    """For admins: the outreach workers, and a form to add one or set a password."""
    names = "".join(f"<li>{text(w.name)}</li>" for w in workers) or "<li>none yet</li>"
    fields = (
        _input("name", "Name", extra=" required maxlength=128")
        + _input("password", "Password", "password", ' required autocomplete="new-password"')
        + _input("telegram_id", "Telegram user id (optional)", "number")
    )
    add = form(f"{PREFIX}/workers", csrf, fields, "Add outreach worker")
    return (
        f'<h2>Outreach workers</h2><section><ul class="plain">{names}</ul>{add}</section>'
        f'<p><a href="{PREFIX}/report">Programme report</a> · <a href="/counsellor">Cases</a></p>'
    )


def report_body(
    lines: Sequence[tuple[str, str, str]],
    query: str,
    charts: Sequence[str],
    organisations: Sequence[str],
    chosen: dict[str, str],
) -> str:
    """The programme report: the period form, the table, the charts."""
    fields = (
        _input("from", "From", "date", f' value="{text(chosen.get("from", ""))}"')
        + _input("to", "Until (not included)", "date", f' value="{text(chosen.get("to", ""))}"')
        + select(
            "org",
            "Organisation",
            [("", "All"), *((o, o) for o in organisations)],
            chosen.get("org", ""),
        )
    )
    period = f'<form method="get" action="{PREFIX}/report">{fields}<button>Show</button></form>'
    rows = "".join(
        f"<tr><td>{text(s)}</td><td>{text(i)}</td><td>{text(c)}</td></tr>" for s, i, c in lines
    )
    images = "".join(
        f'<img src="{text(src)}" alt="{text(alt)}">'
        for src, alt in zip(charts[::2], charts[1::2], strict=True)
    )
    return (
        f"<h1>Programme report</h1><section>{period}</section>"
        '<p class="muted">Counts under 5 are shown as "&lt;5".</p>'
        f'<section class="wide"><table id="report"><thead><tr><th>section</th><th>item</th>'
        f"<th>people</th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p><a href="{PREFIX}/report.csv?{text(query)}">Download (CSV)</a></p></section>'
        f'<section class="charts">{images}</section>'
    )


def form_logout(csrf: str) -> str:
    """The log-out button of the page header."""
    return form(f"{PREFIX}/logout", csrf, "", "Log out")
