"""Writes to the registry: the bulk import of persons, and single-person edits.

The import upserts households by number and persons by the hash of their ID number with
bulk statements in batches (no query per row). ``Person.content_hash`` is a keyed hash of the
imported values, so a re-imported row that did not change is recognised without decrypting
anything, and is not written at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.identifiers import IdNumberError, parse_id_number
from bangfu.core.pii import pii_encrypt, pii_hash
from bangfu.registry import choices as c
from bangfu.registry.models import Household, Person

LOOKUP_CHUNK = 900  # below SQLite's 999 bound parameters per statement
WRITE_BATCH = 2000
Progress = Callable[[str, int, int], None]
T = TypeVar("T")

# Person columns an import writes (besides the household, the hashes and the timestamps).
PERSON_FIELDS = (
    "name", "id_number", "sex", "birth_date", "relation", "phone", "district_code", "township_code",
    "village", "category", "labour_ability", "education", "health", "in_school", "skills",
    "certificates", "accepted_places", "expected_wage_fen",
)
HOUSEHOLD_FIELDS = ("district_code", "township_code", "village")
PII_FIELDS = ("id_number", "phone")
# What an officer may change on a person's page; the ID number, area and household are moved
# only by an import (they decide who sees the person).
PERSON_EDITABLE = (
    "name", "relation", "phone", "village", "category", "labour_ability", "education", "health",
    "in_school", "skills", "certificates", "accepted_places", "expected_wage_fen",
)

ERR_DUPLICATE_PERSON = gettext_noop("该证件号码已登记")
ERR_NOT_EDITABLE = gettext_noop("字段“{field}”不能在此修改")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@lru_cache(maxsize=4)
def _content_key(secret: str) -> bytes:
    # Keyed like the lookup hashes: the content hash covers the phone, which must not be guessable.
    return bytes.fromhex(pii_hash("bangfu-person-content-hash"))


@dataclass
class PersonRecord:
    """One person's values as imported (normalised), with what the ID number tells."""

    household_number: str
    name: str
    id_number: str
    id_number_hash: str
    sex: str
    birth_date: dt.date
    relation: str
    phone: str
    district_code: str
    township_code: str
    village: str
    category: str
    labour_ability: str
    education: str
    health: str
    in_school: bool
    skills: str
    certificates: str
    accepted_places: str
    expected_wage_fen: int | None

    @cached_property
    def content_hash(self) -> str:
        payload = "\x1f".join(["" if value is None else str(value) for value in _content_values(self)])
        return hmac.new(_content_key(settings.PII_KEY), payload.encode(), hashlib.sha256).hexdigest()

    @classmethod
    def of(cls, person: Person) -> "PersonRecord":
        return cls(household_number=person.household.number, id_number_hash=person.id_number_hash,
                   **{name: getattr(person, name) for name in PERSON_FIELDS})


# Everything imported except what the ID number determines (its hash, sex, birth date).
CONTENT_FIELDS = tuple(f.name for f in fields(PersonRecord) if f.name not in ("id_number_hash", "sex", "birth_date"))
_content_values = attrgetter(*CONTENT_FIELDS)


class ExistingPerson(NamedTuple):
    pk: int
    household_number: str
    township_code: str
    content_hash: str


class ExistingHousehold(NamedTuple):
    pk: int
    district_code: str
    township_code: str
    village: str
    category: str


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    households_created: int = 0
    households_updated: int = 0


def person_lookup(*, hashes: Iterable[str]) -> dict[str, ExistingPerson]:
    """Registered persons by ID hash, for the import's checks (not area-restricted: the
    import must see that an ID is taken elsewhere; it reports that, never the person)."""
    hashes = list(dict.fromkeys(hashes))
    found: dict[str, ExistingPerson] = {}
    for chunk in _chunks(hashes, LOOKUP_CHUNK):
        rows = Person.objects.filter(id_number_hash__in=chunk).values_list(
            "id_number_hash", "pk", "household__number", "township_code", "content_hash")
        for id_hash, *rest in rows:
            found[id_hash] = ExistingPerson(*rest)
    return found


def person_values(*, pks: Sequence[int], fields: Sequence[str]) -> Iterator[dict]:
    """``fields`` of persons ``pks`` (decrypted), with ``pk``; for the import's checks."""
    for chunk in _chunks(list(pks), LOOKUP_CHUNK):
        for person in Person.objects.filter(pk__in=chunk).only("pk", *fields):
            yield {"pk": person.pk, **{name: getattr(person, name) for name in fields}}


def household_lookup(*, numbers: Iterable[str]) -> dict[str, ExistingHousehold]:
    numbers = list(dict.fromkeys(numbers))
    found: dict[str, ExistingHousehold] = {}
    for chunk in _chunks(numbers, LOOKUP_CHUNK):
        rows = Household.objects.filter(number__in=chunk).values_list(
            "number", "pk", "district_code", "township_code", "village", "category")
        for number, *rest in rows:
            found[number] = ExistingHousehold(*rest)
    return found


