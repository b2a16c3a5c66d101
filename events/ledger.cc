#include "events/ledger.h"

#include <cassert>

#include "events/codec_util.h"

namespace safetynet {
namespace {

constexpr std::string_view kHeadKey = "head";
constexpr std::string_view kCountersKey = "counters";
constexpr std::string_view kDeadLetterNextKey = "deadletter_next";

std::string EncodeCounters(const LedgerCounters& c) {
  ByteWriter w;
  w.Varint(c.appended);
  w.Varint(c.duplicates);
  w.Varint(c.rejected);
  w.Varint(c.offset_jumps);
  w.Varint(c.skipped_messages);
  w.Varint(c.offset_rewinds);
  return std::move(w.buffer());
}

// Days in descending order, so that a seek finds the latest day at or before one.
constexpr std::string_view kIngestDayPrefix = "ingested_on";
std::string IngestDayKey(int32_t day) {
  std::string key(kIngestDayPrefix);
  key.push_back('/');
  const uint32_t inverted = ~static_cast<uint32_t>(day);
  for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>((inverted >> shift) & 0xff));
  return key;
}

}  // namespace

Digest ChainHash(Sha256& sha, const Digest& prev, uint64_t seq, std::string_view event) {
  sha.Begin();
  sha.Update({reinterpret_cast<const char*>(prev.data()), prev.size()});
  sha.Update(EncodeU64(seq));
  sha.Update(event);
  return sha.Finish();
}

std::string LogKey(uint64_t seq) { return EncodeU64(seq); }

Status ParseLogValue(uint64_t seq, std::string_view value, LogRecord* out) {
  if (value.size() < 32 + 8) return Status::Corruption("log record " + std::to_string(seq) + " too short");
  out->seq = seq;
  std::copy_n(value.data(), 32, reinterpret_cast<char*>(out->hash.data()));
  out->event.assign(value.substr(32));
  return Status::Ok();
}

Result<LogRecord> ReadLogRecord(const Store& store, uint64_t seq) {
  std::string value;
  Status st = store.Get(Cf::kLog, LogKey(seq), &value);
  if (st.IsNotFound()) return Status::NotFound("the log holds no event " + std::to_string(seq));
  LogRecord rec;
  if (st.ok()) st = ParseLogValue(seq, value, &rec);
  if (!st.ok()) return st;
  return rec;
}

Result<LogHead> ReadHead(const Store& store) {
  LogHead head;
  std::string v;
  Status st = store.Get(Cf::kMeta, kHeadKey, &v);
  if (st.IsNotFound()) return head;
  if (!st.ok()) return st;
  if (v.size() != 40) return Status::Corruption("log head has wrong size");
  head.seq = DecodeU64(v);
  std::copy_n(v.data() + 8, 32, reinterpret_cast<char*>(head.hash.data()));
  return head;
}

Result<LedgerCounters> ReadCounters(const Store& store) {
  LedgerCounters c;
  std::string v;
  Status st = store.Get(Cf::kMeta, kCountersKey, &v);
  if (st.IsNotFound()) return c;
  if (!st.ok()) return st;
  ByteReader r(v);
  c.appended = r.Varint();
  c.duplicates = r.Varint();
  c.rejected = r.Varint();
  c.offset_jumps = r.Varint();
  c.skipped_messages = r.Varint();
  if (!r.done()) c.offset_rewinds = r.Varint();  // absent in ledgers older than rewinds
  if (!r.ok()) return Status::Corruption("counters unreadable");
  return c;
}

Result<uint64_t> SeqIngestedBy(const Store& store, int32_t day) {
  const std::string prefix = std::string(kIngestDayPrefix) + "/";
  auto it = store.NewIterator(Cf::kMeta);
  it->Seek(IngestDayKey(day));
  if (!it->status().ok()) return it->status();
  if (!it->Valid() || it->key().substr(0, prefix.size()) != prefix) return uint64_t{0};
  if (it->value().size() != 8) return Status::Corruption("ingest day record has wrong size");
  return DecodeU64(it->value());
}

Result<std::unique_ptr<LedgerWriter>> LedgerWriter::Open(Store& store, Sealer sealer) {
  auto w = std::unique_ptr<LedgerWriter>(new LedgerWriter(std::move(sealer)));
  if (Txn upgrade(store); StageUnversionedPositions(store, upgrade)) {
    Status st = store.Write(upgrade, true);
    if (!st.ok()) return st;
  }
  auto incarnation = ReadCurrentIncarnation(store);
  if (!incarnation.ok()) return incarnation.status();
  w->incarnation_ = *incarnation;
  auto head = ReadHead(store);
  if (!head.ok()) return head.status();
  auto counters = ReadCounters(store);
  if (!counters.ok()) return counters.status();
  w->head_ = w->committed_head_ = *head;
  auto tree = MerkleWriter::Open(store, head->seq);
  if (!tree.ok()) return tree.status();
  w->tree_ = std::move(*tree);
  w->committed_tree_ = w->tree_.frontier();
  w->pending_ = w->committed_ = *counters;
  std::string v;
  if (store.Get(Cf::kMeta, kDeadLetterNextKey, &v).ok()) w->next_deadletter_id_ = DecodeU64(v);
  w->committed_deadletter_id_ = w->next_deadletter_id_;
  return w;
}

