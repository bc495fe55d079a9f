"""Forms of the complaint pages: every input bounded; the services check the rest and name the field.

Spam resistance without a captcha service: a hidden field people never fill (``website``, the honeypot) and a signed
timestamp of when the form was shown (``started``): a form sent back within ``JINENG_COMPLAINT_MIN_SECONDS`` (3 by
default) or more than a day later is refused. A form shown again after a refusal of its content carries a new clock
marked as already passed when the refused one had passed (a human correcting an error is not a robot), so it may be
sent back at once. The rate limit (views) counts submissions per address.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from jineng.complaints.models import Category, ObjectKind
from jineng.complaints.services import CLASS_MAX, CONTENT_MAX, NAME_MAX, OBJECT_MAX, TEXT_MAX

SALT = "complaints.form"
MAX_AGE = 86400


def started_token(*, passed: bool = False) -> str:
    """The form clock from now; ``passed``: its sender already waited once (the form shown again after a refusal)."""
    return signing.dumps({"t": time.time(), "p": 1} if passed else {"t": time.time()}, salt=SALT)


def too_fast_or_stale(token: str) -> bool:
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
        shown = float(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return True
    if payload.get("p"):
        return False
    return time.time() - shown < float(getattr(settings, "JINENG_COMPLAINT_MIN_SECONDS", 3))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the attachment store (kind ``complaint``)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data]
        return [one(data, initial)] if data else []


class _Styled(forms.Form):
    """Bootstrap's look on every widget, like the hand-written inputs beside them (no inline styles: the CSP)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class ComplaintForm(_Styled):
    object_kind = forms.ChoiceField(label=_("对象类别"), choices=ObjectKind.choices)
    object_name = forms.CharField(label=_("机构或对象名称"), max_length=OBJECT_MAX,
                                  help_text=_("输入名称的一部分可从目录中选择；目录中没有的可直接填写"))  # fmt: skip
    class_ref = forms.CharField(label=_("班级编号或名称（可选）"), max_length=CLASS_MAX, required=False)
    region = forms.CharField(label=_("所在地区（区县）"), max_length=30, required=False,
                             help_text=_("目录中的机构自动确定地区；其他对象请选择所在区县"))  # fmt: skip
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    # Required, though the service checks it (its message says what to write): the page marks it with *.
    content = forms.CharField(label=_("投诉举报内容"), max_length=CONTENT_MAX, required=False,
                              widget=forms.Textarea(attrs={"rows": 6, "maxlength": CONTENT_MAX,
                                                           "aria-required": "true"}),
                              help_text=_("时间、地点、经过；最多 2000 字"))  # fmt: skip
    anonymous = forms.BooleanField(label=_("匿名投诉举报（不留姓名和电话）"), required=False)  # chosen, never assumed
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    attachments = MultipleFileField(label=_("附件（可选，最多 3 个，每个不超过 5 MB，PDF、JPG 或 PNG）"), required=False,
                            widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))  # fmt: skip
    website = forms.CharField(required=False, max_length=200, widget=forms.TextInput(
        attrs={"autocomplete": "off", "tabindex": "-1"}))  # fmt: skip
    started = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = started_token()


class StatusForm(_Styled):
    code = forms.CharField(label=_("查询码"), max_length=40, widget=forms.TextInput(
        attrs={"autocomplete": "off", "placeholder": "ABCD-1234-WXYZ", "autocapitalize": "characters"}))  # fmt: skip


class ReopenForm(_Styled):
    code = forms.CharField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("对答复不满意的理由"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))  # fmt: skip


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}))  # fmt: skip
