"""Sniffing a delimited text file: encoding, delimiter, Excel's sep= line and the header row."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from charset_normalizer import from_bytes

from importers.mapping import header_hits

SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")  # in order of preference when the evidence ties
_SAMPLE_RECORDS = 400
_HEADER_SEARCH = 40
_SEP_LINE = re.compile(r"^\ufeff?\"?sep=(.)\"?[,;\t|]*$", re.IGNORECASE)
# What cp1252/latin-1 makes of UTF-8 bytes: "Ã©", "â€™", "Ã¼". Never hand such text to a user.
_MOJIBAKE = re.compile(
    "[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u017d\u017e\u0178\u0192\u02c6\u02dc]"
)
_WORD_PUNCTUATION = frozenset("’‘´·\u00ad–—")
_HIGH_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])([\u0080-\uffff])(?=[^\W\d_])")
# Codecs charset-normalizer may name for plain Western text, where Excel writes cp1252 (FORMATS §7).
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "iso8859_1", "cp850", "cp437", "mac_roman", "ascii"}


@dataclass(frozen=True)
class Sniffed:
    """What sniffing found out about a file; every field can be overridden by the user."""

    encoding: str  # python codec name actually used: "utf-8-sig", "utf-8", "utf-16", "cp1252", ...
    delimiter: str  # "," ";" "\t" "|"
    header_row: int  # 0-based index of the header among the file's records (after a sep= line)
    skip_sep_line: bool  # the file starts with Excel's "sep=;" hint line
    preamble: tuple[str, ...]  # text of the records above the header (e.g. LinkedIn "Notes:")
    confidence: str  # "certain" (BOM) | "likely" | "guess"


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> tuple[bytes, bool]:
    """The first `size` bytes of a file and whether that is the whole file."""
    with path.open("rb") as fh:
        data = fh.read(size + 1)
    return data[:size], len(data) <= size


def detect_encoding(sample: bytes) -> tuple[str, str]:
    """(codec, confidence) for a byte sample: BOM, else strict UTF-8, else cp1252 or a guess."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "certain"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "certain"
    nul_even, nul_odd = sample[0:4000:2].count(0), sample[1:4000:2].count(0)
    half = len(sample[:4000]) // 2
    if half and nul_odd > 0.3 * half and nul_even < 0.05 * half:
        return "utf-16-le", "likely"  # UTF-16 without a BOM: ASCII text leaves every other byte 0
    if half and nul_even > 0.3 * half and nul_odd < 0.05 * half:
        return "utf-16-be", "likely"
    try:
        # A 1 MB cut may split a multi-byte character: decode incrementally, not final.
        codecs.getincrementaldecoder("utf-8")("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", "likely"
    if _has_utf8_sequences(sample):
        # Mostly UTF-8 with a few stray bytes (a cp1252 row pasted in): decoding it all as cp1252
        # would turn every "é" into "Ã©". The readers' fallback handler mends the stray bytes.
        return "utf-8", "guess"
    if _reads_as_western(sample):
        return "cp1252", "guess"
    best = from_bytes(sample[:200_000]).best()
    guessed = best.encoding if best is not None else "cp1252"
    if guessed in _WESTERN or guessed.startswith("utf"):
        guessed = "cp1252"
    if guessed != "cp1252" and _MOJIBAKE.search(sample.decode(guessed, errors="replace")):
        guessed = "cp1252"
    return guessed, "guess"


def _reads_as_western(sample: bytes) -> bool:
    """True when cp1252 gives plausible Western text: accents sprinkled in mostly-ASCII words."""
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False  # bytes cp1252 leaves undefined: some other code page
    if _MOJIBAKE.search(text):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    high_letters = sum(1 for ch in text if ord(ch) >= 0x80 and ch.isalpha())
    # Central European bytes read as cp1252 put symbols inside words ("Spó³ka", "Œl¹ski").
    for found in _HIGH_BETWEEN_LETTERS.finditer(text[:200_000]):
        ch = found.group(1)
        if not ch.isalpha() and ch not in _WORD_PUNCTUATION:
            return False
    # Cyrillic or Greek bytes read as cp1252 are whole words of accented letters ("Ïðèâåò").
    return high_letters <= 0.3 * max(letters, 1)


def _has_utf8_sequences(sample: bytes) -> bool:
    found = re.findall(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}", sample)
    invalid = len(re.findall(rb"[\x80-\xff]", sample)) - sum(len(f) for f in found)
    return len(found) > max(2, invalid)


def _records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    try:
        return list(islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), limit))
    except csv.Error:
        return []


