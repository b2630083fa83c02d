"""The attack corpus through every import kind: a clear Chinese error, nothing changed, twice.

Issue 11: damaged and mixed encodings, binary junk, NUL bytes, empty and header-only files,
wrong headers, formulas, a huge cell, malformed CSV, an XLSX declaring 16,384 × 2,000 cells, a
zip bomb, a CSV over the row limit, GeoJSON that is not a FeatureCollection. Every file goes
through every kind the import page offers (``kinds()``), as an administrator; the row count of
every table is the same before, after, and after the same file again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from corpus.build import FILES as COMMITTED_CODES
from corpus.build import committed, generated
from envbureau.core.errors import DomainError
from envbureau.core.importing import limits
from envbureau.core.importing.kinds import ImportKind, kinds
from envbureau.core.model_registry import load_models
from envbureau.core.permissions import Staff
from envbureau.domains import office_domains

CORPUS_LIMITS = limits.Limits(max_rows=1000, max_columns=200, max_xlsx_bytes=64 * 1024 * 1024)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _admin() -> Staff:
    return Staff(
        user_id=1,
        username="corpus-admin",
        display_name="管理员",
        role="admin",
        area_code=None,
        scope=None,
        domains=frozenset(office_domains()),
    )


def _corpus() -> dict[str, tuple[bytes, str]]:
    files = {name: (data, COMMITTED_CODES[name]) for name, data in committed().items()}
    files.update(generated(CORPUS_LIMITS.max_rows, 64))
    return files


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[bytes, str]]:
    return _corpus()


def _counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in load_models().metadata.sorted_tables
    }


@pytest.fixture
def bounded() -> Iterator[None]:
    with limits.using(CORPUS_LIMITS):
        yield


def test_the_corpus_covers_the_files_the_issue_names(corpus: dict[str, tuple[bytes, str]]) -> None:
    assert len(corpus) == 20
    assert len(kinds()) == 11  # every kind the page offers goes through every file below


@pytest.mark.usefixtures("bounded")
@pytest.mark.parametrize("kind_key", sorted(kinds()))
def test_every_bad_file_is_refused_by_every_kind_and_changes_nothing(
    session: Session, corpus: dict[str, tuple[bytes, str]], kind_key: str
) -> None:
    kind: ImportKind = kinds()[kind_key]
    staff = _admin()
    before = _counts(session)
    for name, (data, code) in corpus.items():
        for attempt in (1, 2):  # the same file again changes nothing either
            for dry_run in (True, False):
                with pytest.raises(DomainError) as refused:
                    kind.run(session, staff, data, name, dry_run)
                details = refused.value.details
                assert details, name
                if code:
                    assert details[0].code == code, (name, kind_key, details[0])
                for detail in details:
                    assert CHINESE.search(detail.msg), (name, detail)
                    assert not re.search(
                        r"Traceback|Error tokenizing|Expected \d+ fields", detail.msg
                    )
                    assert detail.loc and detail.loc[0] == name, (name, detail)
            assert _counts(session) == before, (name, kind_key, attempt)
