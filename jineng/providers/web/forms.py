"""Forms of the providers pages. They only parse: every rule is checked by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.accounts.api import OrganizationKind
from jineng.providers.models import (
    AffiliationKind,
    ApplicationKind,
    BaseKind,
    BaseLevel,
    DeliveryMode,
    EnterpriseSize,
    EvaluatorType,
    PoolRoleKind,
    PoolRoleStatus,
    ProviderType,
    QualificationKind,
    StandardKind,
    StandardStatus,
    SubsidyCategory,
    TrainingKind,
)
from jineng.refdata.widgets import CertificateKindSelect, LevelSelect, OccupationInput, RegionInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # a date input takes ISO dates only


def _blank(choices: Any, label: str = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class ProfileForm(forms.Form):
    provider_type = forms.ChoiceField(label=_("机构类型"), choices=_blank(ProviderType.choices), required=False)
    evaluator_type = forms.ChoiceField(label=_("评价机构类型"), choices=_blank(EvaluatorType.choices), required=False)
    is_above_scale = forms.BooleanField(label=_("规模以上企业"), required=False)
    size = forms.ChoiceField(label=_("企业规模"), choices=_blank(EnterpriseSize.choices), required=False)
    employees = forms.IntegerField(label=_("职工人数"), required=False, min_value=0)
    industry_tags = forms.CharField(
        label=_("产业标签"), required=False, help_text=_("体系/代码，多个用逗号分隔，如 guangdong-clusters/automotive")
    )
    legal_representative = forms.CharField(label=_("法定代表人"), required=False, max_length=60)
    address = forms.CharField(label=_("地址"), required=False, max_length=300)
    latitude = forms.DecimalField(label=_("纬度"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("经度"), required=False, max_digits=9, decimal_places=6)
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=60)
    contact_phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=30, help_text=_("保存后仅显示脱敏号码；修改时留空表示不变。")
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    website = forms.URLField(label=_("网站"), required=False, assume_scheme="https")


class OrganizationForm(ProfileForm):
    kind = forms.ChoiceField(label=_("组织类别"), choices=OrganizationKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, min_length=18)
    region = forms.CharField(label=_("注册地"), max_length=6, min_length=6, widget=RegionInput())
    field_order = ["kind", "name", "credit_code", "region"]


class ProfileEditForm(ProfileForm):
    name = forms.CharField(label=_("名称"), max_length=200)
    field_order = ["name"]


class LicenceForm(forms.Form):
    number = forms.CharField(label=_("办学许可证编号"), required=False, max_length=60)
    issuer = forms.CharField(label=_("发证机关"), required=False, max_length=100)
    valid_from = forms.DateField(label=_("有效期起"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE)


def licence_items(formset: Any) -> list[tuple[str, str]]:
    """(occupation code, level code) of the filled rows."""
    return [
        (row["occupation"].strip(), (row.get("level") or "").strip())
        for row in formset.cleaned_data
        if row and (row.get("occupation") or "").strip()
    ]


class RegisterForm(OrganizationForm):
    admin_username = forms.CharField(label=_("管理员用户名"), max_length=150)
    admin_display_name = forms.CharField(label=_("管理员姓名"), required=False, max_length=100)
    admin_email = forms.EmailField(label=_("管理员电子邮箱"), required=False)
    admin_password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    admin_password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("admin_password") != data.get("admin_password2"):
            self.add_error("admin_password2", _("两次输入的密码不一致。"))
        return data


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请类型"), choices=ApplicationKind.choices)
    capacity_per_year = forms.IntegerField(label=_("年培训能力（人次）"), min_value=1)
    description = forms.CharField(label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ScopeRowForm(forms.Form):
    occupation = forms.CharField(
        label=_("职业（工种）"), required=False, max_length=20,
        widget=OccupationInput(attrs={"class": "form-control form-control-sm", "aria-label": _("职业（工种）")}),
    )  # fmt: skip
    level = forms.CharField(
        label=_("技能等级"), required=False, max_length=24,
        widget=LevelSelect({"class": "form-select form-select-sm", "aria-label": _("技能等级")}, blank_label=_("不分等级")),
    )  # fmt: skip
    training_kind = forms.ChoiceField(label=_("培训类型"), choices=_blank(TrainingKind.choices), required=False)


ScopeFormSet = forms.formset_factory(ScopeRowForm, extra=6, max_num=50)


class LicenceItemForm(ScopeRowForm):
    """One 许可培训职业 of the licence: an occupation picked by name or code, its highest level picked from the ladder
    (issue 15: a textarea of “职业代码,最高等级” lines) — a scope row without the training kind."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["training_kind"]
        self.fields["level"].label = _("最高等级")
        self.fields["level"].widget.attrs["aria-label"] = _("最高等级")
        self.fields["occupation"].widget.attrs["aria-label"] = _("许可培训职业")


