"""Signing in from tests: stored passwords and one-time codes."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def code_for(device_or_key, offset=0):
    """The code an authenticator app shows now (``offset`` steps away)."""
    if isinstance(device_or_key, TOTPDevice):
        device = device_or_key
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    else:
        totp = TOTP(bytes.fromhex(device_or_key))
    totp.drift += offset
    return f"{totp.token():06d}"


def wrong_code(device_or_key):
    """A code the device accepts neither now nor one step either side."""
    valid = {code_for(device_or_key, offset) for offset in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)


def sign_in_verified(client, user):
    """District admins pass the one-time code before any page."""
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("accounts:two-factor"), {"token": code_for(device)})
    return client
