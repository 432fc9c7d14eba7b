"""The opt-in MX check, against a tiny DNS server on this machine (there is no outside network)."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest

from app.book import LeadBook
from app.clean.deliverability import check_domains, make_resolver, verify_emails
from app.contact import RawRecord

# name -> {record type: [rdata text]}; a name missing here is NXDOMAIN; "silent" never answers.
ZONE: dict[str, dict[str, list[str]]] = {
    "acme.test.": {"MX": ["10 mail.acme.test."]},
    "nomail.test.": {},
    "aonly.test.": {"A": ["192.0.2.10"]},
    "nullmx.test.": {"MX": ["0 ."]},
    "acme-corp.com.": {"MX": ["10 mx1.acme-corp.com.", "20 mx2.acme-corp.com."]},
    "nomail-example.com.": {},
}
SILENT = "silent.test."


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data, sock = self.request
        query = dns.message.from_wire(data)
        question = query.question[0]
        name = question.name.to_text().lower()
        self.server.asked.append(name)  # type: ignore[attr-defined]
        if name == SILENT:
            return  # no answer: the client times out
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        records = ZONE.get(name)
        if records is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        else:
            rdtype = dns.rdatatype.to_text(question.rdtype)
            if records.get(rdtype):
                response.answer.append(
                    dns.rrset.from_text_list(name, 300, "IN", rdtype, records[rdtype])
                )
        sock.sendto(response.to_wire(), self.client_address)


@pytest.fixture
def nameserver() -> Iterator[tuple[str, list[str]]]:
    server = socketserver.UDPServer(("127.0.0.1", 0), _Handler)
    server.asked = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, name="test-dns")
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}", server.asked  # type: ignore[attr-defined]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("domain", "verdict"),
    [
        ("acme.test", ("deliverable", "mail server mail.acme.test")),
        ("nowhere.test", ("undeliverable", "domain does not exist")),
        ("nomail.test", ("undeliverable", "domain accepts no mail")),
        ("aonly.test", ("deliverable", "no MX; mail goes to its A address")),
        ("nullmx.test", ("undeliverable", "domain accepts no mail (null MX)")),
        ("silent.test", ("unknown", "could not check (timeout)")),
    ],
)
def test_check_domains_reads_mx_then_a(
    nameserver: tuple[str, list[str]], domain: str, verdict: tuple[str, str]
) -> None:
    resolver = make_resolver(nameserver[0], timeout=0.3)
    assert check_domains([domain], resolver) == {domain: verdict}


def test_each_domain_is_asked_once(nameserver: tuple[str, list[str]]) -> None:
    address, asked = nameserver
    cache: dict[str, tuple[str, str]] = {}
    resolver = make_resolver(address)
    found = check_domains(["acme.test", "ACME.test", "acme.test."], resolver, cache=cache)
    again = check_domains(["acme.test"], resolver, cache=cache)
    assert found == again == {"acme.test": ("deliverable", "mail server mail.acme.test")}
    assert asked == ["acme.test."]


def person(email: str, first: str) -> RawRecord:
    r = RawRecord(row=0)
    r.add("first_name", "First", first)
    r.add("email", "Email", email)
    return r


def test_verify_emails_marks_undeliverable_addresses_and_undo_restores_them(
    book: LeadBook, nameserver: tuple[str, list[str]]
) -> None:
    ana = book.add_contact(person("Ana@Acme-Corp.com; ana@nomail-example.com", "Ana")).contact_id
    bob = book.add_contact(person("bob@nowhere-xyz.com; not-an-email", "Bob")).contact_id
    assert ana is not None and bob is not None
    seen: list[tuple[int, int]] = []
    report = verify_emails(
        book, nameserver=nameserver[0], progress=lambda d, t: seen.append((d, t))
    )
    assert (report.checked, report.deliverable, report.undeliverable, report.unknown) == (
        3,
        1,
        2,
        0,
    )
    assert seen == [(3, 3)]
    points = [(p.raw, p.value, p.status, p.reason) for p in book.get_contact(ana).emails]
    assert points == [
        ("Ana@Acme-Corp.com", "ana@acme-corp.com", "valid", ""),
        ("ana@nomail-example.com", "ana@nomail-example.com", "invalid", "domain accepts no mail"),
    ]
    bob_points = [(p.raw, p.value, p.status, p.reason) for p in book.get_contact(bob).emails]
    assert bob_points == [
        ("bob@nowhere-xyz.com", "bob@nowhere-xyz.com", "invalid", "domain does not exist"),
        ("not-an-email", None, "invalid", "missing @"),
    ]
    undone = book.undo()
    assert undone is not None and undone.kind == "verify"
    assert sorted(undone.contact_ids) == sorted([ana, bob])
    statuses = [p.status for p in book.get_contact(ana).emails + book.get_contact(bob).emails]
    assert statuses == ["valid", "valid", "valid", "invalid"]


def test_verify_emails_only_checks_the_chosen_contacts(
    book: LeadBook, nameserver: tuple[str, list[str]]
) -> None:
    book.add_contact(person("ana@acme-corp.com", "Ana"))
    bob = book.add_contact(person("bob@nowhere-xyz.com", "Bob")).contact_id
    assert bob is not None
    report = verify_emails(book, ids=[1], nameserver=nameserver[0])
    assert (report.checked, report.undeliverable, report.op_id) == (1, 0, None)
    assert book.get_contact(bob).emails[0].status == "valid"
    assert nameserver[1] == ["acme-corp.com."]


@pytest.mark.parametrize(
    ("text", "server"),
    [
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("10.0.0.1", ("10.0.0.1", 53)),
        ("[::1]:53", ("::1", 53)),
    ],
)
def test_make_resolver_reads_ip_and_port(text: str, server: tuple[str, int]) -> None:
    resolver = make_resolver(text)
    assert (resolver.nameservers[0], resolver.port) == server
