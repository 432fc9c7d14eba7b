"""first_matches: a search's first page inside a sorted snapshot, equal to page_ids.

The walk tests each contact's text in Python, folded as the book's tokenizer folds it; the
collection reads the book's index. Both must give what SQL gives, for any sort, text and script.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import app.search_order as search_order
from app.book import LeadBook
from app.contact import RawRecord
from app.ingest import ImportMeta
from app.query import SORT_KEYS, ContactFilter, page_ids, snapshot_ids
from app.search_fold import SEPARATOR, folds_of, read_block, search_patterns
from app.search_order import OrderedIds, all_matches, first_matches

# first, last, email, company, title, country: every script and trap the tokenizer folds.
PEOPLE = [
    ("José", "Núñez", "jose@nunez.es", "Núñez y Cía", "Director de Ventas", "ES"),
    ("Zoë", "Ærø", "zoe@aero.dk", "Ærø ApS", "CMO", "DK"),
    ("Νίκος", "Παπαδόπουλος", "nikos@example.gr", "Αθήνα Α.Ε.", "Διευθυντής", "GR"),
    ("小明", "王", "wang@example.cn", "北京公司", "市场总监", "CN"),
    ("Seán", "O'Brien", "sean.obrien@obrien.ie", "O'Brien & Sons", "Head of R&D", "IE"),
    ("Anna-Lena", "Smith-Jones", "al@smithjones.co.uk", "Smith_Jones Ltd", "data_eng lead", "GB"),
    ("İlker", "Çelik", "ilker@celik.com.tr", "Çelik AŞ", "Satış Müdürü", "TR"),
    ("Jörg", "Weiß", "joerg@weiss.de", "Weiß GmbH", "Geschäftsführer", "DE"),
    ("Ana", "Growth", "ana@growth.io", "Rocket", "Growth 🚀 hacker", "US"),
    ("Rene\u0301e", "Dupont", "renee@dupont.fr", "Dupont SA", "Directrice marketing", "FR"),
    ("Nadia", "Nelson", "nadia@north.com", "Northwind", "Chief Marketing Officer", "US"),
    ("Bob", "Brown", "bob@brown.com", "Brown & Co", "Sales Manager", "US"),
    ("ǅemal", "Ljubić", "dzemal@ljubic.ba", "Ljubić d.o.o.", "Direktor", "BA"),
    ("Mia", "Nquist", "mia@9lives.com", "9 Lives", "VP Sales", "SE"),
]
SEARCHES = ["n", "jo", "jos", "josé", "nunez", "núñ", "o", "obrien", "o'brien", "smith jones",
            "weiß", "weiss", "νικ", "ΝΊΚ", "王", "growth", "data", "e", "ren", "renée", "çel",
            "cel", "ilk", "i", "dž", "dz", "ljubic", "9", "x", "a n", "sales n", "北京"]  # fmt: skip


def fill(book: LeadBook, copies: int = 6) -> None:
    records = []
    for k in range(copies):
        for i, (first, last, email, company, title, country) in enumerate(PEOPLE):
            rec = RawRecord(row=k * len(PEOPLE) + i + 1)
            rec.add("first_name", "First name", first)
            rec.add("last_name", "Last name", last)
            rec.add("email", "Email", email.replace("@", f"{k}@"))
            rec.add("company", "Company", company)
            rec.add("job_title", "Job title", title)
            rec.add("country", "Country", country)
            records.append(rec)
    book.import_records(records, ImportMeta(file_name="people.csv", on_duplicate="keep"))


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 4 contacts and a first collection of 3 matches: a small book takes many steps."""
    monkeypatch.setattr(search_order, "BLOCK", 4)
    monkeypatch.setattr(search_order, "KEPT_BLOCKS", 6)
    monkeypatch.setattr(search_order, "PREPARED_BLOCKS", 3)
    monkeypatch.setattr(search_order, "FIRST_COLLECT", 3)


def expected(book: LeadBook, f: ContactFilter, search: str, limit: int) -> list[int]:
    return page_ids(book.conn, replace(f, search=search), limit)


@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
@pytest.mark.parametrize("descending", [False, True])
def test_first_matches_equal_the_general_plan_for_every_sort(
    book: LeadBook, small_steps: None, sort: str, descending: bool
) -> None:
    fill(book)
    f = ContactFilter(sort=sort, descending=descending)
    order = OrderedIds(snapshot_ids(book.conn, f))
    order.prepare(book.conn)
    for search in SEARCHES:
        for limit in (1, 5, 64):
            got = first_matches(book.conn, order, search, limit)
            assert got == expected(book, f, search, limit), (search, limit)
        whole = snapshot_ids(book.conn, replace(f, search=search))
        assert all_matches(book.conn, order, search) == whole, search


