"""Who may see and change subjects: officials in their area, representatives their own subject."""
import rules

from ocop.rules import is_official, is_subject_rep, unit_within_scope


@rules.predicate
def represents_subject(user, subject) -> bool:
    return subject is not None and is_subject_rep(user) and subject.representative_links.filter(user=user).exists()


@rules.predicate
def subject_in_area(user, subject) -> bool:
    return subject is not None and unit_within_scope(user, subject.commune)


rules.add_perm("subjects.view_subject_list", is_official | is_subject_rep)
rules.add_perm("subjects.view_subject", subject_in_area | represents_subject)
rules.add_perm("subjects.add_subject", is_official)
rules.add_perm("subjects.change_subject", subject_in_area)
