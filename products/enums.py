"""Choices of the products app: idea statuses (with their groups and transitions), markets, evidence kinds,
support kinds."""
from enum import nonmember

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for more information")
    SELECTED = "selected", _("Selected")
    REJECTED = "rejected", _("Rejected")
    SENT = "sent", _("Sent to the province")

    # Status groups (as pretalx's SubmissionStates.accepted_states): code names a group, never a list of statuses.
    EDITABLE = nonmember(("draft", "returned"))  # the registration form can be changed and submitted
    SCREENABLE = nonmember(("submitted",))  # waiting for the screener to select, return or reject it
    SCREENED = nonmember(("selected", "rejected", "sent"))
    PLANNABLE = nonmember(("selected", "sent"))  # selected: it gets its business plan and becomes a product

    # The life of an idea, one row a transition: the statuses it leaves from and the status it leads to. The
    # services refuse any other move; the rules, and so the pages' buttons, offer an action only from these.
    TRANSITIONS = nonmember({
        "submit": (EDITABLE, "submitted"),
        "select": (SCREENABLE, "selected"),
        "return": (SCREENABLE, "returned"),
        "reject": (SCREENABLE, "rejected"),
        "send": (("selected",), "sent"),
    })
    SCREENING = nonmember(("select", "return", "reject"))  # the screener's transitions


class MarketScope(models.TextChoices):
    LOCAL = "local", _("Local")
    PROVINCIAL = "provincial", _("Within the province")
    NATIONAL = "national", _("National")
    EXPORT = "export", _("Export")


class StarChoice(models.IntegerChoices):
    THREE = 3, "3★"
    FOUR = 4, "4★"
    FIVE = 5, "5★"


class EvidenceKind(models.TextChoices):
    REGISTRATION_FORM = "registration_form", _("Registration form")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment against the score sheet")
    BUSINESS_PLAN = "business_plan", _("Business plan")
    ORGANISATION = "organisation", _("Description of the organisation")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    FOOD_SAFETY_LICENCE = "food_safety_licence", _("Food-safety licence")
    QUALITY_DECLARATION = "quality_declaration", _("Quality declaration")
    TEST_RESULTS = "test_results", _("Test results")
    TRACEABILITY = "traceability", _("Traceability")
    RAW_MATERIAL_ORIGIN = "raw_material_origin", _("Raw-material origin")
    PRODUCT_STORY = "product_story", _("Product story")
    AWARDS = "awards", _("Awards")
    OTHER = "other", _("Other evidence")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SUBMITTED = "submitted", _("Submitted for evaluation")
    RETURNED = "returned", _("Returned for completion")
    CHECKED = "checked", _("Checked by the commune")
    SENT = "sent", _("Sent to the province")

    # Status groups (as IdeaStatus's): code names a group, never a list of statuses.
    EDITABLE = nonmember(("draft", "returned"))  # the subject adds and removes evidence, then submits
    LODGED = nonmember(("submitted", "checked", "sent"))  # submitted and not returned: its documents are locked
    PRE_ASSESSABLE = nonmember(("submitted", "checked"))  # the commune's pre-assessment can change until it is sent

    # The commune's part of the procedure (1489/2025, 26/2026; the district's under 148), one row a transition:
    # the statuses it leaves from and the status it leads to. The services refuse any other move; the rules, and
    # so the page's buttons, offer an action only from these.
    TRANSITIONS = nonmember({
        "submit": (EDITABLE, "submitted"),
        "return": (("submitted",), "returned"),
        "check": (("submitted",), "checked"),
        "send": (("checked",), "sent"),
    })


class SupportKind(models.TextChoices):
    TRAINING = "training", _("Training")
    CONSULTING = "consulting", _("Consulting")
    PACKAGING = "packaging", _("Packaging and labels")
    STANDARDS = "standards", _("Standards and certification")
    OTHER = "other", _("Other support")
