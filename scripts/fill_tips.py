"""Fill the `<outcome>.tip` messages of each catalog from per-language lists of tips.

Usage: .venv/bin/python scripts/fill_tips.py DIR, where DIR holds `<lang>.txt` files with one
`<outcome id><TAB><tip without its pictogram>` per line; the English tip's pictogram is put first.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parents[1] / "locales"


def fill(lists: Path) -> None:
    """Write every listed tip into its catalog, keeping the English pictogram in front."""
    for source in sorted(lists.glob("*.txt")):
        lang = source.stem
        if lang == "en":
            continue
        tips = dict(
            line.split("\t", 1) for line in source.read_text(encoding="utf-8").splitlines() if line
        )
        path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        filled = 0
        for message in catalog:
            context = message.context or ""
            if context.endswith(".tip") and context[:-4] in tips:
                pictogram = str(message.id).split(" ", 1)[0]
                message.string = f"{pictogram} {tips[context[:-4]].strip()}"
                filled += 1
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0)
        print(f"{lang}: {filled} tips")


if __name__ == "__main__":
    fill(Path(sys.argv[1]))
