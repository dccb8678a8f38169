#!/usr/bin/env python3
"""Writes the judged query set (judged_queries.jsonl) for bench/relevance/relevance.py.

Judgements come from the catalogs' structured fields, never from UltraSearch's results: each query
is drawn from gen-catalog's own vocabulary for one leaf category (its Uzbek Latin and Cyrillic
forms, its Russian declension, the brands it sells), and carries the rule that grades a product:
its category among the leaf's names in all three scripts, its brand, a model the name contains, an
attribute value. relevance.py applies the rule to every product of the catalog, so the ideal
ranking is known without asking the engine.

Grades: 2 when the product meets every condition of the query (brand + type, type + attribute,
brand + model), 1 when it is only of the right type (or, for brand + model, of the right brand and
type), 0 otherwise. Queries that name only a type grade 1 for that type.

Deterministic: the same gen-catalog and the same --seed give the same file. Hand-judged queries
over the fixture catalog (iPhone 15 and its case, ...) are appended from hand_judged.jsonl.

  bench/relevance/make_judged_set.py [--gen-catalog PATH] [--count 20000] [--seed 42]
"""
import argparse
import collections
import importlib.machinery
import importlib.util
import json
import os
import random
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The fixture catalog spells three leaf names differently from gen-catalog (data/fixtures/README.md).
FIXTURE_SPELLINGS = {"Toplar": ["Toʻplar", "Тўплар"], "Мултиваркалар": ["Мультиваркалар"],
                     "Парфюмэрия": ["Парфюмерия"]}
MODEL_TAIL = r"(?![\w+])(?!\s+(?:pro|ultra|plus|max|mini|classic|fe|se|lite)\b)"


def default_gen_catalog():
    """$ULTRASEARCH_GEN_CATALOG, else the copy in third_party/tools."""
    return os.environ.get("ULTRASEARCH_GEN_CATALOG") or os.path.join(ROOT, "third_party", "tools", "gen-catalog")


