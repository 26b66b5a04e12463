"""Web pages to create and revoke personal API tokens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from api.forms import ApiTokenForm
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke


@requires(Action.USE_API_TOKENS)
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    raw = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            # The guard refused the name: say which kind, and never send the name back into the page.
            # The form is bound to request.POST (it validated): blank the name in a copy of it.
            data = request.POST.copy()
            data["name"] = ""
            form.data = data
            # The guard is given the name only, so all its messages are the name's.
            form.add_error("name", error.messages)
            status = 400
        else:
            form = ApiTokenForm()
    tokens = ApiToken.objects.for_user(request.user)
    return render(request, "api/token_list.html", {"form": form, "tokens": tokens, "raw_token": raw}, status=status)


@require_POST
@requires(Action.USE_API_TOKENS)
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("tokens:list")
