import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ntm.surveys.sms import ConsoleAdapter, HttpAdapter, SmsError, get_adapter


@pytest.fixture
def gateway():
    """A tiny fake SMS gateway on 127.0.0.1 that records what it receives."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append(
                (self.headers["Content-Type"], json.loads(self.rfile.read(length)))
            )
            status = 500 if received[-1][1]["to"] == "fail" else 202
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sms", received
    server.shutdown()
    server.server_close()


def test_http_adapter_posts_json(gateway):
    url, received = gateway

    HttpAdapter(url).send("0905123456", "Ma xac nhan: 123456")

    assert received == [
        ("application/json", {"to": "0905123456", "message": "Ma xac nhan: 123456"})
    ]


def test_http_adapter_raises_on_gateway_error(gateway):
    url, _received = gateway

    with pytest.raises(SmsError):
        HttpAdapter(url).send("fail", "x")


def test_http_adapter_reads_the_url_from_settings(gateway, settings):
    url, received = gateway
    settings.SMS_GATEWAY_URL = url
    settings.SMS_ADAPTER = "ntm.surveys.sms.HttpAdapter"

    get_adapter().send("0905", "xin chao")

    assert received[0][1] == {"to": "0905", "message": "xin chao"}


def test_http_adapter_without_url_raises(settings):
    settings.SMS_GATEWAY_URL = ""

    with pytest.raises(SmsError):
        HttpAdapter().send("0905", "x")


def test_console_adapter_is_the_default():
    assert isinstance(get_adapter(), ConsoleAdapter)
