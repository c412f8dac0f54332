"""A photo of a certificate's QR code, for the public verification: the code holds the address of the verification
page (`/verify/<number>/`, mounted by ocop/urls.py; certificates.rendering.verify_url writes it), whose number the
page then checks as if it had been typed."""
from urllib.parse import unquote, urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..images import qr_texts
from ..uploads import IMAGE_TYPES, validate_upload

QR_PHOTO_MAX_BYTES = 10 * 1024 * 1024
VERIFY_PATH = "/verify/"


class QrPhotoForm(forms.Form):
    """The photo, read on the server (ocop.images.qr_texts); once valid, `number` is the certificate number its code
    names and `qr_text` the code's whole text."""
    photo = forms.FileField(label=_("Photo of the QR code"), allow_empty_file=True,
                            help_text=_("A JPEG or PNG photo in which the QR code printed on the certificate or the "
                                        "product's label is sharp and whole."),
                            error_messages={"required": _("Choose a photo of the QR code.")})

    def clean_photo(self):
        uploaded = self.cleaned_data["photo"]
        if not uploaded.size:
            raise forms.ValidationError(_("This file is empty."))
        validate_upload(uploaded, allowed=IMAGE_TYPES, max_bytes=QR_PHOTO_MAX_BYTES)
        texts = qr_texts(uploaded)
        if not texts:
            raise forms.ValidationError(_("No QR code could be read in this photo. Take it again closer, with the "
                                          "whole code sharp and well lit, or type the certificate's number."))
        numbers = [(text, certificate_number_in(text)) for text in texts]
        numbers = [(text, number) for text, number in numbers if number]
        if not numbers:
            raise forms.ValidationError(
                _("The QR code in this photo is not an OCOP certificate's: it reads “%(text)s”."),
                params={"text": texts[0][:200]})
        self.qr_text, self.number = numbers[0]
        return uploaded

    @property
    def foreign_host(self) -> str:
        """The site the code leads to when it is not this one ("" when it is): the number is still checked here,
        in the register, but the visitor is told where the code pointed."""
        host = urlsplit(self.qr_text).hostname or ""
        return "" if not host or host == urlsplit(settings.SITE_URL).hostname else host


def certificate_number_in(text: str) -> str:
    """The certificate number a verification address names ("…/verify/015/2024/GCN-TW/" → "015/2024/GCN-TW"), or ""
    for any other text."""
    path = urlsplit(text.strip()).path
    marker = path.find(VERIFY_PATH)
    if marker < 0:
        return ""
    return unquote(path[marker + len(VERIFY_PATH):]).strip("/ ")
