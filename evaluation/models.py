"""Rules as versioned data, score sheets, councils and sessions, scorecards, results and decisions."""
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.enums import SignerTitle
from ocop.models import AdministrativeUnit, Cycle, Round
from ocop.validators import validate_name
from products.models import Dossier, Product, ProductSet

from .enums import EvaluationKind, EvaluationLevel, MemberRole, ScorecardStatus, SessionStatus
from .star_rules import MAX_STAR, MIN_RECOGNISED_STAR

POINTS = {"max_digits": 6, "decimal_places": 2}


# ---------------------------------------------------------------------------------------------
# Rules as versioned data
# ---------------------------------------------------------------------------------------------


class Regulation(models.Model):
    """A version of the OCOP rules (1048/QĐ-TTg 2019, 148/QĐ-TTg 2023, 1489/QĐ-TTg 2025, ...)."""

    code = models.CharField(_("decision number"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("issued on"))
    effective_from = models.DateField(_("in force from"))
    quorum_ratio = models.DecimalField(
        _("quorum (share of members)"), max_digits=3, decimal_places=2, default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1"))],
    )
    quorum_requires_chair = models.BooleanField(_("the chair must be present"), default=True)
    max_spread = models.DecimalField(
        _("allowed spread between members' totals"), max_digits=5, decimal_places=2, default=Decimal("10"),
    )
    # Since 1489/QĐ-TTg (2025) the commune receives and checks a dossier and sends it to the province in a list;
    # under 148/QĐ-TTg and 1048/QĐ-TTg a council took a submitted dossier directly (the district's path).
    commune_intake = models.BooleanField(
        _("the commune checks and sends the dossiers"), default=False,
        help_text=_("Under these rules a council takes a dossier only once its commune has checked it and sent it "
                    "to the province."))

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["-effective_from"]

    def __str__(self):
        return self.code


class StarBand(models.Model):
    """A star from a minimum average score (bands are half-open: 3★ is 50 ≤ score < 70)."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="star_bands")
    star = models.PositiveSmallIntegerField(_("star"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    min_score = models.DecimalField(_("from score"), **POINTS)

    class Meta:
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")
        ordering = ["regulation", "star"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "star"], name="star_band_unique_star"),
            models.UniqueConstraint(fields=["regulation", "min_score"], name="star_band_unique_min"),
        ]

    def __str__(self):
        return f"{self.star}★ ≥ {self.min_score}"


class LevelRule(models.Model):
    """What a council of a level may recognise, and the score that sends a product to the next level."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="level_rules")
    level = models.CharField(_("level"), max_length=20, choices=EvaluationLevel.choices)
    max_star = models.PositiveSmallIntegerField(
        _("highest star it may recognise"), validators=[MinValueValidator(0), MaxValueValidator(5)])
    nomination_score = models.DecimalField(
        _("score that nominates for the next level"), null=True, blank=True, **POINTS)
    next_level = models.CharField(_("next level"), max_length=20, choices=EvaluationLevel.choices, blank=True)

    class Meta:
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")
        constraints = [models.UniqueConstraint(fields=["regulation", "level"], name="level_rule_unique")]

    def __str__(self):
        return f"{self.regulation} · {self.get_level_display()} ≤ {self.max_star}★"


class CycleRegulation(models.Model):
    """The rules a cycle is run under (set when the cycle is planned)."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="regulation_link")
    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="cycle_links")

    class Meta:
        verbose_name = _("rules of a cycle")
        verbose_name_plural = _("rules of cycles")

    def __str__(self):
        return f"{self.cycle} · {self.regulation}"


# ---------------------------------------------------------------------------------------------
# Score sheets: part → section → criterion → options
# ---------------------------------------------------------------------------------------------


class ScoreSheet(models.Model):
    """The score sheet of a product set under a regulation (phiếu đánh giá), loaded as data."""

    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="sheets")
    product_set = models.ForeignKey(ProductSet, on_delete=models.PROTECT, related_name="sheets")
    title = models.CharField(_("title"), max_length=500)
    is_demonstration = models.BooleanField(
        _("demonstration content"), default=False,
        help_text=_("Shipped for trying the system; replace it with the official appendix by import."))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["regulation", "product_set__number"]
        constraints = [models.UniqueConstraint(fields=["regulation", "product_set"], name="sheet_unique_set")]

    def __str__(self):
        return f"{self.regulation} · {self.product_set}"


class SheetPart(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="parts")
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=500)
    max_points = models.DecimalField(_("maximum"), **POINTS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="part_unique_code")]

    def __str__(self):
        return f"{self.code}. {self.title}"


class SheetSection(models.Model):
    part = models.ForeignKey(SheetPart, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["part", "position"]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    """A criterion with its maximum; it may be mandatory for a star (a zero there caps the star)."""

    section = models.ForeignKey(SheetSection, on_delete=models.CASCADE, related_name="criteria")
    # Denormalised for fast aggregation per part and for checking an answer belongs to the sheet.
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="criteria")
    part = models.ForeignKey(SheetPart, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=1000)
    max_points = models.DecimalField(_("maximum"), **POINTS)
    required_for_star = models.PositiveSmallIntegerField(
        _("mandatory from star"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("A product that fails this criterion cannot reach this star or above."))
    # Under 1489/2025 and 26/2026 the commune pre-assesses the local parts (local raw materials, local labour,
    # origin of the idea) when it checks the dossier.
    assessed_by_commune = models.BooleanField(
        _("pre-assessed by the commune"), default=False,
        help_text=_("The commune proposes an answer to this criterion when it checks the dossier."))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["sheet", "position"]
        constraints = [models.UniqueConstraint(fields=["sheet", "code"], name="criterion_unique_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CriterionOption(models.Model):
    """One answer of a criterion, worth fixed points; a knock-out answer eliminates the product."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("answer"), max_length=1000)
    points = models.DecimalField(_("points"), **POINTS)
    knocks_out = models.BooleanField(_("eliminates the product"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["criterion", "position"]

    def __str__(self):
        return f"{self.label} ({self.points})"


class DossierPreAssessment(models.Model):
    """The answer the commune proposes, with its note, to a criterion it pre-assesses (`assessed_by_commune`)
    when it checks a dossier; the council reads it beside the dossier."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE,
                                related_name="pre_assessments")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="pre_assessments")
    option = models.ForeignKey(CriterionOption, verbose_name=_("proposed answer"), on_delete=models.PROTECT,
                               related_name="pre_assessments")
    note = models.CharField(_("note"), max_length=1000, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pre-assessed by"),
                                    on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("pre-assessment by the commune")
        verbose_name_plural = _("pre-assessments by the commune")
        ordering = ["criterion__position"]
        constraints = [models.UniqueConstraint(fields=["dossier", "criterion"], name="preassessment_unique")]

    def __str__(self):
        return f"{self.criterion.code}: {self.option.label}"


# ---------------------------------------------------------------------------------------------
# Councils and sessions
# ---------------------------------------------------------------------------------------------


class Council(models.Model):
    """An evaluation council (Hội đồng đánh giá, phân hạng) of a level and unit for a cycle."""

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="councils")
    level = models.CharField(_("level"), max_length=20, choices=EvaluationLevel.choices)
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="councils")
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    established_by = models.CharField(_("established by decision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["-cycle__year", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:council-detail", args=[self.pk])


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_memberships")
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    agency = models.CharField(_("agency"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="member_unique_user"),
            models.UniqueConstraint(fields=["council"], condition=Q(role="chair"), name="member_one_chair"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class AdvisoryMember(models.Model):
    """A member of the advisory or support team (Tổ tư vấn / Tổ giúp việc); does not score."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="advisers")
    name = models.CharField(_("name"), max_length=150, validators=[validate_name])
    agency = models.CharField(_("agency"), max_length=255, blank=True)
    task = models.CharField(_("task"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("advisory team member")
        verbose_name_plural = _("advisory team")

    def __str__(self):
        return self.name


class Session(models.Model):
    """A sitting of a council (phiên) that scores the products assigned to it."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    held_on = models.DateField(_("date"))
    # The round of the council's cycle whose days hold `held_on` (its decisions are the round's too); empty for a
    # session of a cycle without rounds, and for a central council's (the ministry keeps no province's rounds).
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="sessions")
    place = models.CharField(_("place"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    present = models.ManyToManyField(CouncilMember, verbose_name=_("members present"), blank=True,
                                     related_name="sessions_attended")
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-held_on", "number"]
        constraints = [models.UniqueConstraint(fields=["council", "number"], name="session_unique_number")]

    def __str__(self):
        return _("%(council)s, session %(number)s") % {"council": self.council, "number": self.number}

    def get_absolute_url(self):
        return reverse("evaluation:session-detail", args=[self.pk])

    @property
    def has_taken_place(self) -> bool:
        """Whether the sitting's date has come: nothing is scored or closed before the council sits."""
        return self.held_on <= timezone.localdate()


class Evaluation(models.Model):
    """One product assessed in a session, frozen to the rules and sheet it started under."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="evaluations")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="evaluations")
    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=20, choices=EvaluationKind.choices, default=EvaluationKind.FIRST)
    regulation = models.ForeignKey(Regulation, verbose_name=_("regulation"), on_delete=models.PROTECT,
                                   related_name="evaluations")
    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("score sheet"), on_delete=models.PROTECT,
                              related_name="evaluations")
    position = models.PositiveIntegerField(default=0)
    # Written once, when the session is finalised (legal record of the result).
    final_score = models.DecimalField(_("average score"), null=True, blank=True, **POINTS)
    star_band = models.PositiveSmallIntegerField(_("star band"), null=True, blank=True)
    recognised_star = models.PositiveSmallIntegerField(_("star recognised"), null=True, blank=True)
    nominated_to = models.CharField(_("nominated to"), max_length=20, choices=EvaluationLevel.choices, blank=True)
    # Why the council kept members' totals further apart than the regulation allows (written at finalisation,
    # printed in the minutes); empty when the spread was within the limit.
    spread_reason = models.TextField(_("reason the spread was accepted"), blank=True)
    # What the council says of the product (nhận xét của Hội đồng): written by the chair or the secretary until
    # the session is finalised, then part of the record the subject reads beside its results.
    remarks = models.TextField(_("council's remarks"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["session", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "product"], name="evaluation_unique_product")]

    def __str__(self):
        return f"{self.product} · {self.session}"

    def get_absolute_url(self):
        return reverse("evaluation:evaluation-detail", args=[self.pk])


class ConflictOfInterest(models.Model):
    """A member who must not score a product: declared by him, or detected (he acts for its subject)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(CouncilMember, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=500)
    detected = models.BooleanField(_("detected automatically"), default=False)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["evaluation", "member"], name="conflict_unique")]

    def __str__(self):
        return f"{self.member} · {self.evaluation}"


class Scorecard(models.Model):
    """One member's scores for one product (phiếu chấm điểm)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scorecards")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="scorecards")
    status = models.CharField(_("status"), max_length=20, choices=ScorecardStatus.choices, default=ScorecardStatus.OPEN)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["evaluation", "member"], name="scorecard_unique_member")]
        indexes = [models.Index(fields=["member", "status"], name="scorecard_member_status_idx")]

    def __str__(self):
        return f"{self.member} · {self.evaluation}"

    def get_absolute_url(self):
        return reverse("evaluation:score", args=[self.pk])


class CriterionScore(models.Model):
    """The option a member chose for a criterion; its points are copied so totals are one SUM."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    option = models.ForeignKey(CriterionOption, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("points"), **POINTS)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_unique_criterion")]

    def __str__(self):
        return f"{self.criterion.code}: {self.points}"


# ---------------------------------------------------------------------------------------------
# Recognition decisions
# ---------------------------------------------------------------------------------------------


class Decision(models.Model):
    """A recognition decision (quyết định công nhận) issued after a finalised session."""

    session = models.ForeignKey(Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("decision number"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    # Who signed and as what: his full name, and his position, from which the document's signature block is set out
    # ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"). Decisions recorded before the position was asked for
    # have none, and their `signer` may hold a position ("Chủ tịch UBND huyện Bạch Thông"), printed as it is.
    signer = models.CharField(_("signed by"), max_length=255, validators=[validate_name])
    signer_title = models.CharField(_("signer's position"), max_length=20, choices=SignerTitle.choices, blank=True)
    issuing_unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("issuing authority"),
                                     on_delete=models.PROTECT, related_name="decisions")
    level = models.CharField(_("level"), max_length=20, choices=EvaluationLevel.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-signed_on"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "number"], name="decision_unique_number")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("evaluation:decision-detail", args=[self.pk])


class RecognisedProduct(models.Model):
    """A product and the star a decision recognises; what the certificates app issues from."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    evaluation = models.OneToOneField(Evaluation, on_delete=models.PROTECT, related_name="recognition")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="recognitions")
    star = models.PositiveSmallIntegerField(
        _("star"), validators=[MinValueValidator(MIN_RECOGNISED_STAR), MaxValueValidator(MAX_STAR)])

    class Meta:
        verbose_name = _("recognised product")
        verbose_name_plural = _("recognised products")
        constraints = [
            models.CheckConstraint(condition=Q(star__gte=MIN_RECOGNISED_STAR) & Q(star__lte=MAX_STAR),
                                   name="recognised_star_range"),
        ]

    def __str__(self):
        return f"{self.product} {self.star}★"
