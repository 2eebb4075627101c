"""Issue 9, delivery 3: evidence files are encrypted on disk; officers download the clear file."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bangfu.arrears.models import CaseAttachment
from bangfu.arrears.tests.test_public_views import form_data
from bangfu.core.filecrypt import file_decrypt, file_encrypt

pytestmark = pytest.mark.django_db

# A pay slip as a PDF with a name and an ID number in it.
SLIP = b"%PDF-1.4\n% wage slip\n(Worker: Wang Xiaoer, ID 500230198005010173, unpaid 12000 yuan)\n%%EOF\n"


def _stored_bytes(attachment: CaseAttachment) -> bytes:
    return (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes()


def _file_complaint(client) -> CaseAttachment:
    upload = SimpleUploadedFile("工资条.pdf", SLIP, content_type="application/pdf")
    response = client.post(reverse("arrears:complaint"), {**form_data(), "attachments": [upload]})
    assert response.status_code == 302
    return CaseAttachment.objects.get()


def test_an_uploaded_slip_is_stored_without_any_of_its_clear_bytes(offices, client):
    attachment = _file_complaint(client)
    stored = _stored_bytes(attachment)
    assert b"%PDF" not in stored and b"500230198005010173" not in stored and b"Wang" not in stored
    assert file_decrypt(stored) == SLIP  # and it is the slip, encrypted with bangfu's key
    with attachment.file.open("rb") as handle:
        assert handle.read() == SLIP


def test_an_officer_downloads_the_clear_file(offices, client, make_user):
    attachment = _file_complaint(client)
    officer = Client()
    officer.force_login(make_user("city_admin", "50"))
    response = officer.get(reverse("arrears:attachment", args=[attachment.case.number, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SLIP
    assert response["Content-Type"] == "application/pdf" and response["Content-Length"] == str(len(SLIP))


def test_a_file_encrypted_with_another_key_is_refused_not_returned_as_garbage(offices, client, settings):
    attachment = _file_complaint(client)
    settings.PII_KEY = "another-key-entirely"
    with pytest.raises(ValueError):
        attachment.file.open("rb")


def test_the_migration_encrypts_existing_clear_files_once_and_rolling_back_clears_them(offices, client):
    attachment = _file_complaint(client)
    path = Path(settings.MEDIA_ROOT) / attachment.file.name
    path.write_bytes(SLIP)  # as an attachment saved before encryption at rest
    migration = importlib.import_module("bangfu.arrears.migrations.0003_evidence_encrypted")

    migration.encrypt_existing(django_apps, None)
    once = path.read_bytes()
    assert SLIP not in once and file_decrypt(once) == SLIP
    migration.encrypt_existing(django_apps, None)  # again: already encrypted, left alone
    assert path.read_bytes() == once
    with attachment.file.open("rb") as handle:
        assert handle.read() == SLIP

    migration.decrypt_existing(django_apps, None)
    assert path.read_bytes() == SLIP


def test_a_clear_file_is_never_taken_for_an_encrypted_one():
    token = file_encrypt(SLIP)
    assert file_decrypt(token) == SLIP
    with pytest.raises(ValueError):
        file_decrypt(SLIP)
    with pytest.raises(ValueError):
        file_decrypt(b"gAAAAA" + token[6:-4] + b"AAAA")  # tampered
