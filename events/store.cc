#include "events/store.h"

#include "events/codec_util.h"
#include "events/crypto.h"

namespace safetynet {

const char* CfName(Cf cf) {
  switch (cf) {
    case Cf::kLog: return "log";
    case Cf::kEventIds: return "event_ids";
    case Cf::kPersonEvents: return "person_events";
    case Cf::kDeadLetters: return "deadletters";
    case Cf::kOffsets: return "offsets";
    case Cf::kOffsetJumps: return "offset_jumps";
    case Cf::kMeta: return "meta";
    case Cf::kPersons: return "persons";
    case Cf::kCoverage: return "coverage";
    case Cf::kCoverageGaps: return "coverage_gaps";
    case Cf::kProjMeta: return "proj_meta";
    case Cf::kCount: break;
  }
  return "?";
}

bool IsProjectionCf(Cf cf) {
  return cf == Cf::kPersons || cf == Cf::kCoverage || cf == Cf::kCoverageGaps || cf == Cf::kProjMeta;
}

Status Txn::Get(Cf cf, std::string_view key, std::string* value) const {
  for (const Txn* t = this; t != nullptr; t = t->parent_) {
    const Pending& p = t->pending_[static_cast<size_t>(cf)];
    if (auto it = p.find(key); it != p.end()) {
      if (!it->second) return Status::NotFound("deleted");
      *value = *it->second;
      return Status::Ok();
    }
  }
  return store_->Get(cf, key, value);
}

bool Txn::empty() const {
  for (const auto& p : pending_) {
    if (!p.empty()) return false;
  }
  return true;
}

void Txn::Clear() {
  for (auto& p : pending_) p.clear();
}

std::string ProjectionDigestHex(const Store& store) {
  Sha256 sha;
  sha.Begin();
  for (size_t i = 0; i < kCfCount; ++i) {
    const Cf cf = static_cast<Cf>(i);
    if (!IsProjectionCf(cf)) continue;
    sha.Update(CfName(cf));
    auto it = store.NewIterator(cf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      sha.Update(EncodeU64(it->key().size()));
      sha.Update(it->key());
      sha.Update(EncodeU64(it->value().size()));
      sha.Update(it->value());
    }
  }
  return ToHex(sha.Finish());
}

}  // namespace safetynet
