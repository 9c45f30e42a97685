from __future__ import annotations

from pathlib import Path

import pytest

from zhiren.org.models import Role

from ..factories import CenterFactory, SiteFactory, TeamFactory, UserFactory, grant

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Org:
    """Two sites: sh (teams sh-after 售后一组, sh-pre 售前一组) and bj (team bj-after)."""

    def __init__(self) -> None:
        center = CenterFactory()
        self.sh = SiteFactory(center=center, code="sh", name="上海")
        self.bj = SiteFactory(center=center, code="bj", name="北京")
        self.sh_after = TeamFactory(site=self.sh, code="sh-after", name="售后一组")
        self.sh_pre = TeamFactory(site=self.sh, code="sh-pre", name="售前一组")
        self.bj_after = TeamFactory(site=self.bj, code="bj-after", name="北京售后")
        self.hr = UserFactory(username="hr")
        grant(self.hr, Role.HR)
        self.sh_manager = UserFactory(username="sh-manager")
        grant(self.sh_manager, Role.SITE_MANAGER, site=self.sh)
        self.lead = UserFactory(username="lead")
        grant(self.lead, Role.TEAM_LEAD, teams=[self.sh_after])


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR
