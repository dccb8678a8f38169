#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets, one directory per target, from the fixture catalog
(data/fixtures/) and the test tables (tests/data/). Generated at each run instead of committed: the
fixtures are the source of truth, and the corpora stay out of the repository.

Usage: make_seeds.py SOURCE_DIR OUT_DIR   (OUT_DIR/<target>/ is emptied and refilled)
"""
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

ANALYZERS = ["catalog", "uz", "ru", "standard", "keyword", "whitespace"]


def tsv_cells(path):
    """Every cell of a TSV table, skipping comments and blank lines."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            yield from (cell for cell in line.split("\t") if cell.strip())


def products(source):
    lines = (source / "data/fixtures/products.ndjson").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def bad_lines(source):
    """The rejected-line fixtures as bytes: some are deliberately not UTF-8."""
    return [l for l in (source / "data/fixtures/products-bad.ndjson").read_bytes().splitlines() if l]


def query_texts(source, docs):
    texts = [d["name"] for d in docs[::7]] + [d["brand"] for d in docs[::11]]
    table = source / "tests/data/search/multilingual.tsv"
    for line in table.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 1 and not line.startswith("#"):
            texts.append(cells[1])
    return texts


def search_bodies(source, docs):
    rng = random.Random(42)
    texts = query_texts(source, docs)
    brands = sorted({d["brand"] for d in docs})
    shapes = [
        lambda t: {"query": {"match": {"name": t}}},
        lambda t: {"query": {"match": {"name": {"query": t, "operator": "and", "fuzziness": "AUTO"}}}},
        lambda t: {"query": {"multi_match": {"query": t, "fields": ["name^3", "description"], "operator": "and"}}},
        lambda t: {"query": {"multi_match": {"query": t, "fields": ["name^3", "description"], "type": "cross_fields",
                                             "operator": "or", "minimum_should_match": "75%"}}},
        lambda t: {"query": {"multi_match": {"query": t, "type": "bool_prefix", "fields": ["name", "name._2gram"]}}},
        lambda t: {"query": {"match_phrase": {"description": {"query": t, "slop": 1}}}},
        lambda t: {"query": {"match_phrase_prefix": {"name": t}}},
        lambda t: {"query": {"bool": {"must": [{"match": {"name": t}}],
                                      "filter": [{"term": {"brand": rng.choice(brands)}},
                                                 {"range": {"price": {"gte": 100000, "lte": 9000000}}}],
                                      "must_not": [{"term": {"in_stock": False}}]}},
                   "sort": [{"price": "asc"}, "_score"], "from": 0, "size": 5},
        lambda t: {"query": {"bool": {"should": [{"match": {"name": t}}, {"prefix": {"brand": t[:3].lower()}}],
                                      "minimum_should_match": 1}},
                   "post_filter": {"terms": {"category": ["Smartfonlar", "Muzlatgichlar"]}}, "_source": ["name", "price"]},
        lambda t: {"query": {"constant_score": {"filter": {"exists": {"field": "rating"}}, "boost": 2}},
                   "track_total_hits": True, "size": 0},
        lambda t: {"query": {"fuzzy": {"name": {"value": t.split()[0].lower(), "fuzziness": 2, "prefix_length": 1}}}},
        lambda t: {"query": {"ids": {"values": [docs[0]["id"], docs[-1]["id"]]}}, "version": True,
                   "seq_no_primary_term": True},
        lambda t: {"query": {"range": {"created_at": {"gte": "2024-01-01", "lt": "2025-12-31T00:00:00Z"}}},
                   "sort": [{"created_at": {"order": "desc"}}]},
    ]
    bodies = []
    for i, text in enumerate(texts):
        bodies.append(shapes[i % len(shapes)](text))
    bodies += [{}, {"query": {"match_all": {}}}, {"query": {"match_none": {}}}, {"size": 10000, "from": 0}]
    return [json.dumps(b, ensure_ascii=False) for b in bodies]


def bulk_bodies(docs, bad):
    rng = random.Random(7)
    bodies = []
    for start in range(0, len(docs), 12):
        lines = []
        for d in docs[start:start + 6]:
            source = json.dumps(d, ensure_ascii=False)
            action = rng.choice(["index", "create", "update", "upsert", "delete"])
            if action in ("index", "create"):
                lines += [json.dumps({action: {"_id": d["id"]}}), source]
            elif action == "update":
                lines += [json.dumps({"update": {"_id": d["id"]}}), json.dumps({"doc": {"price": d["price"] + 1}})]
            elif action == "upsert":
                lines += [json.dumps({"update": {"_id": d["id"] + "-u"}}),
                          json.dumps({"doc": d, "doc_as_upsert": True}, ensure_ascii=False)]
            else:
                lines += [json.dumps({"delete": {"_id": d["id"]}})]
        bodies.append("\n".join(lines) + "\n")
    for line in bad:
        bodies.append(json.dumps({"index": {}}).encode() + b"\n" + line + b"\n")
    bodies.append('{"update":{"_id":"x"}}\n{"doc":{"a":1},"upsert":{"a":0}}\n{"delete":{"_id":"x"}}\n')
    return bodies