def _households_upsert(records: Sequence[PersonRecord], *, now: dt.datetime, batch_size: int
                       ) -> tuple[dict[str, int], set[int], ImportCounts]:
    """Create missing households and move changed ones.

    Returns household number -> pk, the pks that existed before, and the household counts.
    """
    wanted: dict[str, list] = {}
    for record in records:
        entry = wanted.get(record.household_number)
        if entry is None:
            wanted[record.household_number] = [record.district_code, record.township_code, record.village,
                                               record.category]
        elif record.category == c.Category.MONITORED:  # monitored if any member is
            entry[3] = c.Category.MONITORED
    current = household_lookup(numbers=wanted)
    counts = ImportCounts()
    ids = {number: h.pk for number, h in current.items()}
    new = [(number, d, t, v, cat) for number, (d, t, v, cat) in wanted.items() if number not in current]
    if new:
        _households_insert(new, now=now, batch_size=batch_size)
        ids.update((number, h.pk) for number, h in household_lookup(numbers=[row[0] for row in new]).items())
    moved = [
        Household(pk=h.pk, number=number, district_code=wanted[number][0], township_code=wanted[number][1],
                  village=wanted[number][2], category=h.category, updated_at=now)
        for number, h in current.items()
        if (h.district_code, h.township_code, h.village) != tuple(wanted[number][:3])
    ]
    for batch in _chunks(moved, batch_size):
        Household.objects.bulk_update(batch, [*HOUSEHOLD_FIELDS, "updated_at"])
    counts.households_created, counts.households_updated = len(new), len(moved)
    return ids, {h.pk for h in current.values()}, counts


def _households_insert(rows: list[tuple], *, now: dt.datetime, batch_size: int) -> None:
    """(number, district, township, village, category) rows, one prepared statement per batch."""
    meta = Household._meta
    quote = connection.ops.quote_name
    stamp = meta.get_field("created_at").get_db_prep_save(now, connection)
    columns = ", ".join(quote(meta.get_field(name).column) for name in (
        "number", "district_code", "township_code", "village", "category", "created_at", "updated_at"))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    with connection.cursor() as cursor:
        for batch in _chunks(rows, batch_size):
            cursor.executemany(sql, [(*row, stamp, stamp) for row in batch])


def household_category_refresh(*, household_ids: Iterable[int], now: dt.datetime | None = None) -> None:
    """A household is monitored if any member is; only households that differ are written."""
    now = now or timezone.now()
    monitored_member = Exists(Person.objects.filter(household=OuterRef("pk"), category=c.Category.MONITORED))
    for chunk in _chunks(sorted(set(household_ids)), LOOKUP_CHUNK):
        Household.objects.filter(pk__in=chunk).exclude(category=c.Category.MONITORED).filter(
            monitored_member).update(category=c.Category.MONITORED, updated_at=now)
        Household.objects.filter(pk__in=chunk, category=c.Category.MONITORED).exclude(
            monitored_member).update(category=c.Category.ALLEVIATED, updated_at=now)


def _person(record: PersonRecord, household_id: int, now: dt.datetime) -> Person:
    person = Person(household_id=household_id, id_number_hash=record.id_number_hash,
                    phone_hash=pii_hash(record.phone) if record.phone else "",
                    content_hash=record.content_hash, updated_at=now,
                    **{name: getattr(record, name) for name in PERSON_FIELDS})
    return person


class _PersonWriter:
    """Inserts and updates persons with one prepared statement per batch (``executemany``).

    Django's ``bulk_create`` prepares every value through the field (26 columns × 100,000 rows:
    about 15 s of CPU); here each column's conversion is decided once, and the personal data
    is encrypted with the same function the field uses, so the rows read back identically.
    """

    def __init__(self, now: dt.datetime):
        meta = Person._meta
        self.quote = connection.ops.quote_name
        self.table = self.quote(meta.db_table)
        self.stamp = meta.get_field("updated_at").get_db_prep_save(now, connection)
        self.adapt_date = connection.ops.adapt_datefield_value
        self.data_columns = [meta.get_field(name).column for name in PERSON_FIELDS] + [
            "household_id", "id_number_hash", "phone_hash", "content_hash"]

    def values(self, record: PersonRecord, household_id: int) -> list:
        phone = record.phone
        return [
            record.name, pii_encrypt(record.id_number), record.sex, self.adapt_date(record.birth_date),
            record.relation, pii_encrypt(phone) if phone else "", record.district_code, record.township_code,
            record.village, record.category, record.labour_ability, record.education, record.health,
            record.in_school, record.skills, record.certificates, record.accepted_places,
            record.expected_wage_fen, household_id, record.id_number_hash, pii_hash(phone) if phone else "",
            record.content_hash,
        ]

    def insert(self, rows: list[list]) -> None:
        columns = [*self.data_columns, "created_at", "updated_at"]
        names = ", ".join(self.quote(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {self.table} ({names}) VALUES ({marks})",
                               [[*row, self.stamp, self.stamp] for row in rows])

    def update(self, rows: list[tuple[int, list]]) -> None:
        assignments = ", ".join(f"{self.quote(c)} = %s" for c in [*self.data_columns, "updated_at"])
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {self.table} SET {assignments} WHERE {self.quote('id')} = %s",
                               [[*row, self.stamp, pk] for pk, row in rows])


