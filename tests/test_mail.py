"""offerdesk/mail.py: mail queued with the request, sealed, delivered whole, retried."""

from __future__ import annotations

import smtplib
from http import HTTPStatus

import pytest
from django.core import mail as outbox
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from decisions.models import CoachInvitation
from offerdesk import mail
from tests.factories import UserFactory


class _DisconnectingMailServer(BaseEmailBackend):
    """A mail backend whose server hangs up; counts how often it was tried."""

    attempts = 0

    def send_messages(self, email_messages) -> int:
        type(self).attempts += 1
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings) -> type[_DisconnectingMailServer]:
    _DisconnectingMailServer.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}._DisconnectingMailServer"
    return _DisconnectingMailServer


@pytest.fixture
def database_queue(settings, monkeypatch) -> None:
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    # The worker would take over this process's Ctrl-C and SIGTERM for good.
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)


def _run_worker() -> None:
    """What ``manage.py db_worker`` does, until no task is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _message() -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Your invitation",
        body="Plain words, and a link: https://example.com/secret-link/",
        from_email="Offerdesk <no-reply@example.com>",
        to=["coach@example.com"],
        cc=["copy@example.com"],
        bcc=["hidden@example.com"],
        reply_to=["candidate@example.com"],
        headers={"X-Offerdesk": "invitation"},
    )
    message.attach_alternative("<p>HTML words</p>", "text/html")
    return message


# Queued after commit, delivered whole --------------------------------------------


def test_a_queued_message_arrives_whole(db):
    mail.send(_message())
    [sent] = outbox.outbox
    assert (sent.subject, sent.body, sent.from_email) == (
        "Your invitation",
        "Plain words, and a link: https://example.com/secret-link/",
        "Offerdesk <no-reply@example.com>",
    )
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["coach@example.com"],
        ["copy@example.com"],
        ["hidden@example.com"],
        ["candidate@example.com"],
    )
    assert sent.extra_headers == {"X-Offerdesk": "invitation"}
    assert [tuple(alternative) for alternative in sent.alternatives] == [
        ("<p>HTML words</p>", "text/html")
    ]


def test_an_html_only_message_stays_html(db):
    message = EmailMessage("Hello", "<p>Only HTML</p>", to=["a@example.com"])
    message.content_subtype = "html"
    mail.send(message)
    assert outbox.outbox[0].message().get_content_type() == "text/html"


def test_the_default_sender_is_filled_in(db, settings):
    settings.DEFAULT_FROM_EMAIL = "Offerdesk <hello@example.com>"
    mail.send(EmailMessage("Hello", "Body", to=["a@example.com"]))
    assert outbox.outbox[0].from_email == "Offerdesk <hello@example.com>"


def _send_then_fail() -> None:
    with transaction.atomic():
        mail.send(_message())
        raise RuntimeError("the request failed after all")


@pytest.mark.django_db(transaction=True)
def test_a_request_that_rolls_back_queues_nothing_and_one_that_commits_loses_nothing(
    database_queue,
):
    with pytest.raises(RuntimeError):
        _send_then_fail()
    assert not DBTaskResult.objects.exists()  # rolled back with the request's writes
    with transaction.atomic():
        mail.send(_message())
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    _run_worker()
    assert len(outbox.outbox) == 1


def test_queued_mail_survives_a_rotated_secret_key(db, database_queue, settings):
    mail.send(_message())
    sealed = DBTaskResult.objects.get().args_kwargs["kwargs"]["sealed"]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new and entirely different secret key " * 2
    assert mail._open(sealed)["to"] == ["coach@example.com"]


def test_the_queued_message_is_sealed(db, database_queue):
    """The task table and the admin show no address, link or word of the mail."""
    mail.send(_message())
    stored = DBTaskResult.objects.get().args_kwargs
    assert "coach@example.com" not in str(stored)
    assert "secret-link" not in str(stored)
    assert mail._open(stored["kwargs"]["sealed"])["to"] == ["coach@example.com"]


def test_a_line_break_in_a_header_is_refused_by_the_caller(db):
    with pytest.raises(BadHeaderError):
        mail.send(EmailMessage("Hello\nBcc: everyone@example.com", "Body", to=["a@example.com"]))


def test_a_message_with_an_attachment_is_refused(db):
    message = EmailMessage("Hello", "Body", to=["a@example.com"])
    message.attach("notes.txt", "some notes", "text/plain")
    with pytest.raises(ValueError, match="attachments"):
        mail.send(message)


def test_where_tasks_cannot_wait_a_failure_is_logged_and_not_retried(db, mail_server_down, caplog):
    # The immediate backend (here, in tests) runs the task inside send's caller.
    mail.send(_message())  # the failure stays in the task: nothing raised here
    assert mail_server_down.attempts == 1
    assert not outbox.outbox
    [warning] = [r for r in caplog.records if r.name == "offerdesk.mail"]
    assert warning.levelname == "WARNING"
    assert "coach@example.com" in warning.getMessage()
    assert "secret-link" not in caplog.text


# The queue in the database: retries with back-off --------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_invitation_whose_mail_server_is_down_is_kept_and_its_mail_retried(
    database_queue, mail_server_down, settings
):
    browser = Client()
    browser.force_login(UserFactory())

    response = browser.post(reverse("coach:access"), {"email": "coach@example.com"})

    # The page answered as usual; the invitation is saved and its mail waits.
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("coach:access")
    assert CoachInvitation.objects.get().is_pending
    [queued] = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "offerdesk.mail.deliver"
    assert mail_server_down.attempts == 0

    before = timezone.now()
    _run_worker()

    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.FAILED
    assert queued.exception_class_path == "offerdesk.mail.MailNotSent"
    assert "SMTPServerDisconnected" in queued.traceback  # the kind, for staff
    assert "Connection unexpectedly closed" not in queued.traceback  # not its text
    retry = DBTaskResult.objects.exclude(pk=queued.pk).get()
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after >= before + mail.RETRY_DELAYS[0]
    assert mail_server_down.attempts == 1

    # The server is back, but the retry is not due yet: the worker leaves it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.READY
    assert not outbox.outbox

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    _run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    [sent] = outbox.outbox
    assert sent.to == ["coach@example.com"]
    assert "/coach/accept/" in sent.body
    assert CoachInvitation.objects.get().is_pending
    assert DBTaskResult.objects.count() == 2  # the failed attempt stays, for staff


@pytest.mark.parametrize("attempt", range(1, mail.MAX_ATTEMPTS))
@pytest.mark.django_db(transaction=True)
def test_each_retry_waits_longer(attempt: int, database_queue, mail_server_down):
    before = timezone.now()
    with pytest.raises(mail.MailNotSent):
        mail.deliver.call(sealed=mail._seal(mail._to_json(_message())), attempt=attempt)
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs["kwargs"]["attempt"] == attempt + 1
    delay = mail.RETRY_DELAYS[attempt - 1]
    assert before + delay <= retry.run_after <= timezone.now() + delay


@pytest.mark.django_db(transaction=True)
def test_after_the_last_attempt_the_mail_is_given_up(database_queue, mail_server_down, caplog):
    mail.deliver.enqueue(sealed=mail._seal(mail._to_json(_message())), attempt=mail.MAX_ATTEMPTS)
    _run_worker()
    [result] = DBTaskResult.objects.all()
    assert result.status == TaskResultStatus.FAILED
    assert mail_server_down.attempts == 1
    [given_up] = [r for r in caplog.records if r.name == "offerdesk.mail"]
    assert given_up.levelname == "ERROR"
    assert f"failed {mail.MAX_ATTEMPTS} times" in given_up.getMessage()


@pytest.mark.django_db(transaction=True)
def test_an_error_that_is_no_mail_failure_is_not_retried(database_queue, settings):
    settings.EMAIL_BACKEND = "no.such.Backend"
    mail.deliver.enqueue(sealed=mail._seal(mail._to_json(_message())), attempt=1)
    _run_worker()
    [result] = DBTaskResult.objects.all()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "builtins.ModuleNotFoundError"