MAPPINGS = [
    {"properties": {"name": {"type": "text", "analyzer": "catalog", "fields": {"keyword": {"type": "keyword", "ignore_above": 256}}},
                    "brand": {"type": "keyword"}, "price": {"type": "long"}, "rating": {"type": "float"},
                    "in_stock": {"type": "boolean"}, "created_at": {"type": "date"},
                    "attributes": {"properties": {"color": {"type": "keyword"}, "cameras": {"type": "integer"}}}}},
    {"dynamic": "strict", "properties": {"title": {"type": "text", "analyzer": "uz", "search_analyzer": "standard"}}},
    {"dynamic": False, "properties": {"sku": {"type": "keyword"}, "weight": {"type": "double"}}},
    {"date_detection": False, "dynamic_templates": [
        {"strings": {"match_mapping_type": "string",
                     "mapping": {"type": "text", "analyzer": "ru", "fields": {"raw": {"type": "keyword"}}}}},
        {"attrs": {"path_match": "attributes.*", "mapping": {"type": "keyword"}}},
        {"counts": {"match": "*_count", "match_mapping_type": "long", "mapping": {"type": "integer"}}}]},
    {"properties": {"s": {"type": "short"}, "b": {"type": "byte"}, "w": {"type": "text", "analyzer": "whitespace", "boost": 2},
                    "k": {"type": "text", "analyzer": "keyword"}}},
    {},
]


def analyzer_texts(source, docs):
    texts = []
    for table in sorted((source / "tests/data/analyzers").glob("*.tsv")):
        texts += [c for c in tsv_cells(table) if c not in ANALYZERS]
    texts += [d["name"] for d in docs[::5]] + [d["description"] for d in docs[::17]]
    return texts


def layout_texts(source):
    return list(tsv_cells(source / "tests/data/analyzers/layout.tsv"))


def script_texts(source):
    texts = []
    for name in ("uz_cyrl_latn.tsv", "uz_latn_cyrl.tsv", "uz_stems.tsv"):
        texts += list(tsv_cells(source / "tests/data/analyzers" / name))
    return texts


def protocol_inputs(docs):
    """A filter_path spec, a newline, then a JSON body shaped like the server's replies."""
    hits = {"took": 3, "timed_out": False, "hits": {"total": {"value": 2, "relation": "eq"}, "max_score": 1.5,
            "hits": [{"_index": "products", "_id": d["id"], "_score": 1.0, "_source": d} for d in docs[:3]]},
            "aggregations": {"brands": {"buckets": [{"key": "acme", "doc_count": 2}, {"key": "x", "doc_count": 1}]}}}
    error = {"error": {"root_cause": [{"type": "index_not_found_exception", "reason": "no such index"}],
             "type": "index_not_found_exception"}, "status": 404}
    specs = ["hits.hits._id", "hits.total.value,took", "-took", "aggregations.**.key", "**.doc_count",
             "hits.hits._source.na*", "-hits.hits._source,hits.**", "*", "-**", "", "a..b,,-", "error.type"]
    bodies = [json.dumps(hits, ensure_ascii=False), json.dumps(error), "[]", "{}", '{"a":[[{"b":1}],[]]}']
    return [spec + "\n" + body for spec in specs for body in bodies]


# libFuzzer dictionaries: the words of each JSON dialect, so mutations build real requests sooner.
DICTIONARIES = {
    "fuzz_query_dsl": """query bool must filter should must_not minimum_should_match match match_all match_none
        multi_match match_phrase match_phrase_prefix match_bool_prefix bool_prefix cross_fields best_fields most_fields
        phrase phrase_prefix term terms range prefix exists ids fuzzy constant_score boost fields operator and or AND OR
        fuzziness AUTO prefix_length max_expansions slop analyzer type gte gt lte lt from size sort order asc desc
        _score _doc missing _last post_filter _source includes excludes track_total_hits track_scores version
        seq_no_primary_term value values field name description brand price category created_at rating in_stock
        name.keyword attributes.color aggs highlight timeout""",
    "fuzz_bulk": """index create update delete _index _id doc doc_as_upsert upsert routing retry_on_conflict
        _source detect_noop script if_seq_no if_primary_term version version_type pipeline require_alias
        products name price brand""",
    "fuzz_protocol": """hits _id _source total value took aggregations buckets key doc_count error type
        status * ** - , .""",
    "fuzz_mapping": """properties type text keyword long integer short byte double float boolean date object
        nested fields analyzer search_analyzer boost ignore_above dynamic strict true false runtime
        dynamic_templates match path_match unmatch match_mapping_type mapping string date_detection
        catalog uz ru standard whitespace index doc_values format copy_to null_value""",
}


def write_dictionary(out, target, words):
    lines = [json.dumps(w) for w in dict.fromkeys(words.split())]
    lines += ['"{"', '"}"', '"["', '"]"', '":"', '","', '"\\\\u0000"', '"null"', '"1e308"', '"-1"']
    (out / (target + ".dict")).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_corpus(out, target, items):
    directory = out / target
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for item in dict.fromkeys(items):  # unique, in order
        data = item if isinstance(item, bytes) else item.encode("utf-8")
        (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main():
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    docs, bad = products(source), bad_lines(source)
    write_corpus(out, "fuzz_query_dsl", search_bodies(source, docs))
    write_corpus(out, "fuzz_bulk", bulk_bodies(docs, bad))
    write_corpus(out, "fuzz_mapping", [json.dumps(m) for m in MAPPINGS])
    write_corpus(out, "fuzz_document", [json.dumps(d, ensure_ascii=False) for d in docs] + bad)
    write_corpus(out, "fuzz_protocol", protocol_inputs(docs))
    for target, words in DICTIONARIES.items():
        write_dictionary(out, target, words)
    texts = analyzer_texts(source, docs)
    for analyzer in ANALYZERS:
        write_corpus(out, "fuzz_analyzer_" + analyzer, texts)
    write_corpus(out, "fuzz_keyboard_layout", layout_texts(source) + [d["name"] for d in docs[::9]])
    write_corpus(out, "fuzz_uz_script", script_texts(source) + [d["name"] for d in docs[::9]])


if __name__ == "__main__":
    main()
