#!/usr/bin/env bash
# Install the 1EdTech OB 2.0 validator (PyPI badgecheck 1.2.0) into its own venv.
# It cannot share the project venv: it pins PyLD 0.7.1, jsonschema 2.6.0, etc.
# Its own pins cannot be installed together (rfc3986==0.4.1 vs openbadges-bakery's
# >=1.5.0), and python-jose 3.0.1 fails to import on Python >= 3.10
# (collections.Mapping), so it is installed without deps plus a working set.
set -euo pipefail
venv="${BADGECHECK_VENV:-/tmp/badgecheck-venv}"
python="${PYTHON:-python3.11}"
"$python" -m venv "$venv"
"$venv/bin/pip" install -q --no-deps badgecheck==1.2.0
"$venv/bin/pip" install -q aniso8601 Click future jsonschema==2.6.0 language-tags==0.4.3 \
  openbadges-bakery==2.0.0 puremagic==1.6 pycryptodome pydux==0.2.2 PyLD==0.7.1 \
  python-jose==3.3.0 python-mimeparse==1.6.0 pytz requests requests-cache 'rfc3986>=1.5' \
  validators==0.11.2 setuptools
"$venv/bin/python" -c "import openbadges.verifier" && echo "badgecheck ready: $venv/bin/python"
