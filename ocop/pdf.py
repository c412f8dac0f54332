"""PDF rendering with WeasyPrint and the bundled fonts (static/fonts), so Vietnamese renders exactly."""
from collections.abc import Callable, Sequence

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template that extends "pdf/base.html" to PDF bytes."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=FontConfiguration())


def render_pdf_in_parts(template_name: str, context: dict, *, key: str, items: Sequence, per_part: int = 1,
                        progress: Callable[[int], None] | None = None) -> bytes:
    """One PDF of `items` laid out `per_part` at a time: the template renders with context[key] = each part.

    Laying out is what takes the time (about a second for a paper score sheet), so a background job reports
    `progress(items laid out)` after each part; the parts' pages are then written as one file, its fonts
    embedded once. Page numbers (the template's counter(pages)) count within a part.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    documents = []
    for start in range(0, len(items), per_part):
        part = items[start:start + per_part]
        html = render_to_string(template_name, {**context, key: part})
        documents.append(HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=fonts))
        if progress is not None:
            progress(start + len(part))
    if not documents:
        return render_pdf(template_name, {**context, key: []})
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()
