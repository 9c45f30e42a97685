"""Building the demo centre."""

from __future__ import annotations

import random

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from zhiren.core.registries import DemoContext, demo_loaders

DEMO_SEED = 7


def load_demo_centre(seed: int = DEMO_SEED) -> DemoContext:
    """Create or refresh the demo centre. Refuses when DEBUG is off (demo passwords)."""
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "The demo creates logins with a published password; it runs only with DEBUG=1."
        )
    context = DemoContext(today=timezone.localdate(), rng=random.Random(seed))
    for loader in demo_loaders:
        loader(context)
    return context
