"""Who sees the programme dashboard and its reports: officials (their area) and administrators."""
import rules

from ocop.rules import is_official

rules.add_perm("promotion.view_dashboard", is_official)
