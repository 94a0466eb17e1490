"""Dependency audit: pip-audit over the installed packages, saying plainly when it could not check.

pip-audit prints "No known vulnerabilities found" even when it could not look a single package
up, so its JSON report is read instead: a known vulnerability fails (exit 1); a database that
could not be reached is reported as skipped and does not fail the build.
"""

from __future__ import annotations

import json
import subprocess
import sys

SKIPPED = "dependency audit skipped: vulnerability database unreachable"
COMMAND = [
    *(sys.executable, "-m", "pip_audit", "--local", "--skip-editable"),
    *("--format", "json", "--progress-spinner", "off", "--timeout", "10"),
]


def main() -> int:
    """Run the audit and print one verdict; 1 when a dependency has a known vulnerability."""
    run = subprocess.run(COMMAND, capture_output=True, text=True, check=False)
    try:
        dependencies = json.loads(run.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        reason = (run.stderr.strip().splitlines() or ["no report"])[-1][:200]
        print(f"{SKIPPED} ({reason})")
        return 0
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        ids = ", ".join(v["id"] for v in dep["vulns"])
        print(f"dependency audit: {dep['name']} {dep['version']} has known vulnerabilities: {ids}")
    if vulnerable:
        return 1
    if not audited:
        print(f"{SKIPPED} (none of {len(dependencies)} packages could be looked up)")
        return 0
    unchecked = len(dependencies) - len(audited)
    note = f"; {unchecked} could not be looked up" if unchecked else ""
    print(f"dependency audit: no known vulnerabilities in {len(audited)} packages{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
