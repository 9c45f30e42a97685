"""Building the demo centre."""

from __future__ import annotations

import random

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from zhiren.core.registries import DemoContext, demo_loaders

DEMO_SEED = 7


def load_demo_centre(seed: int = DEMO_SEED) -> DemoContext:
    """Create or refresh the demo centre. Refuses outside demo mode (its passwords are published)."""
    if not (settings.DEMO or settings.DEBUG):
        raise ImproperlyConfigured(
            "The demo creates logins with a published password; it runs only with ZHIREN_DEMO=1 "
            "(or DEBUG=1 for development)."
        )
    context = DemoContext(today=timezone.localdate(), rng=random.Random(seed))
    for loader in demo_loaders:
        loader(context)
    return context
