from binascii import unhexlify

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import MultipleObjectsReturned
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP

from ntm.units.models import Unit

from .models import ApiToken, Office, Role, User

# Long enough for any passphrase; bounded, so a megabyte is not hashed.
PASSWORD_MAX_LENGTH = 128


class LoginForm(AuthenticationForm):
    username = UsernameField(
        max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Sau 5 lần sai, tài khoản "
            "bị tạm khóa 15 phút."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].widget.attrs.update(autocapitalize="none")
        self.fields["password"].label = _("Mật khẩu")


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Mã xác thực 6 số"),
            min_length=6,
            max_length=6,
            widget=forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "pattern": "[0-9]{6}",
                    "autofocus": True,
                }
            ),
            **kwargs,
        )

    def to_python(self, value):
        # Authenticator apps show "123 456"; people type what they see.
        return "".join(super().to_python(value).split())

    def validate(self, value):
        super().validate(value)
        if not value.isdigit():
            raise forms.ValidationError(_("Mã xác thực chỉ gồm 6 chữ số."))


class DeviceCodeForm(forms.Form):
    """A code checked against a saved device (sign-in, session verification).

    The device throttles repeated failures itself.
    """

    token = CodeField()

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not self.device.verify_token(token):
            raise forms.ValidationError(
                _(
                    "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới "
                    "trên ứng dụng."
                )
            )
        return token


class DeviceSetupForm(forms.Form):
    """The first code from a new authenticator app, checked against its key.

    The key is not saved yet, so the check runs here rather than on a device.
    """

    token = CodeField()

    def __init__(self, *args, key, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not TOTP(unhexlify(self.key)).verify(int(token), tolerance=1):
            raise forms.ValidationError(
                _(
                    "Mã chưa khớp. Kiểm tra giờ trên điện thoại và nhập mã đang "
                    "hiển thị trong ứng dụng."
                )
            )
        return token


class MembershipGrantForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_(
            "Tài khoản đã có: chỉ nhập tên đăng nhập. Tài khoản mới: nhập thêm họ tên "
            "và mật khẩu."
        ),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Mật khẩu (tài khoản mới)"),
        required=False,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    office = forms.ChoiceField(
        label=_("Phòng (chỉ cho cán bộ phòng chuyên môn)"),
        choices=[("", "—"), *Office.choices],
        required=False,
    )
    chairs_council = forms.BooleanField(
        label=_("Chủ tịch hội đồng thẩm định (chỉ cho thành viên hội đồng)"),
        required=False,
    )
    unit_code = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=12,
        help_text=_("Mã đơn vị hành chính đang có hiệu lực, ví dụ 20515."),
        widget=forms.TextInput(attrs={"list": "unit-codes", "inputmode": "numeric"}),
    )

    def __init__(self, *args, granter, **kwargs):
        super().__init__(*args, **kwargs)
        self.granter = granter

    def unit_options(self):
        """Units valid today within the granter's admin units, for a datalist."""
        paths = self.granter.paths(Role.DISTRICT_ADMIN)
        return list(Unit.objects.valid_on().within_any(paths).order_by("path"))

    def clean_unit_code(self):
        code = self.cleaned_data["unit_code"].strip()
        try:
            self.cleaned_data["unit"] = Unit.objects.by_code(code)
        except (Unit.DoesNotExist, MultipleObjectsReturned):
            raise forms.ValidationError(
                _("Không có đơn vị nào đang có hiệu lực mang mã %(code)s."),
                params={"code": code},
            ) from None
        return code

    def clean(self):
        data = super().clean()
        role, office = data.get("role"), data.get("office")
        if role == Role.OFFICE_STAFF and not office:
            self.add_error("office", _("Cán bộ phòng chuyên môn phải thuộc một phòng."))
        if role and role != Role.OFFICE_STAFF and office:
            self.add_error("office", _("Chỉ cán bộ phòng chuyên môn mới chọn phòng."))
        username = data.get("username", "").strip()
        if username:
            data["user"] = User.objects.filter(username__iexact=username).first()
            if data["user"] is None:
                self._clean_new_account(data)
            elif data.get("password"):
                self.add_error(
                    "password",
                    _("Tài khoản đã có; để trống mật khẩu (không đổi mật khẩu ở đây)."),
                )
        return data

    def _clean_new_account(self, data):
        if not data.get("full_name", "").strip():
            self.add_error("full_name", _("Tài khoản mới cần họ và tên."))
        if not data.get("password"):
            self.add_error("password", _("Tài khoản mới cần mật khẩu."))
            return
        candidate = User(username=data["username"], full_name=data.get("full_name", ""))
        try:
            password_validation.validate_password(data["password"], candidate)
        except forms.ValidationError as error:
            self.add_error("password", error)


class ApiTokenForm(forms.Form):
    """A new API key: its name, what it may do, how long it lasts."""

    name = forms.CharField(
        label=_("Tên khóa"),
        max_length=100,
        help_text=_("Hệ thống nào dùng khóa, ví dụ: Hệ thống báo cáo NTM tỉnh."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Phạm vi"),
        choices=ApiToken.Scope.choices,
        initial=[ApiToken.Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Khóa chỉ làm được những việc chủ khóa được làm, trong các phạm vi đã chọn."
        ),
    )
    days = forms.TypedChoiceField(
        label=_("Thời hạn"),
        coerce=int,
        choices=[
            (30, _("30 ngày")),
            (90, _("90 ngày")),
            (180, _("180 ngày")),
            (365, _("1 năm")),
        ],
        initial=90,
    )


class AdminApiTokenForm(ApiTokenForm):
    """A district admin makes a key for one of the people in their units
    (the account a provincial system signs in as)."""

    username = forms.CharField(label=_("Tên đăng nhập của chủ khóa"), max_length=150)

    field_order = ["username", "name", "scopes", "days"]

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = owners

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        self.cleaned_data["user"] = self.owners.filter(
            username__iexact=username
        ).first()
        if self.cleaned_data["user"] is None:
            raise forms.ValidationError(
                _("Không có người dùng %(username)s trong các đơn vị bạn quản trị."),
                params={"username": username},
            )
        return username
