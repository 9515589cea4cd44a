from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from offerdesk.http import HtmxHttpRequest


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("decisions:list")
    return TemplateResponse(request, "home.html", {})


@require_GET
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """Liveness for load balancers: answers through the whole middleware stack, no database."""
    return HttpResponse("ok", content_type="text/plain")
