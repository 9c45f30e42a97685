"""Import pages: upload → preview → commit, progress fragment, export downloads, scope."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhiren.imports.models import ImportJob, ImportStatus
from zhiren.org.models import Agent

from ..factories import AgentFactory, UserFactory
from .conftest import fixture_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.imports.urls")]


def post_file(client, name="agents_utf8.csv", data=None):
    data = fixture_bytes(name) if data is None else data
    return client.post(reverse("imports:upload", args=["agents"]), {"file": SimpleUploadedFile(name, data)})


def test_upload_preview_commit(org, upload_dir, client_for):
    client = client_for(org.hr)
    assert client.get(reverse("imports:index")).status_code == 200
    assert client.get(reverse("imports:upload", args=["agents"])).status_code == 200
    response = post_file(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "A001" in page and "张伟" in page and 'data-testid="import-commit"' in page
    assert Agent.objects.count() == 0
    response = client.post(reverse("imports:commit", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Agent.objects.count() == 4


def test_errors_shown_by_row_and_column(org, upload_dir, client_for):
    client = client_for(org.hr)
    page = client.get(post_file(client, "agents_bad.csv").url).content.decode()
    assert 'data-testid="import-errors"' in page and "no-such-team" in page
    assert 'data-testid="import-commit"' not in page


def test_large_import_polls_progress(org, upload_dir, client_for, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client = client_for(org.hr)
    job_url = post_file(client).url
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("imports:commit", args=[job.pk]))
    page = client.get(job_url).content.decode()
    progress_url = reverse("imports:progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 1s"' in page
    for callback in callbacks:
        callback()
    response = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert "hx-get" not in response.content.decode()
    assert Agent.objects.count() == 4


def test_site_manager_import_outside_site_is_an_error(org, upload_dir, client_for):
    client = client_for(org.sh_manager)
    post_file(client, data="工号,姓名,班组\nM1,甲,bj-after\n".encode())
    job = ImportJob.objects.get()
    assert job.error_count == 1 and job.errors[0]["row"] == 2
    client.post(reverse("imports:commit", args=[job.pk]))
    assert Agent.objects.count() == 0


def test_others_cannot_see_or_commit_a_job(org, upload_dir, client_for):
    post_file(client_for(org.hr))
    job = ImportJob.objects.get()
    other = client_for(org.sh_manager)
    assert other.get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert other.post(reverse("imports:commit", args=[job.pk])).status_code == 404
    lead = client_for(org.lead)
    assert lead.get(reverse("imports:upload", args=["agents"])).status_code == 404
    assert client_for(None).get(reverse("imports:upload", args=["agents"])).status_code == 302


def test_discard_removes_the_file(org, upload_dir, client_for):
    client = client_for(org.hr)
    post_file(client)
    job = ImportJob.objects.get()
    client.post(reverse("imports:discard", args=[job.pk]))
    assert not ImportJob.objects.exists() and not any(upload_dir.iterdir())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_download_honours_visibility(org, client_for, fmt):
    AgentFactory(employee_no="S1", name="=1+1", team=org.sh_after)
    AgentFactory(employee_no="B1", team=org.bj_after)
    response = client_for(org.sh_manager).get(reverse("imports:export", args=["agents", fmt]))
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [r[0] for r in rows[1:]] == ["S1"] and rows[1][1] == "'=1+1"


def test_export_of_unknown_kind_or_format_is_404(org, client_for):
    client = client_for(org.hr)
    assert client.get(reverse("imports:export", args=["agents", "pdf"])).status_code == 404
    assert client.get(reverse("imports:export", args=["nothing", "csv"])).status_code == 404
    assert client_for(UserFactory()).get(reverse("imports:export", args=["agents", "csv"])).status_code == 404