def load_gen_catalog(path):
    loader = importlib.machinery.SourceFileLoader("gen_catalog", path)
    spec = importlib.util.spec_from_loader("gen_catalog", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def leaf_names(lf):
    names = {lf.uz_name, lf.cyr_name, lf.ru_name}
    for n in list(names):
        names.update(FIXTURE_SPELLINGS.get(n, []))
    return sorted(names)


def read_catalog(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class Maker:
    def __init__(self, gc, catalog_name, products, seed, per_family):
        self.gc = gc
        self.catalog = catalog_name
        self.rng = random.Random(seed)
        self.per_family = per_family
        by_name = {}
        for lf in gc.LEAVES:
            for n in leaf_names(lf):
                by_name[n] = lf
        self.by_leaf = collections.defaultdict(list)
        unknown = collections.Counter()
        for p in products:
            lf = by_name.get(p["category"])
            if lf is None:
                unknown[p["category"]] += 1
            else:
                self.by_leaf[lf.index].append(p)
        if unknown:
            print("categories outside gen-catalog's leaves (not judged as types): %s" % dict(unknown), file=sys.stderr)
        min_products = 2 if len(products) < 1000 else 5
        self.leaves = [lf for lf in gc.LEAVES if len(self.by_leaf[lf.index]) >= min_products]
        self.out = []
        self.seen = set()

    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def add(self, family, query, leaf, shape="match", **extra):
        query = " ".join(query.split())
        if not query or (family, query) in self.seen:
            return False
        self.seen.add((family, query))
        judge = {"categories": leaf_names(leaf)}
        judge.update(extra)
        self.out.append({"catalog": self.catalog, "family": family, "query": query, "shape": shape, "judge": judge})
        return True

    def fill(self, family, make):
        added, tries = 0, 0
        while added < self.per_family and tries < self.per_family * 40:
            tries += 1
            if make():
                added += 1

    def brand_in_leaf(self, lf):
        brands = collections.Counter(p["brand"] for p in self.by_leaf[lf.index])
        return self.pick(sorted(brands)) if brands else None

    def build(self):
        gc, pick = self.gc, self.pick
        lvs = self.leaves
        self.fill("uz_latin", lambda: (lambda lf: self.add(
            "uz_latin", pick([lf.uz["base"], lf.uz["pl"], lf.uz["poss"], lf.uz["loc"], lf.uz["abl"], lf.uz["plposs"],
                              lf.uz_name.lower()]), lf))(pick(lvs)))
        self.fill("uz_cyrillic", lambda: (lambda lf: self.add(
            "uz_cyrillic", pick([lf.cyr["base"], lf.cyr["pl"], lf.cyr["poss"], lf.cyr["loc"], lf.cyr_name.lower()]),
            lf))(pick(lvs)))
        ok_leaves = [lf for lf in lvs if gc.OKINA in lf.uz["base"] + lf.uz_name]
        styles = ["'", "\u2019", "`", "\u2018", gc.OKINA]
        if ok_leaves:
            self.fill("apostrophe", lambda: (lambda lf: self.add(
                "apostrophe", pick([lf.uz["base"], lf.uz["pl"], lf.uz["poss"], lf.uz_name.lower()])
                .replace(gc.OKINA, pick(styles)).replace(gc.TUTUQ, pick(["'", "\u2019"])), lf))(pick(ok_leaves)))
        self.fill("russian", lambda: (lambda lf: self.add(
            "russian", pick([lf.ru["nom"], lf.ru["nompl"], lf.ru["genpl"], lf.ru["gen"], lf.ru["ins"], lf.ru_name.lower()])
            .replace("ё", "е"), lf))(pick(lvs)))
        self.fill("russian_translit", lambda: (lambda lf: self.add(
            "russian_translit", gc.ru_to_latin(pick([lf.ru["nom"], lf.ru["nompl"], lf.ru["gen"]])), lf))(pick(lvs)))
        self.fill("typo", self.make_typo)
        self.fill("prefix", self.make_prefix)
        self.fill("wrong_layout", lambda: (lambda lf: self.add(
            "wrong_layout", gc.wrong_layout(pick([lf.ru["nom"], lf.ru["nompl"]])), lf))(pick(lvs)))
        self.fill("brand_type", self.make_brand_type)
        self.fill("brand_model", self.make_brand_model)
        self.fill("attribute", self.make_attribute)
        return self.out

    def make_typo(self):
        lf = self.pick(self.leaves)
        word = self.pick([lf.uz["base"], lf.ru["nom"], lf.uz["pl"]])
        words = word.split()
        i = max(range(len(words)), key=lambda k: len(words[k]))
        if len(words[i]) < 5:
            return False
        typo = self.gc.typo(self.rng, words[i])
        if typo == words[i]:
            return False
        words[i] = typo
        return self.add("typo", " ".join(words), lf)

    def make_prefix(self):
        lf = self.pick(self.leaves)
        word = self.pick([lf.uz["base"], lf.ru["nom"], lf.cyr["base"]]).split()[0].lower()
        if len(word) < 6:
            return False
        prefix = word[:4 + int(self.rng.random() * 3)]
        # Every leaf one of whose type words starts with the prefix is what the shopper may mean.
        matching = [m for m in self.gc.LEAVES
                    if any(w.lower().startswith(prefix)
                           for form in (m.uz["base"], m.uz["pl"], m.ru["nom"], m.ru["nompl"], m.cyr["base"],
                                        m.uz_name, m.ru_name, m.cyr_name)
                           for w in form.split())]
        names = sorted({n for m in matching for n in leaf_names(m)})
        if not self.add("prefix", prefix, lf, shape="bool_prefix"):
            return False
        self.out[-1]["judge"]["categories"] = names
        return True

    def make_brand_type(self):
        lf = self.pick(self.leaves)
        brand = self.brand_in_leaf(lf)
        if not brand or sum(1 for p in self.by_leaf[lf.index] if p["brand"] == brand) < 1:
            return False
        b = brand if self.rng.random() < 0.3 else brand.lower()
        t = self.pick([lf.uz["base"], lf.uz["base"], lf.ru["nom"], lf.cyr["base"]])
        q = "%s %s" % (b, t) if self.rng.random() < 0.6 else "%s %s" % (t, b)
        return self.add("brand_type", q, lf, brand=brand)

    def make_brand_model(self):
        model_leaves = [lf for lf in self.leaves if lf.style in self.gc.SERIES_BY_STYLE]
        if not model_leaves:
            return False
        lf = self.pick(model_leaves)
        series = self.gc.SERIES_BY_STYLE[lf.style]
        p = self.pick(self.by_leaf[lf.index])
        if p["brand"] not in series:
            return False
        found = None
        for template in series[p["brand"]]:
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{[a-z0-9]+\\\}", r"[0-9]+", pattern)
            m = re.search(r"(?<!\w)" + pattern + MODEL_TAIL, p["name"], re.I)
            if m and (found is None or len(m.group(0)) > len(found)):
                found = m.group(0)
        if not found:
            return False
        q = found if self.rng.random() < 0.5 or found.lower().startswith(p["brand"].lower()) else "%s %s" % (p["brand"], found)
        return self.add("brand_model", q.lower() if self.rng.random() < 0.5 else q, lf, brand=p["brand"],
                        model=r"(?<!\w)" + re.escape(found) + MODEL_TAIL)

    def make_attribute(self):
        lf = self.pick(self.leaves)
        with_color = [p for p in self.by_leaf[lf.index] if isinstance(p.get("attributes", {}).get("color"), str)]
        if not with_color:
            return False
        p = self.pick(with_color)
        color = p["attributes"]["color"]
        row = next((c for c in self.gc.COLORS if color in c or color == self.gc.uz_to_cyrillic(c[0])), None)
        if row is None:
            return False
        values = sorted({v.lower() for v in row} | {v.lower().replace("ё", "е") for v in row} |
                        {self.gc.uz_to_cyrillic(row[0]).lower()})
        if p["lang"] == "ru":
            q = "%s %s" % (row[1].replace("ё", "е"), lf.ru["nom"])
        elif p["lang"] == "uz-Cyrl":
            q = "%s %s" % (lf.cyr["base"], self.gc.uz_to_cyrillic(row[0]))
        else:
            q = "%s %s" % (lf.uz["base"], row[0])
        return self.add("attribute", q, lf, attribute={"field": "color", "values": values})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gen-catalog", default=default_gen_catalog())
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=os.path.join(HERE, "judged_queries.jsonl"))
    args = ap.parse_args()
    gc = load_gen_catalog(args.gen_catalog)
    generated = subprocess.run([sys.executable, args.gen_catalog, "--count", str(args.count), "--seed", str(args.seed)],
                               check=True, capture_output=True, text=True).stdout
    gen_products = [json.loads(line) for line in generated.splitlines() if line.strip()]
    fixtures = read_catalog(os.path.join(ROOT, "data", "fixtures", "products.ndjson"))
    queries = Maker(gc, "fixtures", fixtures, 2026, 7).build()
    queries += Maker(gc, "generated", gen_products, 2027, 14).build()
    with open(os.path.join(HERE, "hand_judged.jsonl"), encoding="utf-8") as f:
        queries += [json.loads(line) for line in f if line.strip() and not line.startswith("#")]
    with open(args.out, "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False, sort_keys=True) + "\n")
    counts = collections.Counter((q["catalog"], q["family"]) for q in queries)
    print("%d queries: %s" % (len(queries), ", ".join("%s/%s %d" % (c, f, n) for (c, f), n in sorted(counts.items()))))


if __name__ == "__main__":
    main()
