"""The public front door (the home a visitor lands on), the catalogue of certified OCOP products with their
photos (no login), and the read-only JSON API for platforms."""
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from certificates.enums import CertificateStatus
from evaluation.star_rules import RECOGNISED_STARS
from ocop.forms.qr import QrPhotoForm
from ocop.images import thumbnail_stored
from ocop.listing import list_context
from ocop.throttle import throttle
from ocop.views.pages import home as staff_home

from ..selectors.public import (
    catalogue_ids,
    catalogue_photo,
    catalogue_product,
    catalogue_product_sets,
    catalogue_rows,
    catalogue_sectors,
    certificates_numbered,
    certified_filtered,
    provinces_with_products,
    public_province,
    recognised_by_star,
    where_to_buy,
)

CATALOG_PAGE = 24
API_PAGE, API_PAGE_MAX = 50, 200
PHOTO_CACHE_SECONDS = 7 * 24 * 3600  # a photo's address names the photo, whose file never changes in place


def home(request):
    """`/`: a logged-in user's home (his panels); a visitor's front door: what OCOP is, the catalogue's search,
    certificate verification by number or QR photo, the province's figures, and the way in for staff."""
    if request.user.is_authenticated:
        return staff_home(request)
    province = public_province()
    return render(request, "promotion/public_home.html", {
        "province": province, "figures": recognised_by_star(province=province), "qr_form": QrPhotoForm(),
    })


