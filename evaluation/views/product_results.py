"""A product's results after its session, for its subject and its area's officers: the result page, the council's
remarks, the roadmap to the next star (page and PDF), and the area's products closest to their next star."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocop.downloads import attachment_response, xlsx_response
from ocop.formflow import saved_by
from ocop.listing import list_context
from ocop.pdf import render_pdf
from ocop.permissions import permission_required

from ..forms.results import RemarksForm, UpgradeFilterForm
from ..models import Evaluation
from ..results_table import nomination_label
from ..selectors.product_results import (
    closest_to_next_star,
    evaluation_criterion_means,
    evaluation_result,
    evaluation_result_pages_of,
    evaluation_roadmap,
    evaluations_awaiting_remarks,
    product_results,
)
from ..services.results import evaluation_remarks_set


def _result(request, pk) -> Evaluation:
    evaluation = get_object_or_404(evaluation_result_pages_of(request.user), pk=pk)
    if not request.user.has_perm("evaluation.view_evaluation_result", evaluation):
        raise Http404
    return evaluation


@login_required  # the rule is checked on the record: a representative, an official, an expert may each see some
def evaluation_detail(request, pk):
    """One product's result: what the council found, the group totals against their maxima and each criterion's
    mean (never a member's own scores), its remarks. Before the session is finalised there is no result yet: its
    chair or secretary writes the council's remarks here."""
    unfinished = evaluations_awaiting_remarks(request.user).filter(pk=pk).first()
    if unfinished is not None:
        if not request.user.has_perm("evaluation.write_remarks", unfinished):
            raise PermissionDenied
        return _remarks_page(request, unfinished)
    evaluation = _result(request, pk)
    result = evaluation_result(evaluation)
    criteria = evaluation_criterion_means(evaluation, result.counted)
    return render(request, "evaluation/product_results/detail.html", {
        "evaluation": evaluation, "result": result, "criteria": criteria,
        "roadmap": evaluation_roadmap(evaluation, criteria, result.counted),
        "nomination": nomination_label(evaluation.nominated_to) if evaluation.nominated_to else "",
        "can_see_session": request.user.has_perm("evaluation.view_results", evaluation.session),
        # A council's expert reads the result from the session's: the products' pages are the officials' and the
        # subjects'.
        "can_open_product": request.user.has_perm("products.view_product", evaluation.product),
    })


def _remarks_page(request, evaluation):
    form = RemarksForm(request.POST or None, initial={"remarks": evaluation.remarks})
    if request.method == "POST":
        saved = saved_by(request, form, lambda: evaluation_remarks_set(
            evaluation=evaluation, remarks=form.cleaned_data["remarks"], by=request.user),
            _("The council's remarks were saved."))
        if saved is not None:
            return redirect("evaluation:session-results", pk=evaluation.session_id)
    return render(request, "evaluation/product_results/remarks.html", {"evaluation": evaluation, "form": form})


def _roadmap_context(request, evaluation) -> dict:
    result = evaluation_result(evaluation)
    criteria = evaluation_criterion_means(evaluation, result.counted)
    return {"evaluation": evaluation, "criteria": criteria, "result": result,
            "roadmap": evaluation_roadmap(evaluation, criteria, result.counted),
            "can_open_product": request.user.has_perm("products.view_product", evaluation.product)}


@login_required
def evaluation_roadmap_view(request, pk):
    evaluation = _result(request, pk)
    return render(request, "evaluation/product_results/roadmap.html", _roadmap_context(request, evaluation))


@login_required
def evaluation_roadmap_pdf(request, pk):
    evaluation = _result(request, pk)
    content = render_pdf("evaluation/pdf/roadmap.html", _roadmap_context(request, evaluation))
    return attachment_response(content, filename=f"lo-trinh-nang-hang-{evaluation.product_id}-{evaluation.pk}.pdf",
                               content_type="application/pdf")


# ---------------------------------------------------------------------------------------------
# The area's products closest to their next star
# ---------------------------------------------------------------------------------------------


def _upgrade_rows(request):
    form = UpgradeFilterForm(request.GET or None)
    values = form.filter_values()
    qs = form.filter(closest_to_next_star(user=request.user, within=values["within"], star=values["star"]))
    return form, qs


@permission_required("evaluation.view_upgrade_list")
def upgrade_list(request):
    form, qs = _upgrade_rows(request)
    context = list_context(request, qs, form=form)
    context["filtered"] = bool(request.GET.get("q") or request.GET.get("star"))
    context["within"] = form.filter_values()["within"]
    return render(request, "evaluation/product_results/upgrade_list.html", context)


@permission_required("evaluation.view_upgrade_list")
def upgrade_list_xlsx(request):
    _form, qs = _upgrade_rows(request)
    rows = ([e.product.name, e.product.subject.name, e.product.commune.name, str(e.product.product_set),
             e.current_star or None, e.final_score, e.next_star, e.next_min, e.gap, e.regulation.code,
             date_format(e.session.held_on, "SHORT_DATE_FORMAT")] for e in qs)
    return xlsx_response(filename="san-pham-gan-hang-sao-tiep-theo.xlsx", sheet_title=_("Closest to the next star"),
                         headers=[_("Product"), _("Subject"), _("Commune"), _("Product set"), _("Star held"),
                                  _("Mean"), _("Next star"), _("Band from"), _("Points lacking"), _("Rules"),
                                  _("Session date")], rows=rows)


# ---------------------------------------------------------------------------------------------
# The product's page
# ---------------------------------------------------------------------------------------------


def product_panel(user, product):
    """The product's page: every finalised evaluation with its group totals, for whoever sees the product."""
    results = product_results(product)
    return {"results": results, "product": product} if results else None