@transaction.atomic
def person_import_commit(
    *,
    records: Sequence[PersonRecord],
    actor: Actor,
    existing: dict[str, ExistingPerson] | None = None,
    progress: Progress | None = None,
    batch_size: int | None = None,
) -> ImportCounts:
    """Upsert ``records``: households by number, persons by ID hash; unchanged rows are not written.

    ``existing`` (ID hash -> ExistingPerson) is what the import's checks already looked up;
    without it the persons are looked up here, in chunks. Writes are batched statements,
    never a query per row. Runs inside the caller's transaction (``run_import`` opens it
    and writes the import's audit row in it): a failure or a killed process leaves no
    partial rows.
    """
    now = timezone.now()
    total = len(records)
    batch_size = batch_size or WRITE_BATCH
    if existing is None:
        existing = person_lookup(hashes=[r.id_number_hash for r in records])
    household_ids, existed_before, counts = _households_upsert(records, now=now, batch_size=batch_size)
    writer = _PersonWriter(now)
    to_create: list[list] = []
    to_update: list[tuple[int, list]] = []
    touched: set[int] = set()
    for record in records:
        current = existing.get(record.id_number_hash)
        if current is not None and current.content_hash == record.content_hash:
            counts.unchanged += 1
            continue
        household_id = household_ids[record.household_number]
        if current is None:
            to_create.append(writer.values(record, household_id))
        else:
            to_update.append((current.pk, writer.values(record, household_id)))
        if household_id in existed_before:
            touched.add(household_id)
    done = counts.unchanged
    if progress:
        progress("commit", done, total)
    for batch in _chunks(to_create, batch_size):
        writer.insert(batch)
        done += len(batch)
        if progress:
            progress("commit", done, total)
    for batch in _chunks(to_update, batch_size):
        writer.update(batch)
        done += len(batch)
        if progress:
            progress("commit", done, total)
    # New households took their category from the file; households that existed may have
    # members outside it, so theirs is recomputed (only where a member was written).
    household_category_refresh(household_ids=touched, now=now)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


# -- single persons (forms) -------------------------------------------------------------------


def _audit_changes(before: dict, after: dict) -> dict:
    """Changed fields with before and after, except personal data, which is only named."""
    changes = {}
    for name, old in before.items():
        new = after[name]
        if old != new:
            changes[name] = {"changed": True} if name in PII_FIELDS else {"from": old, "to": new}
    return changes


@transaction.atomic
def person_create(*, actor: Actor, household: Household, name: str, id_number: str, relation: str,
                  labour_ability: str, category: str | None = None, phone: str = "", education: str = "",
                  health: str = "", in_school: bool = False, skills: str = "", certificates: str = "",
                  accepted_places: str = "", expected_wage_fen: int | None = None) -> Person:
    """Add one person to ``household``; sex and birth date come from the ID number."""
    try:
        info = parse_id_number(id_number)
    except IdNumberError as exc:
        raise ValidationError({"id_number": _(str(exc))}) from exc
    id_hash = pii_hash(info.number)
    if Person.objects.filter(id_number_hash=id_hash).exists():
        raise ValidationError({"id_number": _(ERR_DUPLICATE_PERSON)})
    record = PersonRecord(
        household_number=household.number, name=name, id_number=info.number, id_number_hash=id_hash,
        sex=info.sex, birth_date=info.birth_date, relation=relation, phone=phone,
        district_code=household.district_code, township_code=household.township_code,
        village=household.village, category=category or household.category,
        labour_ability=labour_ability, education=education, health=health, in_school=in_school,
        skills=skills, certificates=certificates, accepted_places=accepted_places,
        expected_wage_fen=expected_wage_fen,
    )
    person = _person(record, household.pk, timezone.now())
    person.full_clean(exclude=["household", "id_number_hash", "content_hash"])
    person.save()
    household_category_refresh(household_ids=[household.pk])
    audit_record(actor=actor, action="person.create", obj=person,
                 detail={"household": household.number, "relation": relation})
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Actor, **changes) -> Person:
    """Change the editable fields of ``person`` (``PERSON_EDITABLE``); audited with before/after."""
    unknown = sorted(set(changes) - set(PERSON_EDITABLE))
    if unknown:
        raise ValidationError({unknown[0]: _(ERR_NOT_EDITABLE).format(field=unknown[0])})
    before = {name: getattr(person, name) for name in changes}
    for name, value in changes.items():
        setattr(person, name, value)
    person.full_clean(exclude=["household", "id_number_hash", "content_hash"])
    if "phone" in changes:
        person.phone_hash = pii_hash(person.phone) if person.phone else ""
    # The next import of the old values counts this person as updated, not unchanged.
    person.content_hash = PersonRecord.of(person).content_hash
    changed = _audit_changes(before, {name: getattr(person, name) for name in changes})
    if not changed:
        return person
    person.save(update_fields=[*changed, "phone_hash", "content_hash", "updated_at"])
    if "category" in changed:
        household_category_refresh(household_ids=[person.household_id])
    audit_record(actor=actor, action="person.update", obj=person, detail={"changes": changed})
    return person
