"""The daily expiry job: certificates entering a notice window are flagged once, then their people are told.

Windows are days before a certificate's end (`OCOP_CERTIFICATE_NOTICE_DAYS`, default 180, 90 and 30) and
0, the end itself (from the day `valid_until` is reached). A certificate stands in the smallest window
its end falls within: 20 days before its end it stands in the 30-day window, and that is the one notice it
gets, not the 180- and 90-day ones it was never told about (they would only repeat, more weakly, what the
30-day notice says). Once ended it gets the expiry notice, but only within
`OCOP_CERTIFICATE_EXPIRED_NOTICE_DAYS` (default 30) of its end: the first run over an old register does not
tell holders about certificates that ended years ago. Revoked and superseded certificates get nothing.

The job runs in two steps, each safe to repeat and to interrupt:
1. `expiry_notices_insert`: one INSERT ... SELECT adds a CertificateNotice per certificate and window,
   skipping those that exist (the unique (certificate, window) constraint, ON CONFLICT DO NOTHING), so a
   second or concurrent run adds nothing.
2. `expiry_notices_deliver`: in one transaction, claims every notice not told yet (sets `emailed_at`, the
   run's time stamp), finds the recipients (the subject's representatives; local officers and provincial
   staff whose unit contains the subject's commune) and gives each one in-app notification summing up his
   certificates, with its email waiting.
3. After the commit, `notification_emails_queue` hands the waiting emails to the email task, through the outbox
   (ocop.tasks.send_notification_emails, several at once for a backlog, each claiming its emails before
   sending them): the job does not wait for the mail server. A worker killed inside the transaction leaves
   everything for the next run; killed after it, the emails still wait and the next run queues them again.
   Nobody is told twice about the same certificate and window.
"""
import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, Exists, F, OuterRef, PositiveSmallIntegerField, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.enums import Role
from ocop.models import Notification, User
from ocop.services import notification_emails_queue, notifications_create
from subjects.models import SubjectRepresentative

from .models import Certificate, CertificateNotice, live_q

NOTIFICATION_KIND = "certificates.expiry"
LISTED = 50  # certificates listed in one message; the others are counted

logger = logging.getLogger(__name__)


def notice_windows() -> list[int]:
    """The windows in days before the end, largest first, then 0 (the end itself)."""
    days = {int(d) for d in settings.OCOP_CERTIFICATE_NOTICE_DAYS if int(d) > 0}
    return sorted(days, reverse=True) + [0]


def window_reached(today: datetime.date, windows: list[int]) -> Case:
    """The window a certificate stands in on `today`, computed in the database: the smallest window its end
    falls within (NULL when its end is further away than the largest)."""
    return Case(*[When(valid_until__lte=today + datetime.timedelta(days=w), then=Value(w)) for w in sorted(windows)],
                default=Value(None), output_field=PositiveSmallIntegerField())