LedgerWriter::Outcome LedgerWriter::Append(Txn& txn, std::string_view stored, const fb::Event& event, uint64_t* seq) {
  const std::string_view event_id = event.event_id()->string_view();
  std::string existing;
  if (txn.Get(Cf::kEventIds, event_id, &existing).ok()) {
    const uint64_t old_seq = DecodeU64(existing);
    std::string value;
    LogRecord rec;
    const bool same = txn.Get(Cf::kLog, LogKey(old_seq), &value).ok() && ParseLogValue(old_seq, value, &rec).ok() &&
                      rec.event == stored;
    *seq = old_seq;
    if (same) {
      ++pending_.duplicates;
      return Outcome::kDuplicate;
    }
    return Outcome::kConflict;
  }
  const uint64_t s = head_.seq + 1;
  const Digest h = ChainHash(sha_, head_.hash, s, stored);
  std::string value;
  value.reserve(32 + stored.size());
  value.append(reinterpret_cast<const char*>(h.data()), h.size());
  value.append(stored);
  txn.Put(Cf::kLog, LogKey(s), std::move(value));
  tree_.Append(txn, h);
  txn.Put(Cf::kEventIds, std::string(event_id), EncodeU64(s));
  if (const auto* person = event.person_id(); person != nullptr && person->size() > 0) {
    std::string raw;
    const bool hex = FromHex(person->string_view(), &raw);
    assert(hex && raw.size() == 32);
    (void)hex;
    PutU64(&raw, s);
    txn.Put(Cf::kPersonEvents, std::move(raw), {});
  }
  head_.seq = s;
  head_.hash = h;
  ++pending_.appended;
  *seq = s;
  return Outcome::kAppended;
}

void LedgerWriter::DeadLetter(Txn& txn, const MessagePosition& pos, std::string_view value, std::string_view reason) {
  ByteWriter w;
  w.Bytes(pos.topic);
  w.Varint(static_cast<uint32_t>(pos.partition));
  w.Varint(static_cast<uint64_t>(pos.kafka_offset));
  w.Bytes(reason);
  w.Bytes(value);
  const uint64_t id = next_deadletter_id_++;
  txn.Put(Cf::kDeadLetters, EncodeU64(id), sealer_.Seal(w.buffer()));
  txn.Put(Cf::kMeta, std::string(kDeadLetterNextKey), EncodeU64(next_deadletter_id_));
  ++pending_.rejected;
}

Result<LedgerWriter::Adoption> LedgerWriter::AdoptBroker(Store& store, const BrokerIdentity& now) {
  assert(finished_.empty() && "adopt the broker before the first batch");
  BrokerIncarnation next = incarnation_;
  Adoption adoption = Adoption::kSame;
  if (IsNewIncarnation(incarnation_, now)) {
    next = {incarnation_.number + 1, now, committed_head_.seq};
    adoption = Adoption::kNew;
  } else if (incarnation_.identity.cluster_id.empty() && !now.cluster_id.empty()) {
    next.identity.cluster_id = now.cluster_id;
    adoption = Adoption::kLearned;
  }
  if (adoption == Adoption::kSame) return adoption;
  Txn txn(store);
  txn.Put(Cf::kBrokers, IncarnationKey(next.number), EncodeIncarnation(next));
  Status st = store.Write(txn, true);
  if (!st.ok()) return st;
  incarnation_ = next;
  return adoption;
}

void LedgerWriter::SetNextOffset(Txn& txn, std::string_view topic, int32_t partition, int64_t next_offset) {
  assert(incarnation_.number != 0 && "positions belong to a broker incarnation: AdoptBroker first");
  txn.Put(Cf::kOffsets, PositionKey(incarnation_.number, topic, partition),
          EncodeU64(static_cast<uint64_t>(next_offset)));
}

void LedgerWriter::RecordJump(Txn& txn, std::string_view topic, int32_t partition, int64_t expected, int64_t got) {
  txn.Put(Cf::kOffsetJumps, OffsetAnomalyKey(incarnation_.number, topic, partition, expected),
          EncodeU64(static_cast<uint64_t>(got)));
  if (got < expected) {
    ++pending_.offset_rewinds;
  } else {
    ++pending_.offset_jumps;
    pending_.skipped_messages += static_cast<uint64_t>(got - expected);
  }
}

void LedgerWriter::FinishBatch(Txn& txn, int32_t ingest_day) {
  if (ingest_day > 0 && head_.seq > 0) txn.Put(Cf::kMeta, IngestDayKey(ingest_day), EncodeU64(head_.seq));
  std::string head = EncodeU64(head_.seq);
  head.append(reinterpret_cast<const char*>(head_.hash.data()), head_.hash.size());
  txn.Put(Cf::kMeta, std::string(kHeadKey), std::move(head));
  txn.Put(Cf::kMeta, std::string(kCountersKey), EncodeCounters(pending_));
  finished_.push_back({head_, pending_, next_deadletter_id_, tree_.frontier()});
}

void LedgerWriter::Committed() {
  assert(!finished_.empty());
  committed_head_ = finished_.front().head;
  committed_ = finished_.front().counters;
  committed_deadletter_id_ = finished_.front().next_deadletter_id;
  committed_tree_ = std::move(finished_.front().tree);
  finished_.pop_front();
}

void LedgerWriter::Abandon() {
  finished_.clear();
  head_ = committed_head_;
  pending_ = committed_;
  next_deadletter_id_ = committed_deadletter_id_;
  tree_.Reset(committed_tree_);
}

Status OpenDeadLetter(const Sealer& sealer, uint64_t id, std::string_view sealed, DeadLetter* out) {
  std::string plain;
  Status st = sealer.Open(sealed, &plain);
  if (!st.ok()) return st;
  ByteReader r(plain);
  out->id = id;
  out->topic = std::string(r.Bytes());
  out->partition = static_cast<int32_t>(r.Varint());
  out->kafka_offset = static_cast<int64_t>(r.Varint());
  out->reason = std::string(r.Bytes());
  out->value = std::string(r.Bytes());
  if (!r.ok()) return Status::Corruption("dead letter " + std::to_string(id) + " unreadable");
  return Status::Ok();
}

}  // namespace safetynet
