#!/usr/bin/env bash
# Regenerate the Vietnamese catalogue from the source, fold in translation fragments
# (locale/vi/fragments/*.po: msgid/msgstr pairs written beside new code), compile, and list what is
# still untranslated. Existing translations in django.po win over fragments.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PO=locale/vi/LC_MESSAGES/django.po
mm() {
  $PY manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --ignore=bench --no-obsolete -v0
  # msgmerge's fuzzy guesses are usually wrong for short strings: empty them so they show as untranslated.
  msgattrib --clear-fuzzy --empty --no-obsolete "$PO" -o "$PO"
}
mm
shopt -s nullglob
frags=(locale/vi/fragments/*.po)
if [ ${#frags[@]} -gt 0 ]; then
  msgcat --use-first "$PO" "${frags[@]}" -o "$PO.tmp"
  mv "$PO.tmp" "$PO"
  mm
fi
msgfmt --check -o /dev/null "$PO"
$PY manage.py compilemessages --ignore=.venv -v0
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)
echo "untranslated: $(( untranslated > 0 ? untranslated - 1 : 0 ))  fuzzy: $(( fuzzy > 0 ? fuzzy - 1 : 0 ))"
if [ "${1:-}" = "--list" ]; then msgattrib --untranslated --no-obsolete "$PO" | grep '^msgid ' | tail -n +2; fi
