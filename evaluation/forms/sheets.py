"""The score sheet upload form (system administrators)."""
from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ocop.uploads import validate_upload

MAX_YAML_BYTES = 2 * 1024 * 1024
EXTENSIONS = (".yaml", ".yml", ".xlsx")


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Score sheet file"),
        help_text=_("YAML (.yaml, .yml) or Excel (.xlsx) in the format described on this page."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )
    replace = forms.BooleanField(
        label=_("Replace the existing sheet of the same regulation and product set"), required=False,
        help_text=_("Refused when evaluations already use that sheet: import the new version under its own "
                    "regulation instead."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        name = uploaded.name.lower()
        if not name.endswith(EXTENSIONS):
            raise ValidationError(_("“%(name)s” is not a .yaml, .yml or .xlsx file."), code="bad_extension",
                                  params={"name": uploaded.name})
        if name.endswith(".xlsx"):
            validate_upload(uploaded, allowed=("xlsx",))
        elif uploaded.size > MAX_YAML_BYTES:
            raise ValidationError(_("“%(name)s” is %(size)s; the limit is %(limit)s."), code="too_large", params={
                "name": uploaded.name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(MAX_YAML_BYTES)})
        return uploaded


class SheetConfirmForm(forms.Form):
    """The second step: import the file checked in the first one (kept in the session under `token`)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
