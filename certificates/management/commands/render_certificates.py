"""Render certificate PDFs: a decision's, or every certificate's; optionally write them to a folder."""
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from certificates.rendering import certificates_render, render_processes
from evaluation.models import Decision


class Command(BaseCommand):
    help = ("Render the PDFs of a decision's certificates (--decision ID or number) or of all (--all) that are "
            "missing or out of date; --force renders them all again; --out DIR also writes one PDF per "
            "certificate, named by its number.")

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--decision", help="the decision's id or number (e.g. 1568/QĐ-UBND)")
        which.add_argument("--all", action="store_true", help="every certificate")
        parser.add_argument("--out", type=Path, help="also write the PDFs to this folder")
        parser.add_argument("--force", action="store_true", help="render even when the stored PDF is current")
        parser.add_argument("--processes", type=int, help="processes laying out pages (default: one per core)")

    def handle(self, *args, decision=None, all=False, out=None, force=False, processes=None, **options):
        queryset = Certificate.objects.all()
        if decision:
            found = Decision.objects.filter(pk=int(decision)) if decision.isdigit() else \
                Decision.objects.filter(number=decision)
            if found.count() != 1:
                raise CommandError(f"No single decision matches {decision!r}.")
            queryset = queryset.filter(decision=found.get())
        def write_file(certificate, pdf):
            (out / (certificate.number.replace("/", "-") + ".pdf")).write_bytes(pdf)

        if out:
            out.mkdir(parents=True, exist_ok=True)

        started = time.perf_counter()

        def progress(done, total):
            if total:
                self.stdout.write(f"  {done}/{total} certificates rendered ({time.perf_counter() - started:.1f} s)")

        processes = processes or render_processes()
        rendered = certificates_render(queryset, force=force or bool(out), processes=processes,
                                       progress=progress, write=write_file if out else None)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"{rendered} certificate PDFs rendered in {elapsed:.1f} s with {processes} process(es)"
            + (f", written to {out}" if out else "") + "."))
