"""Import pages (upload → dry-run preview → commit, with progress) and exports. Thin views."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhiren.core.downloads import attach
from zhiren.org.access import AuthenticatedHttpRequest, load_access

from . import recovery, selectors, services
from .exporting import CONTENT_TYPES, FORMATS
from .forms import UploadForm
from .registry import (
    export_kinds,
    export_spec,
    export_spec_or_404,
    import_kinds,
    import_spec,
    import_spec_or_404,
)
from .spec import ImportSpec


def _importable(request: AuthenticatedHttpRequest, kind: str) -> ImportSpec:
    spec = import_spec_or_404(kind)
    if not spec.may_import(load_access(request.user)):
        raise Http404
    return spec


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    access = load_access(request.user)
    imports = [import_spec(k) for k in import_kinds() if import_spec(k).may_import(access)]
    exports = [export_spec(k) for k in export_kinds() if export_spec(k).may_export(access)]
    if not imports and not exports:
        raise Http404
    return render(
        request,
        "imports/index.html",
        {"imports": imports, "exports": exports, "jobs": selectors.visible_jobs(request.user)[:20]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    spec = _importable(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.start_job(spec, form.cleaned_data["file"], user=request.user)
        return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "imports/upload.html",
        {"spec": spec, "form": form, "jobs": selectors.recent_jobs(request.user, spec.kind)},
    )


@login_required
@require_GET
def job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_visible_job(request.user, pk)
    spec = _importable(request, job.kind)
    return render(request, "imports/job.html",
                  {"job": job, "spec": spec, "may_retry": recovery.may_retry(job)})


@login_required
@require_POST
def commit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_visible_job(request.user, pk)
    _importable(request, job.kind)
    services.commit_job(job, user=request.user, request=request)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_visible_job(request.user, pk)
    _importable(request, job.kind)
    recovery.retry_job(job, user=request.user, request=request)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def discard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_visible_job(request.user, pk)
    _importable(request, job.kind)
    kind = job.kind
    services.discard_job(job)
    return redirect("imports:upload", kind=kind)


@login_required
@require_GET
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The status fragment the job page polls (HTMX) while a commit runs."""
    job = selectors.get_visible_job(request.user, pk)
    _importable(request, job.kind)
    response = render(request, "imports/_job_status.html", {"job": job})
    if not job.is_running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # reload the page to show the preview, the results or the errors
    return response


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    spec = export_spec_or_404(kind)
    if fmt not in FORMATS or not spec.may_export(load_access(request.user)):
        raise Http404
    buffer = io.BytesIO()
    services.export(spec, fmt, buffer, user=request.user, request=request)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return attach(response, f"{spec.filename}-{stamp}.{fmt}")
