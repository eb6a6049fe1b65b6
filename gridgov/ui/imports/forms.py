from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from gridgov.data.sheets.framework import MAX_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Excel文件（.xlsx）"),
        error_messages={"required": _("请选择要导入的Excel文件"), "empty": _("文件是空的")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        uploaded: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (uploaded.name or "").lower()
        if name.endswith((".xls", ".csv", ".et")):
            raise forms.ValidationError(_("请上传.xlsx格式（旧版.xls、CSV、WPS表格请先“另存为”.xlsx）"))
        if uploaded.size is not None and uploaded.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过20MB，请拆分后分批导入"))
        return uploaded
