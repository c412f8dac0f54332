"""Importing a province's existing Excel register: upload, dry run row by row, then confirm."""
import uuid

from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocop.downloads import XLSX_TYPE, attachment_response
from ocop.permissions import permission_required

from ..forms import RegisterUploadForm
from ..register_import import COLUMNS, REQUIRED, register_import, register_sample_xlsx

SESSION_KEY = "certificates.register_import"


@require_http_methods(["GET", "POST"])
@permission_required("certificates.import_register")
def register_import_view(request):
    """GET: the form and the expected columns. POST with a file: the dry run. POST with confirm: the import."""
    context = {"columns": [(key, COLUMNS[key][0].capitalize(), key in REQUIRED) for key in COLUMNS]}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("confirm"):
            messages.error(request, _("The checked file is no longer available: upload it again."))
            return redirect("certificates:import")
        with default_storage.open(pending["path"], "rb") as handle:
            result = register_import(handle, by=request.user, commit=True)
        if result.committed:
            default_storage.delete(pending["path"])
            del request.session[SESSION_KEY]
            messages.success(request, _("%(count)s certificates were imported, %(unchanged)s already recorded.") % {
                "count": result.count(outcome="imported"), "unchanged": result.count(outcome="unchanged")})
            return redirect("certificates:list")
        context.update(result=result, name=pending.get("name"))
        messages.error(request, _("Nothing was imported: the register changed since the check. Correct the rows "
                                  "below and upload the file again."))
        return render(request, "certificates/import.html", context)
    if request.method == "POST":
        form = RegisterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            context["error"] = " ".join(form.errors["file"])
            return render(request, "certificates/import.html", context, status=400)
        upload = form.cleaned_data["file"]
        content = upload.read()
        result = register_import(ContentFile(content), by=request.user, commit=False)
        context.update(result=result, name=upload.name)
        if result.ok:
            token = uuid.uuid4().hex
            path = default_storage.save(f"private/imports/{token}.xlsx", ContentFile(content))
            request.session[SESSION_KEY] = {"token": token, "path": path, "name": upload.name}
            context["token"] = token
        return render(request, "certificates/import.html", context)
    return render(request, "certificates/import.html", context)


@permission_required("certificates.import_register")
def register_sample(request):
    """A register of one example row in the columns the import reads, in the user's area: fill it in, or compare."""
    return attachment_response(register_sample_xlsx(by=request.user), filename="so-theo-doi-ocop-mau.xlsx",
                               content_type=XLSX_TYPE)
