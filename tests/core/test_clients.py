from django.test import RequestFactory, override_settings

from ntm.core.clients import client_address


def test_client_address_is_remote_addr_by_default():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.1.1.1"
    )

    assert client_address(request) == "10.0.0.9"


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_wrote():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )

    assert client_address(request) == "203.0.113.7"
