#!/usr/bin/env bash
# Regenerate the Vietnamese catalogue from the source, compile it, and list what is still untranslated.
# New strings appear in locale/vi/LC_MESSAGES/django.po with an empty msgstr: translate them there (a one-word
# msgid used in two senses gets a pgettext context in the code), then run this again; it must end with
# "untranslated: 0".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PO=locale/vi/LC_MESSAGES/django.po
$PY manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --ignore=bench --no-obsolete -v0
# msgmerge's fuzzy guesses are usually wrong for short strings: empty them so they show as untranslated.
msgattrib --clear-fuzzy --empty --no-obsolete "$PO" -o "$PO"
msgfmt --check -o /dev/null "$PO"
$PY manage.py compilemessages --ignore=.venv -v0
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
echo "untranslated: $(( untranslated > 0 ? untranslated - 1 : 0 ))  fuzzy: $(( fuzzy > 0 ? fuzzy - 1 : 0 ))"
if [ "${1:-}" = "--list" ]; then msgattrib --untranslated --no-obsolete "$PO" | grep '^msgid ' | tail -n +2; fi