def detect_delimiter(text: str) -> tuple[str, str]:
    """(delimiter, confidence): the candidate that splits most records into the same width."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(r) for r in _records(text, delimiter, _SAMPLE_RECORDS) if any(r)]
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        width, agreeing = Counter(wide).most_common(1)[0]
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best, ("likely" if best_score[0] >= 2 else "guess")


def _looks_like_header(cells: list[str], width: int) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < max(1, min(2, width), width // 2):
        return False
    if any("@" in c or "://" in c or len(c) > 60 for c in filled):
        return False
    numeric = sum(1 for c in filled if re.fullmatch(r"[\d\s.,+\-/:%()€$£]+", c))
    return numeric <= len(filled) // 4


def detect_header_row(records: list[list[str]]) -> int:
    """The first record that reads as a header: the best synonym hits, else the first text row."""
    if not records:
        return 0
    widths = [len(r) for r in records if any(c.strip() for c in r)]
    width = Counter(widths).most_common(1)[0][0] if widths else 1
    best, best_hits, first_plain = -1, 0, -1
    for i, cells in enumerate(records[:_HEADER_SEARCH]):
        if not _looks_like_header(cells, width):
            continue
        if first_plain < 0:
            first_plain = i
        hits = header_hits(cells)
        if hits > best_hits:
            best, best_hits = i, hits
    if best >= 0:
        return best
    return max(first_plain, 0)


def _record_text(cells: list[str], delimiter: str) -> str:
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    return delimiter.join(cells)


def sniff_file(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_row: int | None = None,
) -> Sniffed:
    """Sniff a delimited text file from its first ~1 MB; any argument given overrides the guess."""
    sample, whole = read_sample(path)
    confidence = "certain"
    if encoding is None:
        encoding, confidence = detect_encoding(sample)
    text = codecs.getincrementaldecoder(encoding)("leadsmith-fallback").decode(sample, final=whole)
    text = text.removeprefix("\ufeff")
    if not whole:
        # The last line of a cut sample is likely incomplete; leave it out of the evidence.
        text = text[: max(text.rfind("\n"), 0)]
    first_line, _, rest = text.partition("\n")
    sep = _SEP_LINE.match(first_line.rstrip("\r"))
    skip_sep = sep is not None
    if sep is not None:
        text = rest
    if delimiter is None:
        if sep is not None:
            delimiter, found = sep.group(1), "certain"
        else:
            delimiter, found = detect_delimiter(text)
        confidence = _weakest(confidence, found)
    records = _records(text, delimiter, _HEADER_SEARCH + 1)
    if header_row is None:
        header_row = detect_header_row(records)
        if header_row > 0:
            confidence = _weakest(confidence, "likely")
    preamble = tuple(_record_text(r, delimiter) for r in records[:header_row])
    return Sniffed(encoding, delimiter, header_row, skip_sep, preamble, confidence)


def _weakest(a: str, b: str) -> str:
    order = ("guess", "likely", "certain")
    return order[min(order.index(a), order.index(b))]


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes the file's codec rejects as cp1252 (latin-1 where cp1252 has a hole)."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    text = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1") for b in chunk
    )
    return text, error.end


codecs.register_error("leadsmith-fallback", _fallback)
