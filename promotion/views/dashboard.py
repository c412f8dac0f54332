"""The programme dashboard of a unit, and its report downloads (Excel, JSON)."""
import json

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from evaluation.star_rules import RECOGNISED_STARS
from ocop.downloads import XLSX_TYPE, attachment_response
from ocop.permissions import permission_required

from ..reports import ended_text, including_text, report_data, report_xlsx
from ..selectors.dashboard import dashboard_unit, dashboard_unit_choices, programme_summary


def _unit_and_year(request):
    """The unit asked for (?unit=CODE) when it lies in the user's area, else his own; the year asked for."""
    unit = dashboard_unit(user=request.user, code=request.GET.get("unit", "").strip())
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2018), timezone.localdate().year + 1)
    return unit, year


@permission_required("promotion.view_dashboard")
def dashboard(request):
    unit, year = _unit_and_year(request)
    if unit is None:
        return render(request, "promotion/dashboard.html", {"unit": None})
    summary = programme_summary(unit, year)
    certificates = reverse("certificates:list")
    # The lists behind the figures, with their statuses on the report's date (31/12 of a past year).
    drill = f"{certificates}?unit={unit.code}" + (
        f"&on={summary.today.isoformat()}" if summary.today != timezone.localdate() else "")
    chart_data = {
        "stars": {"labels": [f"{s}★" for s in RECOGNISED_STARS],
                  "values": [summary.by_star.get(s, 0) for s in RECOGNISED_STARS],
                  "links": [f"{drill}&status=in_force&star={s}" for s in RECOGNISED_STARS]},
        "kinds": {"labels": [k["label"] for k in summary.by_kind], "values": [k["products"] for k in summary.by_kind],
                  "links": [f"{drill}&status=in_force&kind={k['kind']}" for k in summary.by_kind]},
        "sectors": {"labels": [s["sector"] for s in summary.by_sector],
                    "values": [s["products"] for s in summary.by_sector]},
        "targets": {"labels": [str(t.label) for t in summary.targets if t.planned],
                    "planned": [t.planned for t in summary.targets if t.planned],
                    "actual": [t.actual for t in summary.targets if t.planned]},
        "labels": {"products": _("OCOP products"), "planned": pgettext("target", "Planned"), "actual": _("Achieved")},
    }
    # The table under the sectors' chart: each sector with its total, then its product sets.
    sectors = [{**row, "sets": [s for s in summary.by_product_set if s["sector"] == row["sector"]]}
               for row in summary.by_sector]
    return render(request, "promotion/dashboard.html", {
        "unit": unit, "year": year, "summary": summary, "drill": drill, "chart_data": chart_data, "sectors": sectors,
        "units": dashboard_unit_choices(user=request.user), "years": range(timezone.localdate().year, 2018, -1),
        "expiring_until": summary.today,
        "including": including_text(summary) if summary.units.predecessors else "",
        "ended": ended_text(summary),
    })


@permission_required("promotion.view_dashboard")
def report_download(request):
    unit, year = _unit_and_year(request)
    if unit is None:
        return JsonResponse({"error": _("Choose a unit.")}, status=400)
    if request.GET.get("format") == "json":
        return attachment_response(json.dumps(report_data(unit, year), ensure_ascii=False, indent=1).encode(),
                                   filename=f"bao-cao-ocop-{unit.code}-{year}.json",
                                   content_type="application/json; charset=utf-8")
    return attachment_response(report_xlsx(unit, year), filename=f"bao-cao-ocop-{unit.code}-{year}.xlsx",
                               content_type=XLSX_TYPE)
