"""Print each catalog's translation status from its `# Status: …; reviewed entries: N` line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"
STATUS = re.compile(r"^# Status: (?P<text>.*?)(?:; reviewed entries: (?P<n>\d+|all)\b.*)?$", re.M)


def status_rows(locales: Path = LOCALES) -> list[tuple[str, int, int, str]]:
    """Language, translated entries, unreviewed entries and status text, per catalog."""
    rows = []
    for po_path in sorted(locales.glob("*/LC_MESSAGES/messages.po")):
        language = po_path.parent.parent.name
        head = po_path.read_text(encoding="utf-8").split("\nmsgid", 1)[0]
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        found = STATUS.search(head)
        text = found["text"] if found else "no status line"
        reviewed = found["n"] if found and found["n"] else "0"
        unreviewed = 0 if reviewed == "all" else max(done - int(reviewed), 0)
        rows.append((language, done, unreviewed, text))
    return rows


def main() -> int:
    """Print the table; exit 1 when a catalog has no status line."""
    rows = status_rows()
    print(f"{'lang':<5} {'entries':>7} {'unreviewed':>10}  status")
    for language, done, unreviewed, text in rows:
        print(f"{language:<5} {done:>7} {unreviewed:>10}  {text}")
    return 1 if any(text == "no status line" for *_, text in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
