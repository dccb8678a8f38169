#!/usr/bin/env python3
"""Counts and checks the bilingual vocabulary (format: VOCAB-FORMAT, see README.md here).

  count.py            table of concept lines per domain and the brand count (Markdown, for README.md)
  count.py --check    also lint every line; exit status 1 when a problem is found

The checks are the mechanical half of the review (the other half, that both sides name the same
thing, was done by reading each line): one TAB per line, lower case, Uzbek in the 1995 Latin
alphabet with ASCII apostrophes, Russian in Cyrillic without ё, no form listed twice across the
files, and no line whose forms are all the same loanword on both sides (the analyzers' Russian key
already joins those).
"""
import os
import re
import sys

DOMAINS = ["electronics", "appliances", "furniture", "home", "clothing", "beauty", "groceries",
           "kids", "sport", "auto", "tools", "books", "pets", "pharmacy"]
HERE = os.path.dirname(os.path.abspath(__file__))

UZ_FORM = re.compile(r"^[a-z0-9'][a-z0-9' -]*[a-z0-9']$|^[a-z]$")
RU_FORM = re.compile(r"^[а-я0-9][а-я0-9 -]*[а-я0-9]$")
# An apostrophe is o'/g' or the tutuq belgisi between letters (ta'mir, sun'iy, mo''jiza is not written).
BAD_APOSTROPHE = re.compile(r"(^|[^a-z])'|(?<![og])'($|[^a-z])")

_LATIN_TO_CYR = [("o'", "о"), ("g'", "г"), ("'", ""), ("shch", "ш"), ("sh", "ш"), ("ch", "ч"),
                 ("zh", "ж"), ("ts", "ц"), ("yo", "е"), ("yu", "ю"), ("ya", "я"), ("ye", "е"),
                 ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"),
                 ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
                 ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
                 ("v", "в"), ("w", "в"), ("x", "х"), ("y", "и"), ("z", "з")]


def loan_key(form, russian):
    """Roughly the analyzers' Russian key: the Uzbek form read as Russian typed in Latin
    (televizor, trenajyor, konditsioner), both sides reduced to an alphabet that forgets what
    Latin cannot tell apart (ь ъ dropped, ё э → е, щ → ш, й ы → и), a final vowel dropped as a
    crude stem. Equal keys mean the analyzers already join the two forms."""
    s = form
    if not russian:
        if "q" in form or "'" in form:
            # The catalog analyzer gives no Russian key to a Latin word with q or o'/g'/tutuq
            # (analyzers/README.md), so such a form is never joined by transliteration.
            return "uz:" + form
        out, i = [], 0
        while i < len(s):
            for latin, cyr in _LATIN_TO_CYR:
                if s.startswith(latin, i):
                    out.append(cyr)
                    i += len(latin)
                    break
            else:
                out.append(s[i])
                i += 1
        s = "".join(out)
    s = s.replace("ь", "").replace("ъ", "").replace("ё", "е").replace("э", "е").replace("щ", "ш")
    s = s.replace("й", "и").replace("ы", "и")
    return re.sub(r"[аеиоуюя]( |-|$)", r"\1", s)


def read(path):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            yield number, line.rstrip("\n")


def concept_lines(path):
    for number, line in read(path):
        if line.strip() and not line.startswith("#"):
            yield number, line


def check_concepts(problems):
    seen = {"uz": {}, "ru": {}}
    for domain in DOMAINS:
        path = os.path.join(HERE, domain + ".tsv")
        if not os.path.exists(path):
            problems.append(f"{domain}.tsv: missing")
            continue
        for number, line in concept_lines(path):
            where = f"{domain}.tsv:{number}"
            parts = line.split("\t")
            if len(parts) != 2:
                problems.append(f"{where}: expected one TAB: {line!r}")
                continue
            sides = {"uz": parts[0].split("|"), "ru": parts[1].split("|")}
            for lang, forms in sides.items():
                pattern = UZ_FORM if lang == "uz" else RU_FORM
                for form in forms:
                    if not pattern.match(form) or "  " in form:
                        problems.append(f"{where}: bad {lang} form {form!r}")
                    if lang == "uz" and BAD_APOSTROPHE.search(form):
                        problems.append(f"{where}: stray apostrophe in {form!r}")
                    if lang == "uz" and re.search(r"c(?!h)|q'", form):
                        problems.append(f"{where}: letter not in the 1995 alphabet in {form!r}")
                    # The analyzers drop the apostrophe (o'chirg'ich and o'chirgich meet).
                    key = form.replace("'", "")
                    if key in seen[lang]:
                        problems.append(f"{where}: {lang} form {form!r} also at {seen[lang][key]}")
                    seen[lang][key] = where
            # A line adds nothing when transliteration already joins every form with one on the
            # other side (televizor/телевизор): the brief asks for such lines to be left out.
            uz_keys = {loan_key(f, False) for f in sides["uz"]}
            ru_keys = {loan_key(f, True) for f in sides["ru"]}
            if uz_keys <= ru_keys and ru_keys <= uz_keys:
                problems.append(f"{where}: only the same loanword on both sides: {line!r}")


def check_brands(problems):
    seen = {}
    if not os.path.exists(os.path.join(HERE, "brands.tsv")):
        problems.append("brands.tsv: missing")
        return
    for number, line in concept_lines(os.path.join(HERE, "brands.tsv")):
        where = f"brands.tsv:{number}"
        parts = line.split("\t")
        if len(parts) != 2:
            problems.append(f"{where}: expected one TAB: {line!r}")
            continue
        latin, cyrillic = parts
        if not re.match(r"^[a-z0-9][a-z0-9 '&+.-]*$", latin):
            problems.append(f"{where}: canonical name must be lower-case Latin: {latin!r}")
        if latin in seen:
            problems.append(f"{where}: {latin!r} also at {seen[latin]}")
        seen[latin] = where
        forms = [f for f in cyrillic.split("|") if f]
        if len(set(forms)) != len(forms):
            problems.append(f"{where}: a spelling is listed twice: {cyrillic!r}")
        for form in forms:
            if not re.match(r"^[а-яёўқғҳ0-9][а-яёўқғҳ0-9 '&+.-]*$", form):
                problems.append(f"{where}: bad Cyrillic spelling {form!r}")


def main():
    counts = []
    for domain in DOMAINS:
        path = os.path.join(HERE, domain + ".tsv")
        counts.append((domain, sum(1 for _ in concept_lines(path)) if os.path.exists(path) else 0))
    brands_path = os.path.join(HERE, "brands.tsv")
    brands = sum(1 for _ in concept_lines(brands_path)) if os.path.exists(brands_path) else 0
    print("| domain | concept lines |\n|---|---:|")
    for domain, n in counts:
        print(f"| {domain} | {n} |")
    print(f"| **total** | **{sum(n for _, n in counts)}** |")
    print(f"\nbrands.tsv: {brands} brand and model lines")
    if "--check" in sys.argv[1:]:
        problems = []
        check_concepts(problems)
        check_brands(problems)
        for p in problems:
            print(p, file=sys.stderr)
        print(f"\n{len(problems)} problems", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
