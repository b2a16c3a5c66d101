#include "tools/evidence.h"

#include <algorithm>

#include "daemon/base64.h"
#include "daemon/ledger_json.h"
#include "events/codec.h"
#include "events/codec_util.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "events/tree_head.h"
#include "projections/claims/claim_projection.h"
#include "projections/claims/claim_state.h"
#include "projections/coverage/person_projection.h"

namespace safetynet {
namespace {

// The seqs of one person's events, in order.
Status PersonSeqs(const Store& store, const std::string& person_key, std::vector<uint64_t>* out) {
  auto it = store.NewIterator(Cf::kPersonEvents);
  for (it->Seek(person_key); it->Valid() && it->key().substr(0, 32) == person_key; it->Next()) {
    out->push_back(DecodeU64(it->key().substr(32)));
  }
  return it->status();
}

// A record the selection named must be there: one missing is damage.
Result<LogRecord> ReadRecord(const Store& store, uint64_t seq) {
  auto rec = ReadLogRecord(store, seq);
  if (rec.status().IsNotFound()) return Status::Corruption("log record " + std::to_string(seq) + " missing");
  return rec;
}

Status Select(const Store& store, const std::function<std::string(std::string_view)>& hash_raw,
              const EvidenceSelection& sel, Json* selection, std::vector<uint64_t>* seqs) {
  if (!sel.person.empty()) {
    auto key = ResolvePerson(store, sel.person, hash_raw);
    if (!key.ok()) return key.status();
    (*selection)["person"] = ToHex(*key);
    return PersonSeqs(store, *key, seqs);
  }
  if (!sel.claim.empty()) {
    std::string v;
    ClaimState claim;
    Status st = store.Get(Cf::kClaims, sel.claim, &v);
    if (st.IsNotFound()) return Status::NotFound("unknown claim " + sel.claim);
    if (!st.ok()) return st;
    if (!ClaimState::Decode(v, &claim)) return Status::Corruption("claim " + sel.claim + " unreadable");
    (*selection)["claim_id"] = sel.claim;
    std::vector<uint64_t> all;
    st = PersonSeqs(store, PersonKey(claim.person), &all);
    if (!st.ok()) return st;
    for (uint64_t seq : all) {
      auto rec = ReadRecord(store, seq);
      if (!rec.ok()) return rec.status();
      if (ClaimIdOf(*ReadEvent(rec->event)) == sel.claim) seqs->push_back(seq);
    }
    return Status::Ok();
  }
  if (sel.from == 0 || sel.to == 0 || sel.from > sel.to) {
    return Status::Invalid("give --person, --claim, or --region with --from and --to (from <= to)");
  }
  *selection = Json{{"region", sel.region}, {"from", sel.from}, {"to", sel.to}};
  auto it = store.NewIterator(Cf::kLog);
  LogRecord rec;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const uint64_t seq = DecodeU64(it->key());
    Status st = ParseLogValue(seq, it->value(), &rec);
    if (!st.ok()) return st;
    const fb::Event* e = ReadEvent(rec.event);
    const std::string_view region = e->region() != nullptr ? e->region()->string_view() : std::string_view();
    if (region.substr(0, sel.region.size()) == sel.region && e->occurred_on() >= sel.from &&
        e->occurred_on() <= sel.to) {
      seqs->push_back(seq);
      if (seqs->size() > sel.max_events) break;
    }
  }
  return it->status();
}

}  // namespace

