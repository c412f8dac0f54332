"""Django's own validation messages whose Vietnamese wording this site corrects.

Django's Vietnamese catalogue writes some of them with a stray space before the full stop ("lớn hơn hoặc bằng
với 0 .") or stiffly. The project's catalogue (LOCALE_PATHS) is looked up before Django's, so a msgid listed
here and translated in locale/vi/LC_MESSAGES/django.po replaces Django's wording everywhere, forms and admin
alike. Listed only so that makemessages keeps them in the catalogue; nothing imports this module.
"""
from django.utils.translation import gettext_noop, ngettext_lazy

CORRECTED = [
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is %(limit_value)s (it is %(show_value)s)."),
    gettext_noop("Please correct the duplicate data for %(field)s."),
    ngettext_lazy("Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
    ngettext_lazy("Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                  "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                  "limit_value"),
]
