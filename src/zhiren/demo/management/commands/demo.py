"""``zhiren demo``: migrate, load the demo centre, serve it with a task worker beside it."""

from __future__ import annotations

import signal
import subprocess
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhiren.demo.org_data import DEMO_PASSWORD
from zhiren.demo.services import load_demo_centre


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Load the demo centre and serve it at http://127.0.0.1:8000 with a task worker."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Only migrate and load data.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve: bool = False, addrport: str = "127.0.0.1:8000", **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            context = load_demo_centre()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Demo centre ready. Logins (password: {DEMO_PASSWORD}):"))
        for username in ("admin", "manager", "lead", "qa", "trainer", "hr", "agent"):
            user = context.users[username]
            roles = ", ".join(str(a.get_role_display()) for a in user.role_assignments.all())
            self.stdout.write(f"  {username:<8} {roles}")
        if no_serve:
            return
        worker = subprocess.Popen([sys.executable, "-m", "zhiren.cli", "worker"])  # noqa: S603
        self.stdout.write(f"Task worker started (pid {worker.pid}). Serving at http://{addrport}/")
        # A process manager stops us with SIGTERM, not Ctrl-C: leave the same way, so the
        # worker beside us is stopped too instead of being left running on its own.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
