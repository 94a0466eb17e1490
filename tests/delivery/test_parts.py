"""Every table that holds something about a person belongs to a part of /export and /delete."""

from __future__ import annotations

from sqlalchemy import Table

from bot.channels.whatsapp_store import WhatsAppPersonalData
from bot.db import schema
from bot.delivery.parts import BadgeData, CaseData, PassportData, StoreData

PARTS = (StoreData, CaseData, BadgeData, WhatsAppPersonalData, PassportData)
PERSON_COLUMNS = {"chat_id", "holder", "token"}
"""Columns that name a person: a chat id, or the opaque badge token."""


def about_a_person(table: Table, found: set[str]) -> bool:
    """A person column, or a foreign key into a table that has one."""
    if PERSON_COLUMNS & set(table.columns.keys()):
        return True
    return any(key.column.table.name in found for key in table.foreign_keys)


def person_tables() -> set[str]:
    found: set[str] = set()
    for table in schema.metadata.sorted_tables:  # referenced tables come first
        if about_a_person(table, found):
            found.add(table.name)
    return found


def test_every_table_about_a_person_is_exported_and_erased_by_a_part() -> None:
    covered = {name for part in PARTS for name in part.tables}
    assert person_tables() - covered == set()


def test_parts_name_only_real_tables_and_each_table_once() -> None:
    names = [name for part in PARTS for name in part.tables]
    assert set(names) <= set(schema.metadata.tables)
    assert len(names) == len(set(names))


def test_the_walk_finds_tables_linked_by_a_foreign_key_only() -> None:
    found = person_tables()
    assert {"counsel_messages", "badge_revocations", "dead_letters"} <= found
    assert not {"processed_events", "badge_classes", "counsellors"} & found
