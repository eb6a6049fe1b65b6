"""Excel import of the people register: 户籍/流动人口台账 (``residents``) and 出租房屋台账 (``houses``).

Every row is checked the way the register's domain checks a house or a resident (the village is the town's, the
grid the village's, the importer may write there; an ID number through ``idcard``, the project's one rule, and at
most once in the town, found by its keyed digest ``id_digest``; a phone through ``check_phone``); rows are then
checked together (one person in one household, one head per household, one address per 户号). The rows are
written at once through the bulk path — houses, households, residents and their group tags, each with
``bulk_create`` in slices, in one short transaction: all or nothing. Names, ID numbers and phones go through the
model's ``EncryptedTextField`` as every write of the register does, so they are encrypted at rest.

Importing the same file again writes nothing twice: a house is found again by its address, a household by its 户号,
a resident by their ID number's digest (one without a number by ``import_key``, the keyed digest of 户号 and name).
"""

from __future__ import annotations

from gridgov.data.people.importers.houses import HouseImporter
from gridgov.data.people.importers.residents import ResidentImporter, ResidentRow
from gridgov.data.sheets.importer import register

__all__ = ["HOUSES", "RESIDENTS", "ResidentRow"]

RESIDENTS = register(ResidentImporter())
HOUSES = register(HouseImporter())
