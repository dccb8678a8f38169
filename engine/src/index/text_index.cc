#include "index/text_index.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "common/xapian_status.h"

namespace ultrasearch {

namespace {

// Creates an empty database beside `path` and renames it into place, so a crash during creation
// never leaves a directory that exists but is not a database (Xapian then refuses to open it).
Status CreateAtomically(const std::string& path) {
  const std::string staging = path + ".creating";
  std::error_code ec;
  std::filesystem::remove_all(staging, ec);
  try {
    Xapian::WritableDatabase db(staging, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    return FromXapian(e, "creating text index " + path);
  }
  std::filesystem::rename(staging, path, ec);
  if (ec) return Status::IOError("cannot create " + path + ": " + ec.message());
  const std::string parent = std::filesystem::path(path).parent_path().string();
  int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);  // make the rename durable
    ::close(fd);
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<TextIndex>> TextIndex::Open(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    Status s = CreateAtomically(path);
    if (!s.ok()) return s;
  }
  try {
    Xapian::WritableDatabase db(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
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