LicenceItemFormSet = forms.formset_factory(LicenceItemForm, extra=3, max_num=50, validate_max=True)


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("审核结论"), choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1"
    )
    opinion = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("审批结论"), choices=[("1", _("批准")), ("0", _("不批准"))], coerce=lambda v: v == "1"
    )
    opinion = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("文号"), required=False, max_length=60)


class ListingDecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("suspend", _("暂停")), ("resume", _("恢复")), ("exit", _("移出目录")), ("withdraw", _("主动退出"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))
    effective_date = forms.DateField(label=_("生效日期"), required=False, widget=DATE)
    document_number = forms.CharField(label=_("文号"), required=False, max_length=60)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class StaffForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), required=False, max_length=100)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput)
    admin = forms.BooleanField(label=_("设为本机构管理员"), required=False)


class ProgramForm(forms.Form):
    code = forms.CharField(label=_("项目编号"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    occupation = forms.CharField(
        label=_("职业（工种）"), required=False, max_length=20, help_text=_("创业培训可不填"), widget=OccupationInput()
    )
    level = forms.CharField(
        label=_("技能等级"), required=False, max_length=24, widget=LevelSelect(blank_label=_("不分等级"))
    )
    training_kind = forms.ChoiceField(label=_("培训类型"), choices=TrainingKind.choices)
    hours_theory = forms.IntegerField(label=_("理论学时"), min_value=0)
    hours_practice = forms.IntegerField(label=_("实操学时"), min_value=0)
    delivery = forms.ChoiceField(label=_("培训方式"), choices=DeliveryMode.choices)
    subsidy_category = forms.ChoiceField(label=_("补贴类别"), choices=SubsidyCategory.choices)
    region = forms.CharField(label=_("所属地区"), max_length=6, min_length=6, widget=RegionInput())
    industry_tags = forms.CharField(label=_("产业标签"), required=False, help_text=_("体系/代码，逗号分隔"))
    syllabus = forms.CharField(label=_("培训大纲"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class CatalogListingForm(forms.Form):
    region = forms.CharField(label=_("纳入目录的地区"), max_length=6, min_length=6, widget=RegionInput())
    valid_from = forms.DateField(label=_("有效期起"), widget=DATE)
    valid_until = forms.DateField(label=_("有效期至"), required=False, widget=DATE)
    document_number = forms.CharField(label=_("文号"), required=False, max_length=60)


class RoleForm(forms.Form):
    id_number = forms.CharField(
        label=_("证件号码"), max_length=30, help_text=_("须已在实名制人员库登记；仅用于查找，不会显示。")
    )
    name = forms.CharField(label=_("姓名"), max_length=60)
    role = forms.ChoiceField(label=_("角色"), choices=PoolRoleKind.choices)
    region = forms.CharField(label=_("师资库所属地区"), required=False, max_length=6, widget=RegionInput())
    organization = forms.ChoiceField(label=_("所属机构"), required=False, choices=[])
    valid_from = forms.DateField(label=_("入库日期"), required=False, widget=DATE)
    valid_until = forms.DateField(label=_("聘期至"), required=False, widget=DATE)
    employer_name = forms.CharField(label=_("工作单位"), required=False, max_length=200)
    title = forms.CharField(label=_("职称"), required=False, max_length=60)
    teacher_qualification = forms.CharField(label=_("教师资格"), required=False, max_length=60)
    is_integrated = forms.BooleanField(label=_("一体化教师"), required=False)
    specialities = forms.CharField(label=_("专业领域（职业代码）"), required=False, help_text=_("逗号分隔"))
    served_regions = forms.CharField(label=_("服务地区（区划代码）"), required=False, help_text=_("逗号分隔"))

    def __init__(self, *args: Any, organizations: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _blank(organizations or [], str(_("（不属于某一机构）")))


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("资质类型"), choices=QualificationKind.choices)
    certificate_kind = forms.CharField(
        label=_("证书类别"), required=False, max_length=30, widget=CertificateKindSelect()
    )
    occupation = forms.CharField(label=_("职业（工种）"), required=False, max_length=20, widget=OccupationInput())
    level = forms.CharField(label=_("技能等级"), required=False, max_length=24, widget=LevelSelect())
    number = forms.CharField(label=_("证书编号"), required=False, max_length=60)
    issuer = forms.CharField(label=_("发证机构"), required=False, max_length=100)
    issued_on = forms.DateField(label=_("发证日期"), required=False, widget=DATE)


class AffiliationForm(forms.Form):
    profile = forms.ChoiceField(label=_("任教机构"), choices=[])
    kind = forms.ChoiceField(label=_("聘任方式"), choices=AffiliationKind.choices)
    valid_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("截止日期"), required=False, widget=DATE)

    def __init__(self, *args: Any, profiles: list[tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["profile"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = profiles or []


class RoleStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=PoolRoleStatus.choices)
    reason = forms.CharField(label=_("原因"), max_length=300)


class BaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=BaseKind.choices)
    name = forms.CharField(label=_("名称"), max_length=200)
    level = forms.ChoiceField(label=_("级别"), choices=BaseLevel.choices)
    approval_year = forms.IntegerField(label=_("批准年度"))
    region = forms.CharField(label=_("所在地区"), max_length=6, min_length=6, widget=RegionInput())
    host_name = forms.CharField(label=_("依托单位"), max_length=200)
    approval_document = forms.CharField(label=_("批准文号"), required=False, max_length=100)
    occupations = forms.CharField(label=_("相关职业代码"), required=False, help_text=_("逗号分隔"))


class BrandForm(forms.Form):
    code = forms.CharField(
        label=_("品牌代码"), max_length=40, help_text=_("如 yuecai（粤菜师傅）、golden-blue-collar（金蓝领）")
    )
    name = forms.CharField(label=_("品牌名称"), max_length=80)
    region = forms.CharField(label=_("所属地区"), max_length=6, min_length=6, widget=RegionInput(),
                             help_text=_("本省，或“一市一品牌”的设区市"))  # fmt: skip
    recognized_year = forms.IntegerField(label=_("认定年度"), required=False)
    recognition = forms.CharField(label=_("认定类型或文件"), required=False, max_length=100)


class StandardForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=StandardKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    developer = forms.CharField(label=_("开发单位"), max_length=200)
    region = forms.CharField(label=_("颁布机关所在地区"), max_length=6, min_length=6, widget=RegionInput(),
                             help_text=_("国家职业标准：全国（000000）"))  # fmt: skip
    occupation = forms.CharField(label=_("职业（工种）"), required=False, max_length=20, widget=OccupationInput())
    level = forms.CharField(
        label=_("技能等级"), required=False, max_length=24, widget=LevelSelect(blank_label=_("不分等级"))
    )
    status = forms.ChoiceField(label=_("状态"), choices=StandardStatus.choices[:2])
    year = forms.IntegerField(label=_("颁布年度"), required=False)
    document_number = forms.CharField(label=_("颁布文号"), required=False, max_length=100)


def split_codes(text: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("，", ",").replace("、", ",").split(",") if part.strip()]