def expiry_notices_insert(*, today: datetime.date | None = None) -> int:
    """Flag the certificates in force that have reached a window they have no notice for; returns how many.

    One INSERT ... SELECT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL): the certificates are never
    loaded into Python, the range scan uses the index on valid_until, and a notice another run inserted in
    the meantime is skipped rather than failing.
    """
    today = today or timezone.localdate()
    windows = notice_windows()
    lookback = settings.OCOP_CERTIFICATE_EXPIRED_NOTICE_DAYS
    candidates = (
        Certificate.objects.order_by().live_on(today)
        .filter(valid_until__gte=today - datetime.timedelta(days=lookback),
                valid_until__lte=today + datetime.timedelta(days=windows[0]))
        # Annotated in the order of the INSERT's columns: the SELECT lists them in that order.
        .annotate(notice_certificate=F("pk"), notice_window=window_reached(today, windows),
                  notice_created=Value(timezone.now(), output_field=DateTimeField()))
        .exclude(Exists(CertificateNotice.objects.filter(certificate=OuterRef("pk"),
                                                         window_days=OuterRef("notice_window"))))
        .values_list("notice_certificate", "notice_window", "notice_created")
    )
    select, params = candidates.query.sql_with_params()
    meta, quote = CertificateNotice._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in ("certificate", "window_days", "created_at"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({columns}) {select} ON CONFLICT DO NOTHING", params)
        return max(cursor.rowcount, 0)


def expiry_notices_deliver(*, today: datetime.date | None = None) -> dict[str, int]:
    """Tell the people of every notice not told yet: one notification (and one email) per person.

    Side effects: sets `emailed_at` on the notices it claims; creates the notifications with their emails
    waiting, in the same transaction. Sends nothing itself (`expiry_notices_run` queues the emails).
    Returns the counts.
    """
    today = today or timezone.localdate()
    stamp = timezone.now()
    with transaction.atomic():
        claimed = CertificateNotice.objects.filter(emailed_at__isnull=True).update(emailed_at=stamp)
        notices = _claimed(stamp, today) if claimed else []
        told, created = _recipients(notices, stamp), []
        if told:
            with translation.override(settings.LANGUAGE_CODE):
                writer = _Writer(today)
                created = notifications_create([writer.notification(user_id, rows) for user_id, rows in told.items()],
                                               email=True)
    return {"told": len(notices), "notifications": len(created)}


def expiry_notices_run(today: datetime.date | None = None) -> dict[str, int]:
    """The daily job (Celery beat, `flag_expiring_certificates` command): flag, tell, then queue the emails
    (with what an earlier run killed after its commit left waiting). Returns the counts."""
    today = today or timezone.localdate()
    counts = {"notices": expiry_notices_insert(today=today), **expiry_notices_deliver(today=today)}
    counts["emails_queued"] = notification_emails_queue(committed=True)
    logger.info("expiry_notices day=%s %s", today.isoformat(), " ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _claimed(stamp, today: datetime.date) -> list[dict]:
    """The notices this run claimed whose certificate is still in force, the soonest-ending first."""
    return list(
        CertificateNotice.objects.filter(live_q(today, prefix="certificate__"), emailed_at=stamp)
        .order_by("certificate__valid_until", "certificate__number")
        .values("window_days", "certificate_id", "certificate__number", "certificate__valid_until",
                "certificate__star", "certificate__product__name", "certificate__subject_id",
                "certificate__subject__name", "certificate__subject__commune__path"))


def _recipients(notices: list[dict], stamp) -> dict[int, list[dict]]:
    """Who is told about which notices: {user id: notices}, each notice once per user, in the given order.

    Representatives come from SubjectRepresentative; officers are the active local officers and provincial
    staff whose unit's path is a prefix of the subject's commune path (as ocop.selectors.scope_q has it).
    """
    if not notices:
        return {}
    subjects = CertificateNotice.objects.filter(emailed_at=stamp).values("certificate__subject_id")
    representatives = defaultdict(list)
    for subject_id, user_id in SubjectRepresentative.objects.filter(
            subject__in=Subquery(subjects), user__is_active=True).values_list("subject_id", "user_id"):
        representatives[subject_id].append(user_id)
    officers = defaultdict(list)
    for user_id, path in User.objects.filter(is_active=True, role__in=[Role.LOCAL_OFFICER, Role.PROVINCE_STAFF],
                                             unit__isnull=False).values_list("pk", "unit__path"):
        officers[path].append(user_id)

    told: dict[int, dict[int, dict]] = defaultdict(dict)
    for notice in notices:
        users = list(representatives.get(notice["certificate__subject_id"], []))
        path = ""
        for code in notice["certificate__subject__commune__path"].split("/")[:-1]:
            path += code + "/"
            users += officers.get(path, [])
        for user_id in users:
            told[user_id].setdefault(notice["certificate_id"], notice)
    return {user_id: list(rows.values()) for user_id, rows in told.items()}


class _Writer:
    """Writes the notifications of one run, each certificate's line and each date written once (a backlog
    run tells thousands of people about the same certificates)."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.lines: dict[int, str] = {}
        self.dates: dict[datetime.date, str] = {}
        self.texts: dict[tuple, str] = {}
        self.list_url = reverse("certificates:expiry")
        # A certificate's page, reversed once: reverse() costs a tenth of a millisecond, ten thousand times.
        self.detail_url = reverse("certificates:detail", args=[0]).replace("/0/", "/{}/")
        self.certificate_type = ContentType.objects.get_for_model(Certificate)

    def text(self, key, translate) -> str:
        """A translated message, looked up once a run per `key` (each gettext call goes through the thread's
        active translation: thousands of them cost a second)."""
        if key not in self.texts:
            self.texts[key] = translate()
        return self.texts[key]

    def notification(self, user_id: int, notices: list[dict]) -> Notification:
        """One person's notification: the certificates that entered a window, the soonest-ending first."""
        count = len(notices)
        if count == 1:
            notice = notices[0]
            values = {"number": notice["certificate__number"], "date": self.date(notice["certificate__valid_until"])}
            title = (
                self.text("ended", lambda: _("OCOP certificate %(number)s has reached its end date (%(date)s)"))
                if notice["window_days"] == 0 else
                self.text("ending", lambda: _("OCOP certificate %(number)s is about to end (valid until %(date)s)"))
            ) % values
            url = self.detail_url.format(notice["certificate_id"])
            target = {"target_type": self.certificate_type, "target_id": notice["certificate_id"]}
        else:
            title = self.text(("title", count), lambda: ngettext(
                "%(count)s OCOP certificate is ending or has ended",
                "%(count)s OCOP certificates are ending or have ended", count)) % {"count": count}
            url, target = self.list_url, {}
        lines = [self.text(("lead", count), lambda: ngettext(
            "This OCOP certificate is coming to the end of its validity:",
            "These OCOP certificates are coming to the end of their validity:", count)), ""]
        lines += ["- " + self.line(notice) for notice in notices[:LISTED]]
        if count > LISTED:
            lines.append(ngettext("… and %(count)s more certificate.", "… and %(count)s more certificates.",
                                  count - LISTED) % {"count": count - LISTED})
        lines += ["", self.text("advice", lambda: _(
            "To keep its OCOP recognition, the subject should apply for a new evaluation before the certificate "
            "ends."))]
        return Notification(recipient_id=user_id, kind=NOTIFICATION_KIND, title=title[:255], body="\n".join(lines),
                            url=url, **target)

    def line(self, notice: dict) -> str:
        if notice["certificate_id"] not in self.lines:
            valid_until = notice["certificate__valid_until"]
            days = (valid_until - self.today).days
            if days > 0:
                left = self.text(("left", days), lambda: ngettext(
                    "%(days)s day left", "%(days)s days left", days)) % {"days": days}
            elif days == 0:
                left = self.text("last day", lambda: _("its last day of validity"))
            else:
                left = self.text(("ago", -days), lambda: ngettext(
                    "ended %(days)s day ago", "ended %(days)s days ago", -days)) % {"days": -days}
            self.lines[notice["certificate_id"]] = self.text("line", lambda: _(
                "%(number)s – %(product)s (%(subject)s), %(star)s stars: valid until %(date)s, %(left)s")) % {
                "number": notice["certificate__number"], "product": notice["certificate__product__name"],
                "subject": notice["certificate__subject__name"], "star": notice["certificate__star"],
                "date": self.date(valid_until), "left": left}
        return self.lines[notice["certificate_id"]]

    def date(self, day: datetime.date) -> str:
        if day not in self.dates:
            self.dates[day] = date_format(day, "SHORT_DATE_FORMAT")
        return self.dates[day]
