"""Writes of notifications: the notices a log entry makes, their mail, settings.

``notify`` runs in the transaction of the entry it tells of (``log_append`` calls it),
so a change and its news are saved or rolled back together; a mail "at once" is
queued in that transaction too (``offerdesk.mail``). ``digests_send`` mails each
person the notices that wait for their daily digest, one mail per person.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from decisions.models import CoachGrant, LogEntry, Notice, NoticeSetting, Notification
from decisions.notifications import DEFAULTS, how_often, news_of, unsubscribe_token
from offerdesk import mail
from offerdesk.accounts.models import User
from offerdesk.validators import one_line

Often = NoticeSetting.Often
# A what-if on the sliders saves the weights several times: one notice a day of it.
WEIGHTS_QUIET = dt.timedelta(hours=24)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notice_link(notification: Notification) -> str:
    """Where a notice leads its reader: the coach to the client's decision, the client
    to the decision's coaching page."""
    if notification.kind == Notice.COACH_WROTE:
        return reverse("decisions:coaching", args=[notification.decision_id])
    if notification.kind == Notice.ANSWERED:
        return reverse("coach:conversation", args=[notification.decision_id])
    return reverse("coach:review", args=[notification.decision_id])


def _mail(recipient: User, kind: str, notices: list[Notification], *, words: str = "") -> None:
    """One mail of ``notices`` (all of ``kind``, or a digest when ``kind`` is "") with
    the unsubscribe link of each kind it holds, in the body and, for mail programs
    that offer it, in the List-Unsubscribe header (RFC 8058: one click, no page)."""
    kinds = sorted({n.kind for n in notices})
    links = {
        k: _absolute(reverse("unsubscribe", args=[unsubscribe_token(recipient, k)])) for k in kinds
    }
    if kind:
        subject = one_line(notices[0].text)
    else:
        subject = f"Offerdesk: {len(notices)} thing{'s' if len(notices) != 1 else ''} new today"
    body = render_to_string(
        "decisions/notice_email.txt",
        {
            "name": one_line(recipient.display_name),
            "notices": [(n, _absolute(notice_link(n))) for n in notices],
            "words": words,
            "digest": not kind,
            "unsubscribe": [(Notice(k).label, links[k]) for k in kinds],
            "settings_url": _absolute(reverse("notice_settings")),
        },
    )
    message = EmailMessage(subject[:200], body, to=[recipient.email])
    if len(kinds) == 1:
        message.extra_headers["List-Unsubscribe"] = f"<{links[kinds[0]]}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.send(message)


def notify(entry: LogEntry) -> list[Notification]:
    """Write the notices ``entry`` makes (``decisions.notifications.news_of``) and mail
    those whose readers want them at once. Call it in the entry's transaction."""
    made = []
    for news in news_of(entry):
        recipient = news.recipient
        if (
            news.kind == Notice.WEIGHTS
            and Notification.objects.filter(
                recipient=recipient,
                decision=entry.decision,
                kind=Notice.WEIGHTS,
                created_at__gte=timezone.now() - WEIGHTS_QUIET,
            ).exists()
        ):
            continue
        often = how_often(NoticeSetting.objects.filter(user=recipient, kind=news.kind), news.kind)
        notification = Notification.objects.create(
            recipient=recipient,
            kind=news.kind,
            decision=entry.decision,
            entry=entry,
            text=news.text[:300],
        )
        if often == Often.AT_ONCE and recipient.email:
            # A coach's words go to the client they were written to: theirs to read.
            words = entry.body if news.kind == Notice.COACH_WROTE else ""
            _mail(recipient, news.kind, [notification], words=words)
            notification.mailed_at = timezone.now()
            notification.save(update_fields=["mailed_at"])
        made.append(notification)
    return made


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Mail each person the notices waiting for their digest, as one mail; how many
    mails. Each person's is its own short transaction (their notices locked, mailed,
    marked), so that a long run holds up no one's writes. Notices of a kind set to
    "never" are marked and not mailed, as are a coach's of a client whose access has
    ended since."""
    now = now or timezone.now()
    recipients = (
        Notification.objects.filter(mailed_at__isnull=True)
        .order_by()
        .values_list("recipient", flat=True)
        .distinct()
    )
    sent = 0
    for recipient_id in list(recipients):
        with transaction.atomic():
            sent += _digest_send(recipient_id, now)
    return sent


def _digest_send(recipient_id: int, now: dt.datetime) -> int:
    notices = list(
        Notification.objects.select_for_update()
        .filter(recipient_id=recipient_id, mailed_at__isnull=True)
        .select_related("recipient", "decision")
        .order_by("created_at", "id")
    )
    if not notices:
        return 0  # another run took them meanwhile
    recipient = notices[0].recipient
    chosen = list(NoticeSetting.objects.filter(user=recipient))
    coached = set(
        CoachGrant.objects.active().filter(coach=recipient).values_list("client", flat=True)
    )
    wanted = [
        n
        for n in notices
        if how_often(chosen, n.kind) != Often.NEVER
        and (n.decision.owner_id == recipient.pk or n.decision.owner_id in coached)
    ]
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(mailed_at=now)
    if wanted and recipient.email:
        _mail(recipient, "", wanted)
        return 1
    return 0


@transaction.atomic
def notices_set(*, user: User, choices: dict[str, str]) -> int:
    """Save a whole settings form (kind -> how often) at once; how many changed."""
    return sum(notice_set(user=user, kind=kind, often=often) for kind, often in choices.items())


@transaction.atomic
def notice_set(*, user: User, kind: str, often: str) -> bool:
    """Choose how often ``user`` hears of ``kind`` by mail; False if already so."""
    if kind not in DEFAULTS or often not in Often.values:
        raise ValueError("Not a kind of notice, or not a choice of how often.")
    current = how_often(NoticeSetting.objects.filter(user=user, kind=kind), kind)
    if current == often:
        return False
    NoticeSetting.objects.update_or_create(user=user, kind=kind, defaults={"often": often})
    if often == Often.NEVER:
        # What waited for a digest no longer comes by mail.
        Notification.objects.filter(recipient=user, kind=kind, mailed_at__isnull=True).update(
            mailed_at=timezone.now()
        )
    return True


def news_read(*, user: User, ids: list[int], when: dt.datetime) -> int:
    """Mark the notices ``ids`` of ``user`` read (a page of "What's new" showed them);
    how many were new."""
    return Notification.objects.filter(recipient=user, pk__in=ids, read_at__isnull=True).update(
        read_at=when
    )
