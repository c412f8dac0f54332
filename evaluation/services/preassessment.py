"""The commune's pre-assessment of a dossier (1489/2025, 26/2026): for each criterion its score sheet marks as
assessed by the commune, the answer the commune proposes and its note, recorded while it checks the dossier."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.models import User
from ocop.services import audit_log
from products.enums import DossierStatus
from products.models import Dossier
from products.rules import receives_dossiers_of

from ..models import CriterionOption, DossierPreAssessment, ScoreSheet
from ..selectors.preassessment import commune_criteria, dossier_pre_assessments
from .councils import regulation_for


def dossier_sheet(dossier: Dossier) -> ScoreSheet | None:
    """The score sheet the dossier will be scored on: its product set's, under the rules in force when it was
    submitted (`regulation_for`)."""
    regulation = regulation_for(cycle=dossier.cycle, session_date=timezone.localdate(), dossier=dossier)
    return ScoreSheet.objects.filter(regulation=regulation, product_set=dossier.product.product_set_id).first()


def dossier_preassess(*, dossier: Dossier, answers: dict[int, tuple[CriterionOption | None, str]],
                      by: User) -> list[DossierPreAssessment]:
    """Record the commune's proposed answers: `answers` maps a criterion's id to (the option chosen or None to
    clear it, a note). Editable while the dossier is submitted or checked, not once it has been sent.

    Side effects: creates, changes or deletes one row per criterion; writes one audit entry on the dossier
    listing what changed. Raises PermissionDenied unless `by` receives the dossiers of the product's commune,
    ValidationError when the dossier is not submitted or checked, a criterion is not one the commune
    pre-assesses on the dossier's sheet, or an option is not one of its criterion's.
    """
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).select_related(
            "product__commune", "cycle").get(pk=dossier.pk)
        if not receives_dossiers_of(by, dossier):
            raise PermissionDenied(_("Only the officer who receives this commune's dossiers can do that."))
        if dossier.status not in DossierStatus.PRE_ASSESSABLE:
            raise ValidationError(_("A dossier that is “%(status)s” can no longer be pre-assessed.") % {
                "status": dossier.get_status_display()}, code="locked")
        criteria = {criterion.pk: criterion for criterion in commune_criteria(dossier_sheet(dossier))}
        existing = dossier_pre_assessments(dossier)
        changes, saved = {}, []
        for criterion_id, (option, note) in answers.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                raise ValidationError(_("This criterion is not pre-assessed by the commune."), code="criterion")
            if option is not None and option.criterion_id != criterion.pk:
                raise ValidationError(_("Choose one of the criterion's answers."), code="option")
            row, note = existing.get(criterion.pk), (note or "").strip()
            before = (row.option.label, row.note) if row else None
            if option is None:
                if row is not None:
                    row.delete()
                    changes[criterion.code] = [" · ".join(filter(None, before)), None]
                continue
            row = row or DossierPreAssessment(dossier=dossier, criterion=criterion)
            row.option, row.note, row.assessed_by = option, note, by
            row.full_clean()
            row.save()
            saved.append(row)
            if before != (option.label, note):
                changes[criterion.code] = [" · ".join(filter(None, before or ())) or None,
                                           " · ".join(filter(None, (option.label, note)))]
        if changes:
            audit_log(actor=by, obj=dossier, action=AuditAction.UPDATE, changes=changes,
                      message=_("Pre-assessment by the commune recorded"))
    return saved
