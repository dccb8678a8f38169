"""Sphinx 2.2 (Debian's `sphinxsearch`): `indexer` builds the index from the tsvpipe file that
bench_compare writes; `searchd` serves it on a loopback port (SphinxQL, the MySQL protocol) as
our own child process (--nodetach), stopped by its PID.

Configuration: charset_table for English, Russian and Uzbek (CHARSET below),
morphology stem_enru (Sphinx's Russian and English stemmers), min_word_len 1, indexer mem_limit
1024M (its largest useful buffer), searchd workers = threads."""
import os
import shutil
import signal
import subprocess

from . import process

CONFIG = """
source products_src
{{
  type = tsvpipe
  tsvpipe_command = cat {tsv}
  tsvpipe_field_string = name
  tsvpipe_field = description
  tsvpipe_attr_string = brand
  tsvpipe_attr_string = category
  tsvpipe_attr_bigint = price
  tsvpipe_attr_string = json
}}

index products
{{
  source = products_src
  path = {index_dir}/products
  docinfo = extern
  charset_table = {charset}
  morphology = stem_enru
  min_word_len = 1
}}

indexer
{{
  mem_limit = 1024M
}}

searchd
{{
  listen = 127.0.0.1:{port}:mysql41
  log = {root}/searchd.log
  query_log = {root}/query.log
  pid_file = {root}/searchd.pid
  binlog_path =
  workers = threads
}}
"""


# Sphinx 2.2's English and Russian table plus the Uzbek Cyrillic letters (ў қ ғ ҳ) and the Uzbek
# Latin apostrophe letters (ʻ ʼ, and ’ as shops type it) as word characters.
CHARSET = ("0..9, A..Z->a..z, _, a..z, U+410..U+42F->U+430..U+44F, U+430..U+44F, U+401->U+451, U+451, "
           "U+40E->U+45E, U+45E, U+49A->U+49B, U+49B, U+492->U+493, U+493, U+4B2->U+4B3, U+4B3, "
           "U+2BB, U+2BC, U+2019->U+2BC")


def available():
    return shutil.which("indexer") is not None and shutil.which("searchd") is not None


def write_config(root, tsv, port):
    index_dir = os.path.join(root, "index")
    os.makedirs(index_dir, exist_ok=True)
    path = os.path.join(root, "sphinx.conf")
    with open(path, "w") as f:
        f.write(CONFIG.format(tsv=tsv, index_dir=index_dir, root=root, port=port, charset=CHARSET))
    return path, index_dir


class Searchd:
    def __init__(self, config, port, log):
        self.config, self.port, self.log = config, port, log
        self.child = None

    def __enter__(self):
        with open(self.log, "ab") as out:
            self.child = subprocess.Popen(["searchd", "--config", self.config, "--nodetach"], stdout=out, stderr=out)
        if not process.wait_for_port(self.port, lambda: self.child.poll() is None):
            self.__exit__(None, None, None)
            raise process.StepError(f"searchd did not start (see {self.log})")
        return self

    def __exit__(self, *exc):
        if self.child is not None:
            process.stop_by_pid(self.child, signal.SIGTERM)
            self.child = None
