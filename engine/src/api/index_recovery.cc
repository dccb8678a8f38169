// Recovery of an index at open, and the one build-and-swap routine that both a rebuild at open
// and a reindex use.
//
// At open: read TEXT_CURRENT (which text directory is live), open it, and bring it level with the
// catalog: replay the change log past the text index's committed sequence, or, when that cannot
// work (the text index is ahead of the catalog, or the log no longer continues it), rebuild it from
// the catalog into a new directory and switch TEXT_CURRENT atomically. See docs/architecture.md.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/index_impl.h"
#include "common/file_util.h"
#include "index/document_builder.h"
#include "index/text_bulk_loader.h"

namespace fs = std::filesystem;

namespace ultrasearch {

namespace {

constexpr const char* kFirstTextDir = "text.1";

// "text.N" with N a positive decimal number.
bool IsTextDirName(const std::string& name) {
  if (name.size() <= 5 || name.compare(0, 5, "text.") != 0) return false;
  for (size_t i = 5; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  return name[5] != '0';
}

}  // namespace

Result<std::string> Index::Impl::ReadTextCurrent() const {
  const std::string path = params_.dir + "/" + kTextCurrentFile;
  std::error_code ec;
  const bool exists = fs::exists(path, ec);
  if (ec) return Status::IOError("cannot check " + path + ": " + ec.message());
  if (!exists) {
    // TEXT_CURRENT is first written by a completed swap. Without it the live directory is text.1,
    // and any other text.N is an unfinished rebuild or reindex (removed as garbage). Only when
    // text.1 is gone too can nothing say which directory is live: refuse rather than guess.
    bool first_exists = fs::is_directory(params_.dir + "/" + kFirstTextDir, ec);
    std::string other;
    for (const auto& entry : fs::directory_iterator(params_.dir, ec)) {
      std::string name = entry.path().filename().string();
      if (IsTextDirName(name) && name != kFirstTextDir) other = name;
    }
    if (ec) return Status::IOError("cannot list " + params_.dir + ": " + ec.message());
    if (!first_exists && !other.empty()) {
      return Status::Corruption(path + " is missing and " + params_.dir + " holds " + other +
                                " but no text.1: write the name of the live text directory into " + kTextCurrentFile +
                                ", or remove every text.* directory to rebuild the text index from the catalog at "
                                "the next open");
    }
    return std::string(kFirstTextDir);
  }
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  std::string name = content.str();
  while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.pop_back();
  if (!in || !IsTextDirName(name)) {
    return Status::Corruption(path + " is unreadable or does not name a text directory (\"text.N\"): write the "
                              "name of the live text directory into it, or remove it together with every text.* "
                              "directory to rebuild the text index from the catalog at the next open");
  }
  if (!fs::is_directory(params_.dir + "/" + name, ec)) {
    return Status::Corruption(path + " names " + name + ", which does not exist: remove " + kTextCurrentFile +
                              " and every text.* directory to rebuild the text index from the catalog at the "
                              "next open");
  }
  return name;
}

Status Index::Impl::OpenTextIndex() {
  auto live = ReadTextCurrent();
  if (!live.ok()) return live.status();
  text_dir_name_ = *live;
  // Directories of an unfinished or superseded reindex are garbage.
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(params_.dir, ec)) {
    std::string entry_name = entry.path().filename().string();
    if (entry_name.rfind("text.", 0) == 0 && entry_name != text_dir_name_) {
      std::error_code remove_ec;
      fs::remove_all(entry.path(), remove_ec);
    }
  }
  auto text = TextIndex::Open(TextDirPath(text_dir_name_), params_.text_shards);
  if (!text.ok()) return text.status();
  text_ = std::move(text.value());
  return Status::OK();
}

Status Index::Impl::Recover() {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto committed = text_->CommittedSequence();
  if (!committed.ok()) return committed.status();
  auto highest = text_->HighestCommittedSequence();
  if (!highest.ok()) return highest.status();
  if (*highest > last_seq_) {
    // The text index has writes the catalog lacks (say, a catalog restored from an older backup).
    // The catalog is the source of truth and the text index is derived: rebuild it.
    return RebuildTextIndex();
  }
  committed_seq_ = applied_seq_ = *committed;
  if (*committed == last_seq_) return Status::OK();
  // The log must continue right after the text index's sequence; if it does not (the text
  // directory was lost or replaced by an older one), replaying cannot catch up: rebuild.
  uint64_t first_logged = 0;
  Status scan = catalog_->ForEachLogEntry(*committed, [&](const LogEntry& entry) {
    first_logged = entry.seq;
    return false;
  });
  if (!scan.ok()) return scan;
  if (first_logged != *committed + 1) return RebuildTextIndex();
  Status s = ReplayLog(text_.get(), *committed);
  if (!s.ok()) return s;
  return CommitText();
}

Result<Xapian::Document> Index::Impl::BuildFromSource(std::string_view id, std::string_view source,
                                                      const Mapping& mapping) const {
  auto parsed = ParseDocument(source, mapping, id);
  if (parsed.ok() && !parsed->new_fields.empty()) {
    // Stored after `mapping` was taken (a reindex snapshot races dynamic mapping): the fields are
    // in the current mapping, which every stored document fits.
    auto latest = this->mapping();
    parsed = ParseDocument(source, *latest, id);
    if (parsed.ok()) return BuildXapianDocument(id, parsed.value(), *latest, *params_.analyzers);
  }
  if (!parsed.ok()) return Status::Corruption("stored document [" + std::string(id) + "] no longer parses: " +
                                              parsed.status().message());
  return BuildXapianDocument(id, parsed.value(), mapping, *params_.analyzers);
}

std::string Index::Impl::NextTextDirName() const {
  return "text." + std::to_string(std::atoi(text_dir_name_.c_str() + 5) + 1);  // "text.N"
}

Result<Index::Impl::TextBuild> Index::Impl::BuildTextFromCatalog(
    std::string dir_name, const std::function<void(uint64_t, uint64_t)>& progress, uint64_t total) const {
  TextBuild build;
  build.dir_name = std::move(dir_name);
  // Documents are loaded into a scratch directory, which is then compacted into the build's own
  // (as `import` leaves a bulk load: a third of the size, and fewer blocks for a search to read).
  // Both are text.* directories: a crash leaves garbage that the next open removes.
  const std::string path = TextDirPath(build.dir_name);
  const std::string scratch = path + ".load";
  std::error_code ec;
  fs::remove_all(path, ec);
  fs::remove_all(scratch, ec);
  auto fresh = TextIndex::Open(scratch, params_.text_shards);
  if (!fresh.ok()) return fresh.status();
  build.text = std::move(fresh.value());
  auto current = mapping();
  uint64_t done = 0;
  Status failure;
  TextBulkLoader loader(build.text.get());
  Status s = catalog_->ForEachDoc(
      [&](std::string_view id, const StoredDoc& doc) {
        auto xdoc = BuildFromSource(id, doc.source, *current);
        failure = xdoc.ok() ? loader.Add(doc.docid, std::move(xdoc).value()) : xdoc.status();
        if (progress && (++done % 10000 == 0)) progress(done, total);
        return failure.ok();
      },
      &build.snapshot_seq);
  if (s.ok()) s = failure;
  if (s.ok()) {
    s = loader.Finish();
  } else {
    loader.Abandon();
  }
  build.text->Close();
  build.text.reset();
  if (s.ok()) s = TextIndex::CompactCopy(scratch, path);
  fs::remove_all(scratch, ec);
  if (s.ok()) {
    auto compacted = TextIndex::Open(path, params_.text_shards);
    if (compacted.ok()) {
      build.text = std::move(compacted.value());
    } else {
      s = compacted.status();
    }
  }
  if (!s.ok()) {
    DiscardTextBuild(&build);
    return s;
  }
  if (progress) progress(done, total);
  return build;
}

void Index::Impl::DiscardTextBuild(TextBuild* build) const {
  if (build->text) build->text->Close();
  build->text.reset();
  std::error_code ec;
  fs::remove_all(TextDirPath(build->dir_name), ec);
}

Status Index::Impl::SwapInTextBuild(TextBuild build, bool remove_old_now) {
  Status s = ReplayLog(build.text.get(), build.snapshot_seq);
  if (s.ok()) s = build.text->Commit(last_seq_);
  if (s.ok()) s = WriteFileAtomically(params_.dir, kTextCurrentFile, build.dir_name + "\n");
  if (!s.ok()) {
    DiscardTextBuild(&build);
    return s;
  }
  const std::string old_path = TextDirPath(text_dir_name_);
  text_->Close();
  // Otherwise the old directory stays while searches read it (RemoveRetiredTextDirs).
  if (remove_old_now) {
    std::error_code ec;
    fs::remove_all(old_path, ec);
  } else {
    retired_text_dirs_.push_back(old_path);
  }
  text_ = std::move(build.text);
  text_dir_name_ = build.dir_name;
  applied_seq_ = committed_seq_ = last_seq_;
  pending_text_changes_ = 0;
  text_needs_replay_ = false;
  catalog_->TrimLog(log_trim_floor_ ? std::min(*log_trim_floor_, committed_seq_) : committed_seq_)
      .PermitUncheckedError();  // a leftover entry only costs a replay
  if (columns_ && columns_->HasStaged()) columns_->Publish();  // columns and text from the same state
  if (readers_) readers_->SwitchPaths(TextIndex::ShardPaths(TextDirPath(text_dir_name_)));
  BumpSearchGeneration();
  RemoveRetiredTextDirs();
  return Status::OK();
}

void Index::Impl::RemoveRetiredTextDirs() {
  if (retired_text_dirs_.empty() || (readers_ && readers_->OldPathsInUse())) return;
  for (const auto& path : retired_text_dirs_) {
    std::error_code ec;
    fs::remove_all(path, ec);  // what stays (an error) goes at the next open
  }
  retired_text_dirs_.clear();
}

Status Index::Impl::RebuildTextIndex() {
  // At open, under write_mu_ and before any reader exists: nothing runs beside the build.
  auto build = BuildTextFromCatalog(NextTextDirName(), {}, doc_count_);
  if (!build.ok()) return build.status();
  return SwapInTextBuild(std::move(build.value()), /*remove_old_now=*/true);
}

Status Index::Impl::ReplayLog(TextIndex* text, uint64_t after) {
  auto current_mapping = mapping();
  Status failure;
  Status s = catalog_->ForEachLogEntry(after, [&](const LogEntry& entry) {
    if (entry.is_delete) {
      failure = text->Delete(entry.docid);
    } else {
      // Apply the document's current state; if it changed again later, a later entry covers it.
      auto stored = catalog_->GetDoc(entry.id);
      if (!stored.ok()) {
        failure = stored.status();
      } else if (stored->has_value() && (*stored)->docid == entry.docid) {
        auto xdoc = BuildFromSource(entry.id, (*stored)->source, *current_mapping);
        failure = xdoc.ok() ? text->Replace(entry.docid, xdoc.value()) : xdoc.status();
      }
    }
    if (failure.ok() && text == text_.get()) applied_seq_ = entry.seq;
    return failure.ok();
  });
  if (!failure.ok()) return failure;
  if (!s.ok()) return s;
  if (text == text_.get()) applied_seq_ = last_seq_;
  return Status::OK();
}

}  // namespace ultrasearch
