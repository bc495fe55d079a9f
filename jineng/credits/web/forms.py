"""Forms of the credit bank pages: every input bounded; the services check the rest and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jineng.credits.models import Category, ConsentMethod, ConversionTarget

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads


class RecognitionForm(forms.Form):
    prefix = "rec"

    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    region = forms.ChoiceField(label=_("认定地区"))  # the official's own regions, by name (was a typed code)
    from_region = forms.ChoiceField(label=_("原记录地区"), help_text=_("出具原记录的外地省份或地市"))
    record_ref = forms.CharField(label=_("原记录编号"), max_length=60)
    issuer = forms.CharField(label=_("原记录出具单位"), max_length=200)
    description = forms.CharField(label=_("原记录内容"), max_length=300)
    category = forms.ChoiceField(label=_("学分类别"), choices=Category.choices)
    credits = forms.DecimalField(label=_("申请学分"), min_value=0, max_value=100, decimal_places=1, max_digits=4)
    earned_on = forms.DateField(label=_("取得日期"), widget=_DATE)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = outside_region_choices()
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = region_choices(user) if user is not None else []

    def clean_id_number(self) -> str:
        """A number that cannot be an ID (length, characters, birth date, 校验位) says why — before any look-up, so
        "不符" is only ever said of a well-formed number."""
        from jineng.common.errors import DomainError
        from jineng.registry.api import check_id_number

        raw = self.cleaned_data["id_number"]
        try:
            return str(check_id_number(raw).number)
        except DomainError as exc:
            raise forms.ValidationError(exc.fields[0].message if exc.fields else str(exc)) from None


def outside_region_choices() -> list[Any]:
    """Every current province and prefecture-level city, by name, grouped by province (湖南省 → 湖南省（全省）, 长沙市 …):
    the region another record or platform belongs to is picked, never typed as a code."""
    from jineng.refdata.api import Region

    rows = list(Region.objects.current().filter(level__in=["province", "city"]).order_by("code").values_list(
        "code", "name", "level", "parent_id"))  # fmt: skip
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for code, name, level, parent in rows:
        if level == "province":
            groups[code] = (name, [(code, str(_("%(p)s（全省）")) % {"p": name})])
        elif parent in groups:
            groups[parent][1].append((code, name))
    return [("", "—")] + [(name, options) for name, options in groups.values()]


def _id_number(form: forms.Form) -> str:
    from jineng.common.errors import DomainError
    from jineng.registry.api import check_id_number

    try:
        return str(check_id_number(form.cleaned_data["id_number"]).number)
    except DomainError as exc:
        raise forms.ValidationError(exc.fields[0].message if exc.fields else str(exc)) from None


class DecideForm(forms.Form):
    prefix = "dec"

    reason = forms.CharField(label=_("审核意见"), max_length=300, required=False)


def region_choices(user: Any, permission: str = "records.review") -> list[tuple[str, str]]:
    """The regions the user holds ``permission`` over, named (广州市 · 天河区), highest first — the handling region
    is picked, never typed."""
    from jineng.accounts.api import principal_for
    from jineng.refdata.api import Region

    codes = principal_for(user).regions_with(permission)
    rows = Region.objects.filter(code__in=codes).select_related("parent")
    named = {r.code: (f"{r.parent.name} · {r.name}" if r.level == "county" and r.parent else r.name) for r in rows}
    return sorted(((c, named.get(c, c)) for c in codes), key=lambda p: (p[0][2:] != "0000", p[0][4:] != "00", p[0]))


class ConversionForm(forms.Form):
    prefix = "conv"

    target = forms.ChoiceField(label=_("转换用途"), choices=ConversionTarget.choices)
    target_label = forms.CharField(label=_("免修模块或免考评价"), max_length=200)
    credits = forms.DecimalField(label=_("使用学分（免修学时时填）"), required=False, min_value=0, max_value=100,
                                 decimal_places=1, max_digits=4)  # fmt: skip
    category = forms.ChoiceField(label=_("使用类别"), required=False,
                                 choices=[("", _("全部类别"))] + list(Category.choices))  # fmt: skip
    region = forms.ChoiceField(label=_("办理地区"))
    reason = forms.CharField(label=_("依据"), max_length=300)
    consent_method = forms.ChoiceField(label=_("本人同意方式"), choices=ConsentMethod.choices)
    consent_ref = forms.CharField(label=_("同意凭证"), max_length=60, required=False,
                                  help_text=_("本人签字申请表的编号或存档位置（本人在线确认时不填）"))  # fmt: skip
    consent_on = forms.DateField(label=_("同意日期"), widget=_DATE, required=False,
                                 help_text=_("本人在线确认时不填：本人在“我的学分”确认后方可审核"))  # fmt: skip

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = region_choices(user) if user is not None else []


TOKEN_MAX = 64 * 1024  # the certificates' verifier bound on a credential


class TranscriptVerifyForm(forms.Form):
    """核验学分证明 — the signed transcript pasted, or its ``.jwt`` file uploaded (one of the two)."""

    token = forms.CharField(label=_("粘贴学分证明（JWT 文本）"), required=False, max_length=TOKEN_MAX,
                            widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))  # fmt: skip
    file = forms.FileField(label=_("或上传学分证明文件（.jwt）"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        token, upload = (data.get("token") or "").strip(), data.get("file")
        if upload is not None:
            if upload.size is None or upload.size > TOKEN_MAX:
                raise forms.ValidationError(_("文件过大：学分证明不超过 64 KB。"))
            try:
                token = upload.read(TOKEN_MAX + 1).decode("utf-8").strip()
            except UnicodeDecodeError:
                raise forms.ValidationError(_("文件不是文本格式的学分证明（.jwt）。")) from None
        if not token:
            raise forms.ValidationError(_("请粘贴学分证明，或上传其文件。"))
        data["token"] = token
        return data


class ConsentForm(forms.Form):
    """本人确认 / 撤回 — nothing to fill: the button says which."""

    prefix = "consent"


class TranscriptImportForm(forms.Form):
    """导入学分证明 — the person (whole ID number and name, as the registry holds them), the recognizing region, and
    the transcript pasted or uploaded."""

    prefix = "imp"

    id_number = forms.CharField(label=_("证件号码"), max_length=20)
    name = forms.CharField(label=_("姓名"), max_length=60)
    region = forms.ChoiceField(label=_("认定地区"))
    token = forms.CharField(label=_("粘贴学分证明（JWT 文本）"), required=False, max_length=TOKEN_MAX,
                            widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}))  # fmt: skip
    file = forms.FileField(label=_("或上传学分证明文件（.jwt）"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = region_choices(user) if user is not None else []

    def clean_id_number(self) -> str:
        return _id_number(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["token"] = _token(data)
        return data


def _token(data: dict[str, Any]) -> str:
    token, upload = (data.get("token") or "").strip(), data.get("file")
    if upload is not None:
        if upload.size is None or upload.size > TOKEN_MAX:
            raise forms.ValidationError(_("文件过大：学分证明不超过 64 KB。"))
        try:
            token = upload.read(TOKEN_MAX + 1).decode("utf-8").strip()
        except UnicodeDecodeError:
            raise forms.ValidationError(_("文件不是文本格式的学分证明（.jwt）。")) from None
    if not token:
        raise forms.ValidationError(_("请粘贴学分证明，或上传其文件。"))
    return str(token)


class IssuerForm(forms.Form):
    prefix = "iss"

    name = forms.CharField(label=_("签发方名称"), max_length=120,
                           widget=forms.TextInput(attrs={"placeholder": _("例：湖南省职业技能学分银行")}))  # fmt: skip
    issuer_url = forms.CharField(label=_("签发方标识"), max_length=200,
                                 help_text=_("其学分证明中签发方的标识，一般为其平台网址"),
                                 widget=forms.TextInput(attrs={"placeholder": "https://jineng.example.gov.cn/"}))  # fmt: skip
    region = forms.ChoiceField(label=_("签发方所在地区"))
    keys = forms.CharField(label=_("签名公钥（JWKS）"), max_length=20_000,
                           help_text=_("粘贴其 /.well-known/jwks.json 的内容；须经书面或官方渠道核实"),
                           widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = outside_region_choices()


class ReasonForm(forms.Form):
    prefix = "why"

    reason = forms.CharField(label=_("停用理由"), max_length=300)


def _rule_fields() -> list[tuple[str, Any]]:
    """The draft form's fields, one per rule (the levels and categories read from the reference lists)."""
    from jineng.competitions.api import EventLevel
    from jineng.refdata.api import SkillLevel

    hours: dict[str, Any] = {"min_value": 1, "max_value": 200}
    credit: dict[str, Any] = {"min_value": 0, "max_value": 100, "decimal_places": 1, "max_digits": 4, "required": False}
    out: list[tuple[str, Any]] = [
        ("training_hours_per_credit", forms.IntegerField(label=_("培训：每多少学时记 1 学分"), **hours)),
        ("online_hours_per_credit", forms.IntegerField(label=_("线上学习：每多少学时记 1 学分"), **hours)),
    ]
    for lv in SkillLevel.objects.order_by("rank"):
        out.append((f"cert_{lv.code}", forms.DecimalField(label=_("证书 %(l)s 学分") % {"l": lv.display}, **credit)))
    out.append(("certificate_other", forms.DecimalField(label=_("其他证书学分（专项能力等）"), **credit)))
    for code, label in EventLevel.choices:
        out.append((f"comp_{code}", forms.DecimalField(label=_("竞赛 %(l)s 获奖学分") % {"l": label}, **credit)))
    for code, label in Category.choices:
        out.append((f"cap_{code}", forms.DecimalField(label=_("%(c)s年度上限（空为不限）") % {"c": label},
                                                      min_value=0, max_value=1000, decimal_places=1, max_digits=5,
                                                      required=False)))  # fmt: skip
    for code, label in Category.choices:
        out.append((f"exp_{code}", forms.IntegerField(label=_("%(c)s有效年限（0 为长期）") % {"c": label},
                                                      min_value=0, max_value=50, required=False)))  # fmt: skip
    out.append(("conversion_hours_per_credit", forms.IntegerField(label=_("转换：1 学分免修多少学时"), **hours)))
    out.append(("theory_waiver_credits", forms.DecimalField(label=_("免考理论部分所需学分（0 为不开放）"), **credit)))
    return out


class RulesDraftForm(forms.Form):
    """起草学分规则 — the next version of a region's rules, field by field (prefilled with the version in force)."""

    prefix = "rules"

    region = forms.ChoiceField(label=_("地区"))
    valid_from = forms.DateField(label=_("生效日期"), widget=_DATE)
    basis = forms.CharField(label=_("依据（文件名称、文号）"), max_length=300)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = region_choices(user, "settings.edit") if user is not None else []
        for name, rule_field in _rule_fields():
            self.fields[name] = rule_field

    @staticmethod
    def initial_from(rules: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {k: rules.get(k) for k in ("training_hours_per_credit", "online_hours_per_credit",
                                   "certificate_other", "conversion_hours_per_credit", "theory_waiver_credits")}  # fmt: skip
        for prefix, key in (("cert_", "certificate_levels"), ("comp_", "competition_levels"),
                            ("cap_", "annual_caps"), ("exp_", "expiry_years")):  # fmt: skip
            initial.update({prefix + k: v for k, v in (rules.get(key) or {}).items()})
        return initial

    def rules(self) -> dict[str, Any]:
        """The rules as ``rules_from_data`` reads them (an empty line: not credited / no cap / never lapses)."""
        d = self.cleaned_data

        def pick(prefix: str) -> dict[str, Any]:
            return {n[len(prefix) :]: str(v) for n, v in d.items() if n.startswith(prefix) and v not in (None, "")}

        return {
            "training_hours_per_credit": d["training_hours_per_credit"],
            "online_hours_per_credit": d["online_hours_per_credit"],
            "certificate_levels": pick("cert_"),
            "certificate_other": str(d.get("certificate_other") or 0),
            "competition_levels": pick("comp_"),
            "annual_caps": pick("cap_"),
            "expiry_years": {k: int(v) for k, v in pick("exp_").items() if int(v)},
            "conversion_hours_per_credit": d["conversion_hours_per_credit"],
            "theory_waiver_credits": str(d.get("theory_waiver_credits") or 0),
        }