Result<Json> ExportEvidence(const Store& store, const Ed25519Signer& signer,
                            const std::function<std::string(std::string_view)>& hash_raw,
                            const EvidenceSelection& sel) {
  auto head = ReadHead(store);
  if (!head.ok()) return head.status();
  Json selection;
  std::vector<uint64_t> seqs;
  Status st = Select(store, hash_raw, sel, &selection, &seqs);
  if (!st.ok()) return st;
  seqs.erase(std::remove_if(seqs.begin(), seqs.end(), [&](uint64_t s) { return s > head->seq; }), seqs.end());
  if (seqs.empty()) return Status::NotFound("the selection names no event of the ledger");
  if (seqs.size() > sel.max_events) {
    return Status::Invalid("the selection names more than " + std::to_string(sel.max_events) + " events: narrow it");
  }
  const MerkleReader tree(store);
  auto root = tree.Root(head->seq);
  if (!root.ok()) return root.status();
  EventCodec codec;
  Json events = Json::array();
  for (uint64_t seq : seqs) {
    auto rec = ReadRecord(store, seq);
    if (!rec.ok()) return rec.status();
    auto prev = LogPointAt(store, seq - 1);
    auto path = tree.Inclusion(seq, head->seq);
    auto shown = EventOf(codec, seq, rec->event, &rec->hash);
    for (const Status* s : {&prev.status(), &path.status(), &shown.status()}) {
      if (!s->ok()) return *s;
    }
    Json paths = Json::array();
    for (const Digest& d : *path) paths.push_back(merkle::Hex(d));
    events.push_back(Json{{"seq", seq},
                          {"prev_hash", merkle::Hex(prev->chain_head)},
                          {"hash", merkle::Hex(rec->hash)},
                          {"event_base64", Base64Encode(rec->event)},
                          {"event", Json::parse(shown->event.text)},
                          {"path", std::move(paths)}});
  }
  return Json{{"format", kEvidenceFormat},
              {"selection", std::move(selection)},
              {"head", TreeHeadJson(SignTreeHead(signer, head->seq, *root))},
              {"events", std::move(events)}};
}

Result<std::string> CheckEvidence(const Json& bundle, const Ed25519Verifier& key) {
  if (!bundle.contains("format") || bundle["format"] != kEvidenceFormat) {
    return Status::Invalid(std::string("not a bundle of format ") + kEvidenceFormat);
  }
  if (!bundle.contains("head")) return Status::Invalid("the bundle has no \"head\"");
  auto head = ParseTreeHead(bundle["head"]);
  if (!head.ok()) return Status::Invalid("\"head\": " + head.status().message());
  Status st = CheckTreeHead(key, *head);
  if (!st.ok()) return st;
  if (!bundle.contains("events") || !bundle["events"].is_array() || bundle["events"].empty()) {
    return Status::Invalid("the bundle holds no events");
  }
  EventCodec codec;
  Sha256 sha;
  uint64_t last = 0;
  for (const Json& e : bundle["events"]) {
    auto seq = ParseU64Field(e, "seq");
    if (!seq.ok()) return seq.status();
    const std::string at = "event " + std::to_string(*seq) + ": ";
    if (*seq <= last) return Status::Invalid(at + "out of order (after event " + std::to_string(last) + ")");
    if (*seq > head->tree_size) return Status::Invalid(at + "beyond the head's tree");
    last = *seq;
    auto prev = ParseDigestField(e, "prev_hash");
    auto hash = ParseDigestField(e, "hash");
    auto path = ParsePath(e);
    for (const Status* s : {&prev.status(), &hash.status(), &path.status()}) {
      if (!s->ok()) return Status::Invalid(at + s->message());
    }
    std::string bytes;
    if (!e.contains("event_base64") || !e["event_base64"].is_string() ||
        !Base64Decode(e["event_base64"].get<std::string>(), &bytes)) {
      return Status::Invalid(at + "\"event_base64\" is not base64");
    }
    if (!VerifyEventBuffer(bytes)) return Status::Invalid(at + "the bytes are not an event");
    if (ChainHash(sha, *prev, *seq, bytes) != *hash) {
      return Status::Invalid(at + "its bytes and prev_hash do not give its hash");
    }
    st = merkle::VerifyInclusion(*seq - 1, head->tree_size, merkle::LeafHash(*hash), *path, head->root);
    if (!st.ok()) return Status::Invalid(at + "not in the signed tree: " + st.message());
    auto shown = EventOf(codec, *seq, bytes, nullptr);
    if (!shown.ok()) return Status::Invalid(at + shown.status().message());
    // Compared as JSON values: key order is the writer's.
    const auto canonical = [](const Json& j) { return nlohmann::json::parse(j.dump()); };
    if (!e.contains("event") || canonical(e["event"]) != nlohmann::json::parse(shown->event.text)) {
      return Status::Invalid(at + "its JSON form is not that of its bytes");
    }
  }
  return std::to_string(bundle["events"].size()) + " events, each in the signed tree of " +
         std::to_string(head->tree_size) + " events";
}

}  // namespace safetynet
