"""Regenerate the transcripts after an intended change: `python -m tests.transcripts.update`.

With file names, only those; without, every transcript in tests/transcripts/. Review the diff
(`git diff tests/transcripts`) like code before committing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.transcripts.replay import update, walks


def main(argv: list[str]) -> int:
    """Rewrite the named transcripts (or all) from their replay; print the changed ones."""
    paths = [Path(arg) for arg in argv] or walks()
    for path in paths:
        print(f"{'updated' if update(path) else 'unchanged'}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
