"""Certificate PDFs: WeasyPrint lays out many certificates in one document, pypdf cuts it into one file each.

Why batches: WeasyPrint spends most of a one-page document on embedding (subsetting) its fonts, about
250 ms here, while each further page of the same document costs about 11 ms. So a round's certificates are
laid out `BATCH_SIZE` at a time as one document, one certificate per A4 landscape page, and each page is then
written as its own PDF with the batch's (shared, subset) fonts. Every certificate is still its own file.

A single certificate rendered on demand takes the same path with a batch of one; embedding the two
fonts it uses (not the five of the reports) keeps it near 100 ms.

A certificate is re-rendered when what it shows changes: `certificate_fingerprint` hashes every printed
value, and the stored file is kept while its fingerprint matches.
"""
import base64
import hashlib
import io
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

import qrcode
from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation

from ocop.official import authority_lines, is_committee, place_and_date, signature_titles
from ocop.selectors import UnitTimeline, unit_address

from .models import Certificate

log = logging.getLogger(__name__)

BATCH_SIZE = 50  # certificates laid out in one WeasyPrint document
TEMPLATE = "certificates/pdf/document.html"
# Raise when the certificate's layout changes: every stored PDF is then out of date and renders again.
# 2: the layout of Decree 30/2020/NĐ-CP (number, place and date under the motto, the signer's titles and name).
TEMPLATE_VERSION = 2


def certificates_for_rendering(queryset) -> "Iterable[Certificate]":
    """What the template reads, in one query."""
    return queryset.select_related("issuing_unit", "product__product_set", "subject__commune__parent__parent",
                                   "decision")


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + certificate.get_verify_url()


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a PNG of one pixel per module, as a data: URI.

    The certificate scales it up with `image-rendering: pixelated`, so the PDF shows sharp squares; an SVG of
    the same code costs WeasyPrint four times as long to write, and the batch of a round is what counts."""
    code = qrcode.QRCode(border=1, box_size=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().get_image().convert("1").save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def _address(certificate: Certificate, timeline: UnitTimeline | None) -> str:
    """The holder's address as on the day of issue: a certificate issued from 01/07/2025 names the commune and
    province that stand then for the subject's commune ("Côn Minh, Thái Nguyên" for Văn Lang, Na Rì, Bắc Kạn);
    one issued before keeps the units of its day."""
    subject = certificate.subject
    units = unit_address(subject.commune, on=certificate.issued_on, timeline=timeline)
    return ", ".join(p for p in (subject.address, units) if p)


def certificate_signature(certificate: Certificate) -> tuple[list[str], str]:
    """The titles above the signature and the name under it. The position is the decision's (`Decision.signer_title`;
    the certificate keeps the decision's signer); a certificate without one (an imported register's, or issued
    before positions were recorded) prints what its `signer` holds, often a position ("Chủ tịch UBND tỉnh Bắc Kạn"),
    as it was, with no name under it."""
    decision = certificate.decision if certificate.decision_id else None
    if decision is None or not decision.signer_title:
        return [certificate.signer], ""
    titles = signature_titles(decision.signer_title, collective=is_committee(certificate.issuing_unit))
    return titles, certificate.signer


def certificate_context(certificate: Certificate, timeline: UnitTimeline | None = None) -> dict:
    """Every value printed on the certificate (also what its fingerprint hashes). Pass one `timeline` for a batch:
    the units of every address are then read in a fixed number of queries."""
    unit = certificate.issuing_unit
    authority_title, authority_name = authority_lines(unit, ministry=certificate.authority_name)
    titles, signer_name = certificate_signature(certificate)
    return {
        "number": certificate.number,
        "authority_title": authority_title,
        "issuing_unit_name": authority_name,
        "place_and_date": place_and_date(unit, certificate.issued_on),
        "product_name": certificate.product.name,
        "product_set": certificate.product.product_set.name,
        "subject_name": certificate.subject.name,
        "address": _address(certificate, timeline),
        "star": certificate.star,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date,
        "signer_titles": titles,
        "signer_name": signer_name,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "revoked_on": certificate.revoked_on,
        "revoke_decision_number": certificate.revoke_decision_number,
        "qr_url": verify_url(certificate),
    }


def certificate_fingerprint(context: dict) -> str:
    shown = {k: v for k, v in context.items() if k not in ("star_range", "qr")}
    shown["template"] = TEMPLATE_VERSION
    return hashlib.sha256(repr(sorted(shown.items())).encode()).hexdigest()


def _html(contexts: list[dict]) -> str:
    for context in contexts:
        context.setdefault("qr", qr_data_uri(context["qr_url"]))
        context["star_range"] = range(context["star"])
    with translation.override("vi"):
        return render_to_string(TEMPLATE, {"certificates": contexts})


def render_batch(contexts: list[dict], font_config=None) -> list[bytes]:
    """One PDF per context: one WeasyPrint document for the batch, cut into its pages by pypdf."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if not contexts:
        return []
    font_config = font_config or FontConfiguration()
    document = HTML(string=_html(contexts), base_url=str(settings.BASE_DIR)).render(font_config=font_config)
    if len(document.pages) != len(contexts):
        # A certificate ran over its page (an unusually long name): never mis-assign pages; lay out one by one.
        if len(contexts) == 1:
            return [document.write_pdf()]
        return [pdf for context in contexts for pdf in render_batch([context], font_config)]
    reader = PdfReader(io.BytesIO(document.write_pdf()))
    files = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Title": "Giấy chứng nhận sản phẩm OCOP", "/Producer": "OCOP"})
        out = io.BytesIO()
        writer.write(out)
        files.append(out.getvalue())
    return files


