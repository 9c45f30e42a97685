"""``zhiren serve``: the production WSGI server (waitress), static files by WhiteNoise."""

from __future__ import annotations

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

# The headers a trusted reverse proxy sets: the client's address and the scheme it used.
PROXY_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-proto"})


def waitress_options(*, host: str, port: int, threads: int, trusted_proxy: str = "") -> dict:
    """Keyword arguments for ``waitress.serve``.

    With ``trusted_proxy`` (the proxy's address, or ``*`` when nothing but the proxy
    can reach the port), waitress takes the client address and the scheme from that
    proxy's ``X-Forwarded-For`` and ``X-Forwarded-Proto``, so Django sees the real
    client (for the lockout and the audit log) and knows the request was HTTPS.
    The same headers from anyone else are removed before Django sees them.
    """
    options = {"host": host, "port": port, "threads": threads, "ident": "zhiren"}
    if trusted_proxy:
        options.update(
            trusted_proxy=trusted_proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers=set(PROXY_HEADERS),
            clear_untrusted_proxy_headers=True,
        )
    return options


class Command(BaseCommand):
    help = "Serve Zhiren with waitress. Run a worker beside it: `zhiren worker`."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--trusted-proxy",
            default=os.environ.get("ZHIREN_TRUSTED_PROXY", ""),
            help="Address of the reverse proxy whose X-Forwarded-For and X-Forwarded-Proto "
            "to believe ('*': any, only if nothing but the proxy reaches the port). "
            "Default: $ZHIREN_TRUSTED_PROXY, else none.",
        )

    def handle(self, *args, host: str, port: int, threads: int, trusted_proxy: str, **options):
        from waitress import serve

        from zhiren.wsgi import application

        call_command("collectstatic", interactive=False, verbosity=0)
        behind = f" behind the proxy at {trusted_proxy}" if trusted_proxy else ""
        self.stdout.write(f"Serving on http://{host}:{port}/{behind}")
        serve(application, **waitress_options(host=host, port=port, threads=threads,
                                              trusted_proxy=trusted_proxy))
