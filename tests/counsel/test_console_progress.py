"""A case shows each topic's earlier levels and practice ticks next to the current result."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.counsel.console.pages import CaseView, Viewer, case_body
from bot.counsel.model import Case
from bot.dialogs.definition import load_content
from bot.dialogs.handoff import case_summary
from bot.framework.i18n import Catalogs
from bot.framework.session import Session, SessionKey

KEY = SessionKey("web", "chat-ana")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def page_of(summary: dict[str, object]) -> str:
    case = Case(1, KEY, "open", "person", dict(summary), "en", NOW, None, None, None, None)
    view = CaseView(case, [], [], {}, NOW)
    return case_body(
        view,
        Viewer("c1", "csrf", Catalogs(DEFAULT_LOCALES).get("en")),
        load_content(DEFAULT_CONTENT),
    )


def test_the_case_shows_results_with_flags_and_no_progress_when_there_is_none() -> None:
    state = Session(KEY, locale="en", consent=True)
    state.results = {"SOC": {"level": 2, "flags": [{"code": "too_fast"}]}}
    html = page_of(case_summary(state))
    assert "All finished topics" in html
    assert "On my own" in html
    assert "before:" not in html
    assert "practised" not in html


def test_the_case_shows_earlier_levels_and_practice_ticks() -> None:
    content = load_content(DEFAULT_CONTENT)
    soc_outcomes = [o.id for o in content.outcomes.values() if o.category == "SOC"]
    summary = {
        "results": {"SOC": {"level": 2, "flags": []}, "PER": {"level": 1, "flags": []}},
        "earlier": {"SOC": [0, 1]},
        "practised": {soc_outcomes[0]: 2, soc_outcomes[1]: 1},
    }
    html = page_of(summary)
    soc = next(line for line in html.split("<li>") if "Social" in line)
    assert "before: " in soc
    assert soc.index("0:") < soc.index("1:")  # oldest first
    assert "practised 3×" in soc
    per = next(line for line in html.split("<li>") if "Personal" in line)
    assert "before:" not in per
    assert "practised" not in per
