"""The conversation: routes each event to onboarding, menu, assessment, results or account."""

from __future__ import annotations

from bot.dialogs import (
    account,
    assessment,
    handoff,
    onboarding,
    passport,
    practice,
    progress,
    second_language,
)
from bot.dialogs.content import Content
from bot.dialogs.languages import typed_language
from bot.dialogs.matching import match_option
from bot.dialogs.menu import category_name, show_menu, show_more
from bot.dialogs.results import all_summaries, award_badge, finish_category, show_picture
from bot.framework.actions import ResendBadges, SendImage
from bot.framework.events import (
    ChoiceSelected,
    CommandReceived,
    InviteMade,
    InviteOpened,
    MediaReceived,
    Reconnected,
    TextReceived,
)
from bot.framework.i18n import Catalogs
from bot.framework.turn import Turn

MAX_TEXT = 4096


class SpoccDialogs:
    """The SPOCC self-assessment conversation, as a pure step over a Turn."""

    def __init__(
        self,
        content: Content,
        catalogs: Catalogs,
        local_language: str | None = None,
        retake_after_days: int = progress.RETAKE_AFTER_DAYS,
    ) -> None:
        self.content = content
        self.catalogs = catalogs
        self.local_language = local_language or catalogs.source_language
        self.retake_after_days = retake_after_days

    def handle(self, turn: Turn, locale_hint: str | None) -> None:
        """Apply one event."""
        event = turn.event
        if isinstance(event, InviteMade):
            outreach_reply(turn, event)
        elif isinstance(event, handoff.COUNSELLOR_EVENTS):
            handoff.on_counsellor(turn, self.content, self.repeat)
        elif handoff.claimed(turn):
            handoff.relay(turn)
        elif isinstance(event, CommandReceived):
            self._command(turn, event, locale_hint)
        elif isinstance(event, InviteOpened):
            self._invite(turn, event, locale_hint)
        elif turn.state.step == "new":
            onboarding.ask_language(turn, self.catalogs, locale_hint)
        elif isinstance(event, Reconnected):
            if not self._offer_retake(turn):
                self.repeat(turn, locale_hint)
        elif isinstance(event, ChoiceSelected):
            self._choice(turn, event.payload, locale_hint)
        elif isinstance(event, TextReceived):
            self._text(turn, event.text, locale_hint)
        elif isinstance(event, MediaReceived):
            self._media(turn, event.kind, locale_hint)

    def repeat(self, turn: Turn, locale_hint: str | None = None) -> None:
        """Show again whatever the person was asked last."""
        state = turn.state
        if state.step in ("new", "language"):
            onboarding.ask_language(turn, self.catalogs, locale_hint)
        elif state.step == second_language.STEP:
            second_language.ask(turn, self.catalogs, self.local_language)
        elif not state.consent:
            onboarding.ask_consent(turn)
        elif state.category is not None and not assessment.category_finished(turn, self.content):
            self._ask_again(turn)
        else:
            show_menu(turn, self.content)

    # -- commands --------------------------------------------------------------------------

    def _command(self, turn: Turn, event: CommandReceived, hint: str | None) -> None:
        state, name = turn.state, event.command.lower()
        if name == "start":
            state.invite = state.invite or onboarding.clean_invite(event.args)
            if state.consent and state.step != "new":
                turn.say("👋 " + turn.t.gettext("Welcome back!"))
                if self._offer_retake(turn):
                    return
            self.repeat(turn, hint)
        elif name == "language":
            onboarding.ask_language(turn, self.catalogs, hint)
        elif name == "human":
            self._human(turn, hint)
        elif name == "help":
            account.show_help(turn)
            self.repeat(turn, hint)
        elif not state.consent:
            self.repeat(turn, hint)
        elif name == "name":
            account.set_first_name(turn, event.args)
            self.repeat(turn, hint)
        elif name in ("stop", "delete", "export", "menu", "back", "badges"):
            self._account_command(turn, name)
        elif name == "passport":
            passport.request(turn, self.catalogs, self.local_language)
        else:
            turn.say(
                "🤔 "
                + turn.t.gettext("I do not know this command. These work:")
                + " /start /help /language /stop /delete /export /human"
            )
            self.repeat(turn, hint)

    def _invite(self, turn: Turn, event: InviteOpened, hint: str | None) -> None:
        """A checked invite: keep it, start in its language; a bad one gets a kind word."""
        state = turn.state
        if not event.accepted:
            if state.locale is None:
                turn.t = self.catalogs.get(self.catalogs.best_match(hint))
            turn.say("🙂 " + turn.t.gettext(onboarding.INVITE_NOT_VALID))
        else:
            state.invite = state.invite or event.code
            if state.step == "new" and event.language in self.catalogs.languages:
                state.locale, state.step = event.language, "menu"
                turn.t = self.catalogs.get(event.language)
        self._command(turn, CommandReceived("start"), hint)

    def _account_command(self, turn: Turn, name: str) -> None:
        if name == "stop":
            account.pause(turn)
        elif name == "delete":
            account.ask_delete(turn)
        elif name == "export":
            account.export(turn)
        elif name == "back":
            self._back(turn)
        elif name == "badges":
            turn.emit(ResendBadges(turn.t.locale))
        else:
            show_menu(turn, self.content)

    # -- taps -----------------------------------------------------------------------------

    def _choice(self, turn: Turn, payload: str, hint: str | None) -> None:
        prefix = payload.split(":", 1)[0]
        if prefix == "lang":
            self._set_language(turn, payload.split(":", 1)[1], hint)
        elif prefix == "langs":
            self._language_page(turn, payload.split(":", 1)[1], hint)
        elif prefix == "audio":
            self._set_audio(turn, payload == "audio:on", hint)
        elif prefix == "nav":
            self._nav(turn, payload.split(":", 1)[1], hint)
        elif prefix == "consent" and turn.state.step == "consent":
            self._consent(turn, payload == "consent:yes")
        elif prefix == "del" and turn.state.step == "confirm_delete":
            self._confirm_delete(turn, payload == "del:yes")
        elif prefix == "pass" and turn.state.consent:
            passport.choice(turn, payload, self.catalogs, self.local_language)
        elif prefix == "cat" and turn.state.step == "menu" and turn.state.consent:
            self._open_category(turn, payload.split(":", 1)[1])
        elif prefix == "q" and turn.state.step == "question":
            self._answer_tap(turn, payload, hint)
        elif prefix == "tip" and turn.state.consent:
            self._tried(turn, payload.split(":", 1)[1], hint)
        else:
            self._stale(turn, hint)

    def _confirm_delete(self, turn: Turn, confirmed: bool) -> None:
        if confirmed:
            account.delete(turn)
        else:
            self.repeat_after_pause(turn)

    def _nav(self, turn: Turn, where: str, hint: str | None) -> None:
        if where == "help":
            account.show_help(turn)
            self.repeat(turn, hint)
        elif where == "start":
            self._command(turn, CommandReceived("start", ""), hint)
        elif where == "language":
            onboarding.ask_language(turn, self.catalogs, hint)
        elif where == "bilingual":
            if not second_language.toggle(turn, self.catalogs, self.local_language):
                self.repeat(turn, hint)
        elif where == "human":
            self._human(turn, hint)
        elif not turn.state.consent:
            self.repeat(turn, hint)
        elif where == "back":
            self._back(turn)
        elif where == "results":
            self._results(turn)
        elif where == "more":
            show_more(turn)
        elif where in ("badges", "export", "delete", "stop"):
            self._account_command(turn, where)
        elif where == "passport":
            passport.request(turn, self.catalogs, self.local_language)
        elif where == "practice":
            practice.show_practice(turn, self.content)
            show_menu(turn, self.content)
        elif where == "resume":
            self.repeat_after_pause(turn)
        else:
            show_menu(turn, self.content)

    def _human(self, turn: Turn, hint: str | None) -> None:
        if not turn.state.consent:  # a case is stored data: agreement first, in plain words
            turn.say("🙋 " + turn.t.gettext("A counsellor can help you. First, please say yes."))
            self.repeat(turn, hint)
            return
        handoff.request(turn)
        if turn.state.handoff != "claimed":
            self.repeat(turn, hint)

    def _language_page(self, turn: Turn, page: str, hint: str | None) -> None:
        if not page.isdecimal():
            self._stale(turn, hint)
            return
        onboarding.ask_language(turn, self.catalogs, hint, int(page))

    def _set_language(self, turn: Turn, code: str, hint: str | None) -> None:
        if code not in self.catalogs.languages:
            self._stale(turn, hint)
            return
        if turn.state.step == second_language.STEP:
            second_language.choose(turn, self.catalogs, code)
            self.repeat(turn, hint)
            return
        turn.state.locale = code
        second = turn.state.second_language
        turn.use_languages(self.catalogs.get(code), self.catalogs.get(second) if second else None)
        if turn.state.step in ("new", "language"):
            turn.state.step = "menu"
        self.repeat(turn, hint)

    def _set_audio(self, turn: Turn, on: bool, hint: str | None) -> None:
        """Switch speech on or off, then show again where the person is (heard, if on)."""
        turn.state.audio = on
        if turn.state.step == "menu":
            show_menu(turn, self.content)
        else:
            self.repeat(turn, hint)

    def _consent(self, turn: Turn, agreed: bool) -> None:
        if not agreed:
            onboarding.decline(turn)
            return
        turn.state.consent = True
        show_menu(turn, self.content, "🙏 " + turn.t.gettext("Thank you! Let's start."))

    def _open_category(self, turn: Turn, category_id: str) -> None:
        if category_id not in {c.id for c in self.content.categories}:
            show_menu(turn, self.content)
            return
        assessment.start_category(turn, self.content, category_id)

    def _answer_tap(self, turn: Turn, payload: str, hint: str | None) -> None:
        if assessment.on_choice(turn, self.content, payload):
            self._after_answer(turn)
        else:
            self._stale(turn, hint)

    def _after_answer(self, turn: Turn) -> None:
        if not assessment.category_finished(turn, self.content):
            assessment.ask(turn, self.content)
            return
        turn.say(finish_category(turn, self.content))
        show_picture(turn, self.content)
        award_badge(turn, turn.state.category or "")
        practice.offer_tips(turn, self.content, turn.state.category)
        done = len(turn.state.results) == len(self.content.categories)
        intro = "🌟 " + turn.t.gettext("You finished all five topics!") if done else ""
        show_menu(turn, self.content, intro)

    def _tried(self, turn: Turn, outcome_id: str, hint: str | None) -> None:
        """A tip's "I tried it": kept; a question that is open is asked again after the thanks."""
        if not practice.on_tried(turn, self.content, outcome_id):
            self._stale(turn, hint)
        elif turn.state.step == "question":
            self._ask_again(turn)

    def _offer_retake(self, turn: Turn) -> bool:
        """When someone comes back to the menu, offer once a topic finished long enough ago."""
        state = turn.state
        if not state.consent or state.step not in ("menu", "paused"):
            return False
        return progress.offer_retake(turn, self.content, self.retake_after_days)

    def _back(self, turn: Turn) -> None:
        state = turn.state
        if state.step == "question" and state.position > 0:
            state.position -= 1
            assessment.ask(turn, self.content)
        else:
            show_menu(turn, self.content)

    def _results(self, turn: Turn) -> None:
        turn.say(
            "📊 " + turn.t.gettext("Your results:") + "\n" + all_summaries(turn, self.content)
        )
        show_picture(turn, self.content)
        show_menu(turn, self.content)

    def repeat_after_pause(self, turn: Turn) -> None:
        """Go on from a pause or a cancelled delete, where the person was."""
        state = turn.state
        in_category = state.category is not None
        if in_category and not assessment.category_finished(turn, self.content):
            assessment.ask(turn, self.content)
        else:
            show_menu(turn, self.content)

    # -- typing and other input -----------------------------------------------------------

    def _text(self, turn: Turn, text: str, hint: str | None) -> None:
        if not text.strip():
            self._misunderstood(turn, turn.t.gettext("I got an empty message."), hint)
        elif len(text) > MAX_TEXT:
            self._misunderstood(turn, turn.t.gettext("Your message is too long for me."), hint)
        elif text.strip().startswith("/"):
            command, _, args = text.strip()[1:].partition(" ")
            self._command(turn, CommandReceived(command.split("@")[0], args.strip()), hint)
        elif not self._typed_answer(turn, text):
            self._misunderstood(turn, "", hint)

    def _typed_answer(self, turn: Turn, text: str) -> bool:
        step = turn.state.step
        if step == "question":
            if not assessment.on_text(turn, self.content, text):
                return False
            self._after_answer(turn)
            return True
        if step in ("language", second_language.STEP):
            return self._typed_language(turn, text)
        if step == "menu":
            return self._typed_category(turn, text)
        if step == "consent":
            return self._typed_consent(turn, text)
        if step == "paused":
            self.repeat_after_pause(turn)
            return True
        return False

    def _typed_language(self, turn: Turn, text: str) -> bool:
        """A language's number in the picker's order, its own or English name, or its code."""
        code = typed_language(self.catalogs, text, turn.state.locale)
        if code is None:
            return False
        self._set_language(turn, code, None)
        return True

    def _typed_category(self, turn: Turn, text: str) -> bool:
        ids = [c.id for c in self.content.categories]
        names = [category_name(turn, self.content, cid) for cid in ids]
        index = match_option(text, names)
        if index is None:
            return False
        self._open_category(turn, ids[index])
        return True

    def _typed_consent(self, turn: Turn, text: str) -> bool:
        words = [turn.t.gettext("Yes"), turn.t.gettext("No")]
        index = match_option(text, words)
        if index is None:
            return False
        self._consent(turn, index == 0)
        return True

    def _media(self, turn: Turn, kind: str, hint: str | None) -> None:
        t = turn.t
        if kind == "voice":
            note = t.gettext("Thank you! I cannot listen to voice messages yet.")
        else:
            note = t.gettext("I cannot open pictures, stickers or files.")
        self._misunderstood(turn, note, hint)

    def _misunderstood(self, turn: Turn, note: str, hint: str | None) -> None:
        turn.state.strikes += 1
        ask = turn.t.gettext("Please tap one of the buttons. You can also type its number.")
        turn.say("🙂 " + (f"{note} {ask}" if note else ask))
        self.repeat(turn, hint)

    def _stale(self, turn: Turn, hint: str | None) -> None:
        turn.say(
            "🙂 " + turn.t.gettext("That button is from an earlier message. Here is where we are:")
        )
        self.repeat(turn, hint)

    def _ask_again(self, turn: Turn) -> None:
        """Re-send the open question with the same buttons, so earlier copies still work."""
        if turn.state.step == "question" and turn.state.question_token:
            assessment.repeat_question(turn, self.content)
        else:
            assessment.ask(turn, self.content)


def outreach_reply(turn: Turn, event: InviteMade) -> None:
    """A worker's `/invite`: the link and its QR code (the console's language, English)."""
    if event.url:
        turn.say("📣 Invite ready. Share this link or the QR code:\n" + event.url)
        turn.emit(SendImage(event.qr_png, event.url))
    else:
        turn.say("📣 " + event.note)
    if turn.state.step == "new":  # a worker who is not also taking part: keep nothing
        turn.session = None
