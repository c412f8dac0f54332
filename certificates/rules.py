"""Who may do what with certificates (django-rules)."""
import rules

from ocop.rules import is_official, is_province_staff, is_subject_rep, is_system_admin, unit_within_scope


@rules.predicate
def represents_holder(user, certificate) -> bool:
    return bool(certificate) and certificate.subject.representative_links.filter(user=user).exists()


@rules.predicate
def official_of_holder(user, certificate) -> bool:
    return bool(certificate) and is_official(user) and unit_within_scope(user, certificate.subject.commune)


@rules.predicate
def at_issuing_level(user, certificate) -> bool:
    """The issuing authority's officials (or the province above a district that issued) and admins."""
    if is_system_admin(user):
        return True
    return bool(certificate) and is_official(user) and unit_within_scope(user, certificate.issuing_unit)


@rules.predicate
def issues_for_decision(user, decision) -> bool:
    if is_system_admin(user):
        return True
    return bool(decision) and is_official(user) and unit_within_scope(user, decision.issuing_unit)


rules.add_perm("certificates.view_certificate_list", is_official | is_subject_rep)
rules.add_perm("certificates.view_certificate", official_of_holder | represents_holder | is_system_admin)
rules.add_perm("certificates.revoke_certificate", at_issuing_level)
rules.add_perm("certificates.issue_for_decision", issues_for_decision)
rules.add_perm("certificates.view_expiry", is_official)
rules.add_perm("certificates.renew_certificate", official_of_holder | represents_holder)


rules.add_perm("certificates.import_register", is_system_admin | is_province_staff)
