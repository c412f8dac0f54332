"""Who may do what with certificates (django-rules)."""
import rules

from evaluation.enums import EvaluationLevel
from ocop.rules import (
    is_local_official,
    is_ministry_staff,
    is_official,
    is_province_staff,
    is_subject_rep,
    is_system_admin,
    unit_within_scope,
)


@rules.predicate
def represents_holder(user, certificate) -> bool:
    return bool(certificate) and certificate.subject.representative_links.filter(user=user).exists()


@rules.predicate
def official_of_holder(user, certificate) -> bool:
    return bool(certificate) and is_official(user) and unit_within_scope(user, certificate.subject.commune)


@rules.predicate
def seen_by_ministry(user, certificate) -> bool:
    """The ministry's office sees the central level's certificates and those of the products nominated to it."""
    return bool(certificate) and is_ministry_staff(user) and (
        certificate.level == EvaluationLevel.CENTRAL or certificate.product.nominated_central_on is not None)


@rules.predicate
def at_issuing_level(user, certificate) -> bool:
    """The issuing authority's officials (or the province above a district that issued; the ministry's office for
    the central level's) and admins."""
    if is_system_admin(user):
        return True
    if certificate and certificate.level == EvaluationLevel.CENTRAL:
        return is_ministry_staff(user)
    return bool(certificate) and is_official(user) and unit_within_scope(user, certificate.issuing_unit)


@rules.predicate
def issues_for_decision(user, decision) -> bool:
    if is_system_admin(user):
        return True
    return bool(decision) and is_official(user) and unit_within_scope(user, decision.issuing_unit)


rules.add_perm("certificates.view_certificate_list", is_official | is_subject_rep)
rules.add_perm("certificates.view_certificate",
               official_of_holder | represents_holder | seen_by_ministry | is_system_admin)
rules.add_perm("certificates.revoke_certificate", at_issuing_level)
rules.add_perm("certificates.issue_for_decision", issues_for_decision)
rules.add_perm("certificates.view_expiry", is_official)
rules.add_perm("certificates.renew_certificate", official_of_holder | represents_holder)


rules.add_perm("certificates.import_register", is_system_admin | is_province_staff)


# ---------------------------------------------------------------------------------------------
# Inspections after recognition: the provincial office and the officers of the holder's area plan, record and
# close them; the holder's representatives read their products' and send the evidence of a corrective action.
# The ministry's office reads those of the central level's certificates (it alone revokes them, on the basis of
# an inspection that proposes it) and records none; the councils take no part.
# ---------------------------------------------------------------------------------------------


@rules.predicate
def inspects_holder(user, certificate) -> bool:
    """An official of the provinces and communes (or an administrator) whose area holds the certificate's subject."""
    return bool(certificate) and is_local_official(user) and unit_within_scope(user, certificate.subject.commune)


@rules.predicate
def inspects(user, inspection) -> bool:
    return bool(inspection) and inspects_holder(user, inspection.certificate)


@rules.predicate
def represents_inspected(user, inspection) -> bool:
    return bool(inspection) and represents_holder(user, inspection.certificate)


@rules.predicate
def ministry_reads_inspection(user, inspection) -> bool:
    """The ministry's office reads the inspections of the central level's certificates, which it alone revokes."""
    return bool(inspection) and is_ministry_staff(user) and inspection.certificate.level == EvaluationLevel.CENTRAL


@rules.predicate
def plan_in_scope(user, plan) -> bool:
    return bool(plan) and is_local_official(user) and unit_within_scope(user, plan.unit)


rules.add_perm("certificates.view_inspection_list", is_local_official | is_subject_rep | is_ministry_staff)
rules.add_perm("certificates.view_inspection_plan_list", is_local_official)
rules.add_perm("certificates.add_inspection_plan", is_local_official)
rules.add_perm("certificates.view_inspection_plan", plan_in_scope)
rules.add_perm("certificates.change_inspection_plan", plan_in_scope)
rules.add_perm("certificates.inspect_certificate", inspects_holder)  # checked against the certificate
rules.add_perm("certificates.view_inspection", inspects | represents_inspected | ministry_reads_inspection)
rules.add_perm("certificates.record_inspection", inspects)
rules.add_perm("certificates.close_corrective_action", inspects)
rules.add_perm("certificates.send_corrective_evidence", represents_inspected)
