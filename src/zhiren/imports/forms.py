from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .limits import upload_size_error

ACCEPTED_SUFFIXES = (".csv", ".txt", ".xlsx")


def check_upload_size(upload: UploadedFile[bytes]) -> None:
    """Refuse an upload over ``IMPORT_MAX_FILE_MB`` with a message naming the limit (a form's ``clean_file``)."""
    message = upload_size_error(upload.size)
    if message is not None:
        raise forms.ValidationError(message)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX; the first row holds the headers."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        check_upload_size(upload)
        return upload
