"""``zhiren serve`` behind a reverse proxy: forwarded headers believed from the proxy only."""

from __future__ import annotations

import http.client
import threading

import pytest
from waitress import create_server

from zhiren.core.management.commands.serve import waitress_options


def _echo(environ, start_response):
    body = " ".join(
        [environ["REMOTE_ADDR"], environ["wsgi.url_scheme"], environ.get("HTTP_X_FORWARDED_FOR", "-")]
    ).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


@pytest.fixture
def serve():
    """``serve(app, trusted_proxy)`` runs waitress with ``zhiren serve``'s options on a free port."""
    servers = []

    def start(app, trusted_proxy=""):
        options = waitress_options(host="127.0.0.1", port=0, threads=2, trusted_proxy=trusted_proxy)
        server = create_server(app, **options)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        return server.effective_port

    yield start
    for server, thread in servers:
        # Close every channel from the server's own loop; the loop ends when none is left.
        server.trigger.pull_trigger(lambda s=server: [c.close() for c in list(s._map.values())])
        thread.join(timeout=10)
        server.task_dispatcher.shutdown()


def _get(port, path="/", headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    result = response.status, response.getheader("Location"), response.read().decode()
    connection.close()
    return result


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def test_the_trusted_proxy_tells_the_client_address_and_scheme(serve):
    port = serve(_echo, trusted_proxy="127.0.0.1")
    assert _get(port, headers=FORWARDED)[2].split()[:2] == ["203.0.113.7", "https"]
    assert _get(port)[2].split()[:2] == ["127.0.0.1", "http"]


def test_forwarded_headers_from_anyone_else_are_dropped(serve):
    port = serve(_echo, trusted_proxy="127.0.0.2")  # the proxy is elsewhere; we are not it
    assert _get(port, headers=FORWARDED)[2].split() == ["127.0.0.1", "http", "-"]


def test_without_a_proxy_forwarded_headers_are_not_believed(serve):
    port = serve(_echo)
    assert _get(port, headers=FORWARDED)[2].split()[:2] == ["127.0.0.1", "http"]


def test_https_behind_the_proxy_is_not_redirected_forever(serve, settings):
    """The reported loop: an HTTPS request via the proxy was redirected to HTTPS again and again."""
    from django.core.wsgi import get_wsgi_application

    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    port = serve(get_wsgi_application(), trusted_proxy="127.0.0.1")
    status, location, _ = _get(port, "/accounts/login/", {"X-Forwarded-Proto": "https"})
    assert status == 200, location
    status, location, _ = _get(port, "/accounts/login/")
    assert status == 301 and location.startswith("https://")
