"""With DEBUG off (production and the demo mode), errors show the product's own pages, in the user's language."""

from __future__ import annotations

from django.test import RequestFactory
from django.utils import translation
from django.views import defaults


def test_a_missing_page_is_the_products_404_in_the_users_language(world, client_for, settings):
    assert settings.DEBUG is False
    client = client_for(world.user("agent"))
    page = client.get("/no-such-page/")
    body = page.content.decode()
    assert page.status_code == 404 and 'data-testid="not-found"' in body
    assert "This page does not exist, or it is not yours to see." in body
    client.cookies["django_language"] = "zh-hans"
    assert "页面不存在" in client.get("/no-such-page/").content.decode()


def test_a_server_error_is_the_products_500_without_a_request_context():
    with translation.override("en"):
        response = defaults.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500 and 'data-testid="server-error"' in body
    assert "tell your administrator" in body