def render_certificate(certificate: Certificate) -> bytes:
    """The PDF of one certificate, on demand."""
    return render_batch([certificate_context(certificate)])[0]


def _store(certificate: Certificate, pdf: bytes, fingerprint: str) -> None:
    old_name = certificate.pdf.name
    name = certificate.number.replace("/", "-") + ".pdf"
    certificate.pdf.save(name, ContentFile(pdf), save=False)
    certificate.pdf_fingerprint = fingerprint
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name, pdf_fingerprint=fingerprint)
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)


def certificate_pdf_is_current(certificate: Certificate, context: dict | None = None) -> bool:
    context = context or certificate_context(certificate)
    return bool(certificate.pdf) and certificate.pdf_fingerprint == certificate_fingerprint(context) \
        and certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_pdf(certificate: Certificate) -> bytes:
    """The stored PDF, rendered (and stored) first when missing or out of date."""
    context = certificate_context(certificate)
    if certificate_pdf_is_current(certificate, context):
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    pdf = render_batch([context])[0]
    _store(certificate, pdf, certificate_fingerprint(context))
    return pdf


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


_worker_font_config = None


def _render_in_worker(contexts: list[dict]) -> list[bytes]:
    """A pool process lays out one batch; it keeps its font configuration from batch to batch."""
    global _worker_font_config
    from weasyprint.text.fonts import FontConfiguration

    if _worker_font_config is None:
        _worker_font_config = FontConfiguration()
    return render_batch(contexts, _worker_font_config)


def render_processes() -> int:
    """How many processes lay out certificates at once: OCOP_RENDER_PROCESSES, else one per core.

    A Celery worker's pool processes are daemons, which may not start processes of their own: there the
    work is spread by chunk tasks instead (tasks.py), and each renders in its own process."""
    if multiprocessing.current_process().daemon:
        return 1
    configured = settings.OCOP_RENDER_PROCESSES
    return max(1, configured or os.cpu_count() or 1)


def _rendered_batches(batches: list[list[dict]], processes: int) -> Iterator[list[bytes]]:
    """The PDFs of each batch, in order; laid out by `processes` forked processes when more than one."""
    if processes <= 1 or len(batches) <= 1:
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        for batch in batches:
            yield render_batch(batch, font_config)
        return
    # The forked children only lay out pages from plain dicts: they never touch the database, and they end
    # with os._exit (multiprocessing's fork start method), so the parent's open connection, which they
    # inherit, is neither used nor closed by them (closing it here would end a test's transaction).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        # map() keeps at most the results of the batches being laid out waiting in memory, in order.
        yield from pool.map(_render_in_worker, batches)


def certificates_render(queryset, *, force: bool = False, batch_size: int = BATCH_SIZE,
                        processes: int | None = None,
                        progress: Callable[[int, int], None] | None = None,
                        write: Callable[[Certificate, bytes], None] | None = None) -> int:
    """Render (and store) the PDFs of the certificates in `queryset` that are missing or out of date.

    Batches of `batch_size` are laid out in `processes` processes (default `render_processes()`); this process
    stores each file. `progress(done, total)` is called after each batch; `write(certificate, pdf)` also
    receives every file (the command's --out). Returns how many were rendered.
    """
    certificates = list(certificates_for_rendering(queryset).order_by("pk"))
    timeline = UnitTimeline(certificate.subject.commune for certificate in certificates)
    pending = []
    for certificate in certificates:
        context = certificate_context(certificate, timeline)
        if force or write or not certificate_pdf_is_current(certificate, context):
            pending.append((certificate, context))
    total, done = len(pending), 0
    if progress:
        progress(0, total)
    chunks = list(_chunks(pending, batch_size))
    batches = [[context for _c, context in chunk] for chunk in chunks]
    processes = render_processes() if processes is None else processes
    for chunk, pdfs in zip(chunks, _rendered_batches(batches, processes), strict=True):
        for (certificate, context), pdf in zip(chunk, pdfs, strict=True):
            _store(certificate, pdf, certificate_fingerprint(context))
            if write:
                write(certificate, pdf)
        done += len(chunk)
        if progress:
            progress(done, total)
    return total