@pytest.mark.parametrize("way", ["walk", "collect"])
@pytest.mark.parametrize("search", SEARCHES)
def test_each_way_alone_finds_the_same_page(
    book: LeadBook, small_steps: None, way: str, search: str
) -> None:
    fill(book)
    f = ContactFilter(sort="name", status="New")  # a sidebar filter too: the order holds it
    order = OrderedIds(snapshot_ids(book.conn, f))
    folds = folds_of(book.conn)
    patterns = search_patterns(book.conn, folds, search)
    assert patterns is not None
    race = search_order._Race(book.conn, order, patterns, folds, search, 7)
    if way == "walk":
        while not race.walk_step():
            pass
        got = race.found[:7]
    else:
        while not race.collect_step():
            pass
        got = race.collected()
    assert got == expected(book, f, search, 7)
    assert all_matches(book.conn, order, search) == snapshot_ids(
        book.conn, replace(f, search=search)
    )


def test_a_word_that_is_not_one_token_is_left_to_sql(book: LeadBook) -> None:
    fill(book, 1)
    order = OrderedIds(snapshot_ids(book.conn, ContactFilter(sort="name")))
    # "data_eng": the tokenizer splits it in two, and FTS5 makes a phrase of the pair.
    assert first_matches(book.conn, order, "data_eng", 10) is None
    assert first_matches(book.conn, order, "  ", 3) == order.ids[:3].tolist()


COLUMN_ORDER = "CASE col WHEN 'name' THEN 0 WHEN 'emails' THEN 1 WHEN 'company' THEN 2 ELSE 3 END"


def test_folded_text_has_exactly_the_index_terms(book: LeadBook) -> None:
    fill(book, 1)
    conn = book.conn
    conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, contacts_fts, instance)")
    ids = [r[0] for r in conn.execute("SELECT rowid FROM contacts_fts ORDER BY rowid")]
    block = read_block(conn, folds_of(conn), ids)
    starts = block.starts.tolist()
    ends = [s - 1 for s in starts[1:]] + [len(block.blob)]  # each text ends at the next's SEPARATOR
    for contact_id, start, end in zip(ids, starts, ends, strict=True):
        tokens = [t for t in block.blob[start:end].split(SEPARATOR) if t]
        terms = [r[0] for r in conn.execute(
            f"SELECT term FROM temp.terms WHERE doc = ? ORDER BY {COLUMN_ORDER}, offset",
            (contact_id,),
        )]  # fmt: skip
        assert tokens == terms and terms, contact_id


def test_the_order_keeps_its_first_blocks_only(book: LeadBook, small_steps: None) -> None:
    fill(book, 3)  # 42 contacts: 11 blocks of 4
    order = OrderedIds(snapshot_ids(book.conn, ContactFilter(sort="company")))
    order.prepare(book.conn)
    assert len(order.blocks) == 3  # PREPARED_BLOCKS
    assert first_matches(book.conn, order, "qqq", 5) == []  # walks (or collects) everything
    assert len(order.blocks) <= 6  # KEPT_BLOCKS, all from the top


def test_a_failed_probe_leaves_no_transaction_and_no_probe_rows(book: LeadBook) -> None:
    fill(book, 1)
    conn = book.conn
    folds = folds_of(conn)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate cannot be sent to SQLite
        folds.learn(conn, "q\ud800")
    assert not conn.in_transaction
    assert "q" not in folds.known or folds.table[ord("q")] == "q"
    folds.learn(conn, "ŵ")  # the probe works again, from empty
    assert folds.table[ord("ŵ")] == "w"
    assert conn.execute("SELECT count(*) FROM temp.leadsmith_search_probe_terms").fetchone()[0] == 0


def test_an_index_without_its_own_text_is_left_to_sql(book: LeadBook) -> None:
    fill(book, 1)
    order = OrderedIds(snapshot_ids(book.conn, ContactFilter(sort="name")))
    # An external-content index (a later schema may make one) has no contacts_fts_content.
    book.conn.execute("ALTER TABLE contacts_fts_content RENAME TO contacts_fts_text")
    assert first_matches(book.conn, order, "jo", 5) is None
    book.conn.execute("ALTER TABLE contacts_fts_text RENAME TO contacts_fts_content")
    assert first_matches(book.conn, order, "jo", 5) == expected(
        book, ContactFilter(sort="name"), "jo", 5
    )
