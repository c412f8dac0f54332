"""Where products are sold: OCOP sales points and centres, and each product's e-commerce listings."""
import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.formflow import saved_by
from ocop.listing import list_context, sort_queryset
from ocop.permissions import permission_required
from ocop.selectors import audit_trail_for

from .. import services
from ..forms import ListingFilterForm, ListingForm, SalesPointFilterForm, SalesPointForm
from ..selectors.activities import (
    listed_products,
    listings_visible_to,
    product_listings,
    sales_point_list,
    sales_point_products,
    sales_points_visible_to,
)

SALES_POINT_SORTS = {"name": "name", "commune": "commune__name", "products": "product_count", "opened": "opened_on"}
PRODUCT_SORTS = {"name": "name", "subject": "subject__name", "listings": "listing_count"}

# ---------------------------------------------------------------------------------------------
# Sales points
# ---------------------------------------------------------------------------------------------


@permission_required("promotion.view_salespoint_list")
def sales_point_list_view(request):
    form = SalesPointFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = sales_point_list(user=request.user, query=data.get("q", ""),
                          centre=data["centre"] == "yes" if data.get("centre") else None)
    qs, sort = sort_queryset(request, qs, SALES_POINT_SORTS, "name")
    return render(request, "promotion/salespoint_list.html", list_context(
        request, qs, sort=sort, form=form, tab="sales",
        can_add=request.user.has_perm("promotion.add_salespoint")))


def _sales_point_for(request, pk, perm: str):
    """The sales point if it lies in the user's area (else 404) and he holds `perm` on it (else 403)."""
    sales_point = get_object_or_404(sales_points_visible_to(request.user).select_related("commune__parent"), pk=pk)
    if not request.user.has_perm(perm, sales_point):
        raise PermissionDenied
    return sales_point


@permission_required("promotion.view_salespoint_list")
def sales_point_detail(request, pk):
    sales_point = _sales_point_for(request, pk, "promotion.view_salespoint")
    return render(request, "promotion/salespoint_detail.html", {
        "sales_point": sales_point, "tab": "sales",
        "products": sales_point_products(sales_point=sales_point, user=request.user),
        "can_change": request.user.has_perm("promotion.change_salespoint", sales_point),
        "audit": audit_trail_for(sales_point)[:50],
    })


def _sales_point_form(request, sales_point=None):
    form = SalesPointForm(request.POST or None, instance=copy.copy(sales_point) if sales_point else None,
                          user=request.user)
    saved = saved_by(request, form, lambda: services.sales_point_save(
        sales_point=sales_point, data=form.data_for_service(), products=form.products_carried(),
        by=request.user), _("The sales point was saved."))
    if saved is not None:
        return redirect(saved)
    return render(request, "promotion/salespoint_form.html", {"form": form, "sales_point": sales_point,
                                                              "tab": "sales"})


@permission_required("promotion.add_salespoint")
def sales_point_create(request):
    return _sales_point_form(request)


@permission_required("promotion.view_salespoint_list")
def sales_point_edit(request, pk):
    return _sales_point_form(request, _sales_point_for(request, pk, "promotion.change_salespoint"))


# ---------------------------------------------------------------------------------------------
# E-commerce listings
# ---------------------------------------------------------------------------------------------


@permission_required("promotion.view_salespoint_list")
def listing_product_list(request):
    """The products of the user's area with their number of listings: the way to each product's listings."""
    form = ListingFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = listed_products(user=request.user, query=data.get("q", ""),
                         listed={"yes": True, "no": False}.get(data.get("listed")))
    qs, sort = sort_queryset(request, qs, PRODUCT_SORTS, "-listings")
    return render(request, "promotion/listing_products.html", list_context(
        request, qs, sort=sort, form=form, tab="listings"))


@permission_required("promotion.view_salespoint_list")
def product_listings_view(request, pk):
    """A product's listings, with a form to add one and a button to remove each."""
    product = get_object_or_404(listed_products(user=request.user), pk=pk)
    if not request.user.has_perm("promotion.manage_listings", product):
        raise PermissionDenied
    form = ListingForm(request.POST or None)
    if saved_by(request, form, lambda: services.listing_add(product=product, by=request.user, **form.cleaned_data),
                _("The listing was added.")) is not None:
        return redirect("promotion:product-listings", pk=product.pk)
    return render(request, "promotion/product_listings.html", {
        "product": product, "listings": product_listings(product), "form": form, "tab": "listings",
        "platforms": sorted(set(services.KNOWN_PLATFORMS.values()))})


@require_POST
@permission_required("promotion.view_salespoint_list")
def listing_remove(request, pk):
    listing = get_object_or_404(listings_visible_to(user=request.user), pk=pk)
    if not request.user.has_perm("promotion.manage_listings", listing.product):
        raise PermissionDenied
    services.listing_remove(listing=listing, by=request.user)
    messages.success(request, _("The listing on %(platform)s was removed.") % {"platform": listing.platform})
    return redirect("promotion:product-listings", pk=listing.product_id)
