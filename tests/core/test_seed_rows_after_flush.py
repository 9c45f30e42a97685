"""The data migrations' rows survive a transactional test's flush (tests/conftest.py).

Under pytest-xdist an ordinary test may run on a worker right after a test that
committed for real and had every table emptied; it still expects the GROW
question bank and the placement roles the migrations seed.
"""

import pytest


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("turn", ["first", "second"])
def test_the_seeded_rows_are_there_after_an_earlier_flush(turn):
    from zhiren.coaching.models import GrowQuestion
    from zhiren.placement.models import RoleProfile

    assert GrowQuestion.objects.exists()
    assert RoleProfile.objects.exists()
