"""Who may do what in trade promotion and monitoring: officials manage events, sales points, listings, training
and targets within their area and see the programme dashboard and its reports (their area; administrators all);
a subject's representative sees and answers only his subject's invitations."""
import rules

from ocop.rules import is_official, is_subject_rep, unit_in_scope, unit_within_scope


@rules.predicate
def event_in_scope(user, event) -> bool:
    return event is not None and unit_within_scope(user, event.unit)


@rules.predicate
def invited_to_event(user, event) -> bool:
    return (event is not None and is_subject_rep(user)
            and event.booths.filter(subject__representative_links__user=user).exists())


@rules.predicate
def booth_in_scope(user, booth) -> bool:
    return booth is not None and unit_within_scope(user, booth.event.unit)


@rules.predicate
def represents_booth(user, booth) -> bool:
    return (booth is not None and is_subject_rep(user)
            and booth.subject.representative_links.filter(user=user).exists())


@rules.predicate
def sales_point_in_scope(user, sales_point) -> bool:
    return sales_point is not None and unit_within_scope(user, sales_point.commune)


@rules.predicate
def product_in_scope(user, product) -> bool:
    return product is not None and unit_within_scope(user, product.commune)


@rules.predicate
def training_in_scope(user, training) -> bool:
    return training is not None and unit_within_scope(user, training.unit)


# Events, invitations (booths) and their results
rules.add_perm("promotion.view_event_list", is_official)
# An event's page opens for officials and representatives; which events each sees is scoped per object.
rules.add_perm("promotion.view_event_page", is_official | is_subject_rep)
rules.add_perm("promotion.view_event", event_in_scope | invited_to_event)
rules.add_perm("promotion.add_event", is_official)
rules.add_perm("promotion.change_event", event_in_scope)
rules.add_perm("promotion.delete_event", event_in_scope)
rules.add_perm("promotion.invite_to_event", event_in_scope)
rules.add_perm("promotion.answer_booth", represents_booth | booth_in_scope)
rules.add_perm("promotion.record_booth_results", booth_in_scope)
# Sales points and e-commerce listings
rules.add_perm("promotion.view_salespoint_list", is_official)
rules.add_perm("promotion.view_salespoint", sales_point_in_scope)
rules.add_perm("promotion.add_salespoint", is_official)
rules.add_perm("promotion.change_salespoint", sales_point_in_scope)
rules.add_perm("promotion.manage_listings", product_in_scope)
# Training and targets
rules.add_perm("promotion.view_training_list", is_official)
rules.add_perm("promotion.add_training", is_official)
rules.add_perm("promotion.change_training", training_in_scope)
rules.add_perm("promotion.view_targets", is_official)
rules.add_perm("promotion.change_targets", is_official & unit_in_scope)
# The programme dashboard and its reports
rules.add_perm("promotion.view_dashboard", is_official)
