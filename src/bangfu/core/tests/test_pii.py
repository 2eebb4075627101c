import pytest

from bangfu.core.pii import mask_id_number, mask_phone, pii_decrypt, pii_encrypt, pii_hash


def test_pii_round_trip_gives_back_the_plain_value():
    token = pii_encrypt("500101197005030340")
    assert token != "500101197005030340"
    assert pii_decrypt(token) == "500101197005030340"


def test_pii_hash_is_stable_and_ignores_case_and_spaces():
    assert pii_hash("11010519491231002x") == pii_hash(" 11010519491231002X ")
    assert pii_hash("11010519491231002X") != pii_hash("110105194912310021")


def test_id_number_mask_keeps_the_division_code_only():
    assert mask_id_number("50010119700503034X") == "500101************"


def test_id_number_mask_keeps_nothing_of_the_birth_date_sequence_or_check_character():
    masked = mask_id_number("50023019850601001X")
    assert len(masked) == 18 and set(masked[6:]) == {"*"}


def test_something_too_short_for_an_id_number_is_hidden_entirely():
    assert mask_id_number("5002301") == "*******" and mask_id_number("") == ""


def test_phone_is_masked_in_the_middle():
    assert mask_phone("13812345678") == "138****5678"


def test_tampered_token_is_refused_without_leaking_it():
    token = pii_encrypt("13812345678")
    with pytest.raises(ValueError):
        pii_decrypt(token[:-4] + "AAAA")


@pytest.mark.django_db
def test_person_id_number_is_encrypted_in_the_database():
    from django.db import connection

    from bangfu.registry.tests.factories import PersonFactory

    person = PersonFactory()
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM registry_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cur.fetchone()
    assert person.id_number not in stored_id
    assert person.phone not in stored_phone
    from bangfu.registry.models import Person

    assert Person.objects.get(pk=person.pk).id_number == person.id_number
