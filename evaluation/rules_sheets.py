"""Who may read the score sheets (officials and council members) and who may import them (administrators).

Imported by evaluation/rules.py (`from .rules_sheets import *`) and by the sheet views.
"""
import rules

from ocop.rules import is_council_member, is_official, is_system_admin

can_view_sheets = is_official | is_council_member
can_import_sheets = is_system_admin

rules.add_perm("evaluation.view_sheets", can_view_sheets)
rules.add_perm("evaluation.import_sheets", can_import_sheets)

__all__ = ["can_import_sheets", "can_view_sheets"]
