#include "index/text_index.h"

#include "common/xapian_status.h"

namespace ultrasearch {

Result<std::unique_ptr<TextIndex>> TextIndex::Open(const std::string& path) {
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    return std::unique_ptr<TextIndex>(new TextIndex(path, std::move(db)));
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "opening text index " + path);
  }
}

Result<uint64_t> TextIndex::CommittedSequence() const {
  try {
    std::string v = db_.get_metadata(kSequenceMetadataKey);
    return v.empty() ? uint64_t{0} : static_cast<uint64_t>(std::stoull(v));
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "reading the text index sequence");
  } catch (const std::exception&) {
    return Status::Corruption("text index sequence metadata is not a number");
  }
}

Status TextIndex::Replace(Xapian::docid docid, const Xapian::Document& doc) {
  try {
    // A brand-new document (the common case in an import) is an append: add_document is much
    // cheaper than replace_document, which must first look for an old version to remove.
    if (docid == db_.get_lastdocid() + 1) {
      db_.add_document(doc);
    } else {
      db_.replace_document(docid, doc);
    }
    return Status::OK();
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "indexing a document");
  }
}

Status TextIndex::Delete(Xapian::docid docid) {
  try {
    db_.delete_document(docid);
  } catch (const Xapian::DocNotFoundError&) {
    // already gone
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "removing a document from the text index");
  }
  return Status::OK();
}

Status TextIndex::Commit(uint64_t seq) {
  try {
    db_.set_metadata(kSequenceMetadataKey, std::to_string(seq));
    db_.commit();
    return Status::OK();
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "committing the text index");
  }
}

uint64_t TextIndex::DocCount() const {
  try {
    return db_.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

void TextIndex::Close() {
  try {
    db_.close();
  } catch (const Xapian::Error&) {
  }
}

}  // namespace ultrasearch
