"""Forms of the registry pages: 登记人员 (one person by form) and 按证件号码查找. They parse; the registry service
validates (the same checks as the API and the import) and its field errors are shown beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.registry.models import Education, Group, HukouType
from jineng.rules.idcard import DOC_TYPE_LABELS, DocType

# The labels are the rules' Chinese names, translated through the catalogue (their msgids are marked below).
DOC_TYPES = [(t.value, _(label)) for t, label in DOC_TYPE_LABELS.items() if t is not DocType.RESIDENT_ID_LEGACY]  # noqa: INT001
_DOC_TYPE_MSGIDS = [_("居民身份证"), _("居民身份证（15位旧号码）"), _("港澳台居民居住证"), _("外国人永久居留身份证"), _("护照"),
                    _("台湾居民来往大陆通行证"), _("港澳居民来往内地通行证")]  # fmt: skip


class _Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                css = "jn-check-list"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)


class PersonForm(_Styled):
    """登记人员 — name, the identity document, phone, residence, and the category fields."""

    name = forms.CharField(label=_("姓名"), max_length=60)
    doc_type = forms.ChoiceField(label=_("证件类型"), choices=DOC_TYPES, initial=DocType.RESIDENT_ID.value)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    residence_region = forms.ChoiceField(label=_("居住地（县、市、区）"))
    groups = forms.MultipleChoiceField(
        label=_("人员类别"), choices=Group.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    graduation_year = forms.IntegerField(label=_("毕业年度（高校毕业生填写）"), required=False, min_value=1950,
                                         max_value=2100)  # fmt: skip
    education = forms.ChoiceField(label=_("文化程度"), required=False, choices=[("", "—"), *Education.choices])
    hukou_type = forms.ChoiceField(label=_("户口性质"), required=False, choices=[("", "—"), *HukouType.choices])

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["residence_region"].choices = regions  # type: ignore[attr-defined]


class FindForm(_Styled):
    """按证件号码查找 — exact, through the keyed hash; posted, so the number never appears in a URL or a log."""

    doc_type = forms.ChoiceField(label=_("证件类型"), choices=DOC_TYPES, initial=DocType.RESIDENT_ID.value)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
