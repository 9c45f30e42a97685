"""Content-Security-Policy: scripts come from this site, or carry the request's nonce.

Every response gets the policy in ``settings.CONTENT_SECURITY_POLICY`` (``{nonce}``
is replaced by a fresh value per request). Templates mark their few inline
``<script>`` blocks with ``nonce="{{ csp_nonce }}"``; behaviour that used to sit in
``onclick``/``onchange`` attributes is declared with data attributes and bound by
``static/zhiren/behaviours.js``. Inline ``style`` attributes stay allowed (layout
only; they cannot run code).
"""

from __future__ import annotations

import secrets

from django.conf import settings

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and HEADER not in response:
            response[HEADER] = policy.format(nonce=request.csp_nonce)
        return response


def nonce(request) -> dict:
    """Template context: ``csp_nonce`` for inline ``<script>`` blocks."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