@require_GET
@throttle("catalog", setting="OCOP_CATALOG_RATE")
def catalog(request):
    # The page's ids first (the filter and the order need only certificates and products), then its 24 rows.
    context = list_context(
        request, catalogue_ids(request.GET), per_page=CATALOG_PAGE,
        provinces=provinces_with_products(), sets=catalogue_product_sets(), sectors=catalogue_sectors(),
        chosen={k: request.GET.get(k, "") for k in ("province", "star", "sector", "set")})
    page = context["page"]
    rows = catalogue_rows(ids=list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    return render(request, "promotion/catalog.html", context)


@require_GET
@throttle("catalog", setting="OCOP_CATALOG_RATE")
def catalog_product(request, pk):
    certificate = catalogue_product(product_id=pk)
    if certificate is None:
        raise Http404
    return render(request, "promotion/catalog_product.html", {
        "c": certificate, "product": certificate.product, **where_to_buy(certificate.product),
        "today": timezone.localdate(),
    })


@require_GET
def catalog_photo(request, pk):
    """A catalogue photo's thumbnail: made once and stored (ocop.images), then served to any cache for a week (the
    address names the photo; a new photo has a new address)."""
    photo = catalogue_photo(photo_id=pk)
    if photo is None:
        raise Http404
    etag = f'"photo-{photo.pk}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            name = thumbnail_stored(photo.file)
        except (FileNotFoundError, ValidationError) as exc:  # the file is gone, or is no picture
            raise Http404 from exc
        response = FileResponse(photo.file.storage.open(name, "rb"), content_type="image/jpeg")
        response["Last-Modified"] = http_date(photo.uploaded_at.timestamp())
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={PHOTO_CACHE_SECONDS}"
    return response


# ---------------------------------------------------------------------------------------------
# JSON API (read-only): /api/v1/
# ---------------------------------------------------------------------------------------------


def _page(request, qs):
    try:
        size = min(max(int(request.GET.get("page_size", API_PAGE)), 1), API_PAGE_MAX)
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return None, JsonResponse({"error": "page and page_size must be whole numbers"}, status=400)
    paginator = Paginator(qs, size)
    if number > max(paginator.num_pages, 1):
        return None, JsonResponse({"error": f"page {number} does not exist"}, status=404)
    page = paginator.page(number)
    params = request.GET.copy()

    def link(n):
        params["page"] = n
        return request.build_absolute_uri(request.path + "?" + params.urlencode())

    meta = {"count": paginator.count, "page": number, "page_size": size,
            "next": link(number + 1) if page.has_next() else None,
            "previous": link(number - 1) if page.has_previous() else None}
    return (page, meta), None


def _place(commune) -> dict:
    district = commune.parent if commune.parent_id else None
    province = district.parent if district is not None and district.parent_id else district
    if district is not None and province is district:
        district = None
    return {"commune": commune.name, "district": district.name if district else None,
            "province": province.name if province else None}


def certificate_json(request, c) -> dict:
    return {
        "number": c.number, "star": c.star, "issued_on": c.issued_on.isoformat(),
        "valid_until": c.valid_until.isoformat(), "level": c.level,
        "issuing_authority": c.issuing_unit.name if c.issuing_unit_id else c.authority_name,
        "decision": {"number": c.decision_number, "date": c.decision_date.isoformat()},
        "verify_url": request.build_absolute_uri(c.get_verify_url()),
    }


def product_json(request, c) -> dict:
    product = c.product
    return {
        "id": product.pk, "name": product.name,
        "product_set": {"number": product.product_set.number, "name": product.product_set.name,
                        "sector": product.product_set.sector},
        "star": c.star, "traceability": product.has_traceability,
        "subject": {"name": c.subject.name, "kind": c.subject.kind},
        "place": _place(product.commune),
        "certificate": certificate_json(request, c),
        "url": request.build_absolute_uri(reverse("catalog-product", args=[product.pk])),
    }


@require_GET
@throttle("api", setting="OCOP_API_RATE", as_json=True)
def api_products(request):
    (result, error) = _page(request, certified_filtered(request.GET))
    if error:
        return error
    page, meta = result
    return JsonResponse({**meta, "results": [product_json(request, c) for c in page.object_list]},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
@throttle("api", setting="OCOP_API_RATE", as_json=True)
def api_certificate(request, number):
    """One certificate by its number, whatever its status (a platform checks a seller's claim)."""
    found = certificates_numbered(number=number.strip())
    if not found:
        return JsonResponse({"error": "no certificate has this number"}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"results": [{**certificate_json(request, c), "status": c.status,
                                      "product": c.product.name, "subject": c.subject.name} for c in found]},
                        json_dumps_params={"ensure_ascii": False})


@require_GET
def api_openapi(request):
    return JsonResponse(openapi_document(request), json_dumps_params={"ensure_ascii": False, "indent": 1})


def openapi_document(request) -> dict:
    filters = [
        {"name": "q", "in": "query", "schema": {"type": "string"},
         "description": "words of the product's or subject's name, with or without Vietnamese accents"},
        {"name": "province", "in": "query", "schema": {"type": "string"}, "description": "province code, e.g. 06"},
        {"name": "star", "in": "query", "schema": {"type": "integer", "enum": list(RECOGNISED_STARS)}},
        {"name": "sector", "in": "query", "schema": {"type": "string"}},
        {"name": "set", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 26},
         "description": "product set number (1-26)"},
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": API_PAGE_MAX}},
    ]
    certificate = {"type": "object", "required": [
        "number", "star", "issued_on", "valid_until", "level", "issuing_authority", "decision", "verify_url"],
        "properties": {
        "number": {"type": "string"}, "star": {"type": "integer"}, "issued_on": {"type": "string", "format": "date"},
        "valid_until": {"type": "string", "format": "date"}, "level": {"type": "string"},
        "issuing_authority": {"type": "string"},
        "decision": {"type": "object", "properties": {"number": {"type": "string"},
                                                      "date": {"type": "string", "format": "date"}}},
        "verify_url": {"type": "string", "format": "uri"}}}
    product = {"type": "object", "required": [
        "id", "name", "star", "traceability", "product_set", "subject", "place", "certificate", "url"],
        "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "star": {"type": "integer"},
        "traceability": {"type": "boolean"},
        "product_set": {"type": "object", "properties": {"number": {"type": "integer"}, "name": {"type": "string"},
                                                         "sector": {"type": "string"}}},
        "subject": {"type": "object", "properties": {"name": {"type": "string"}, "kind": {
            "type": "string", "enum": ["cooperative", "cooperative_group", "enterprise", "household_business"]}}},
        "place": {"type": "object", "properties": {"commune": {"type": "string"},
                                                   "district": {"type": "string", "nullable": True},
                                                   "province": {"type": "string", "nullable": True}}},
        "certificate": {"$ref": "#/components/schemas/Certificate"}, "url": {"type": "string", "format": "uri"}}}
    def error(description: str, schema: str = "Error") -> dict:
        return {"description": description,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}

    too_many = error("too many requests from this address; retry after the Retry-After seconds", "TooMany")
    refused = error("an address the API cannot read (a control character, a value too long)")
    return {
        "openapi": "3.0.3",
        "info": {"title": "OCOP certified products", "version": "1",
                 "description": "Read-only list of products holding an OCOP certificate in force, and certificate "
                                "checks by number. No login; each address may make a limited number of requests "
                                "a minute (HTTP 429 beyond). Every response, errors included, is JSON."},
        "servers": [{"url": request.build_absolute_uri("/api/v1/")}],
        "paths": {
            "/products/": {"get": {"summary": "Certified products", "parameters": filters, "responses": {
                "200": {"description": "a page of products", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["count", "page", "page_size", "next", "previous", "results"],
                    "properties": {
                        "count": {"type": "integer"}, "page": {"type": "integer"}, "page_size": {"type": "integer"},
                        "next": {"type": "string", "nullable": True}, "previous": {"type": "string", "nullable": True},
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}}}}}}},
                "400": error("bad paging parameters, or an address the API cannot read"),
                "404": error("no such page"), "429": too_many}}},
            "/certificates/{number}/": {"get": {
                "summary": "A certificate by its number, with its status", "parameters": [
                {"name": "number", "in": "path", "required": True, "schema": {"type": "string"},
                 "description": "as printed, e.g. 015/2024/GCN-TW"}], "responses": {
                "200": {"description": "the certificates with this number (one per issuing authority)",
                        "content": {"application/json": {"schema": {
                            "type": "object", "required": ["results"], "properties": {"results": {
                                "type": "array", "items": {"$ref": "#/components/schemas/CertificateStatus"}}}}}}},
                "400": refused, "404": error("no certificate has this number"), "429": too_many}}},
        },
        "components": {"schemas": {
            "Product": product, "Certificate": certificate,
            "CertificateStatus": {"allOf": [{"$ref": "#/components/schemas/Certificate"}, {
                "type": "object", "required": ["status", "product", "subject"], "properties": {
                    "status": {"type": "string", "enum": [status.value for status in CertificateStatus]},
                    "product": {"type": "string"}, "subject": {"type": "string"}}}]},
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "TooMany": {"type": "object", "required": ["error", "retry_after"], "properties": {
                "error": {"type": "string"}, "retry_after": {"type": "integer"}}},
        }},
    }
