#include "events/positions.h"

#include "events/codec_util.h"

namespace safetynet {
namespace {

// Splits `k` = [incarnation u32 ||] topic || 0x00 || partition u32 [|| rest].
bool SplitPartitionKey(std::string_view k, bool with_incarnation, uint32_t* incarnation, std::string_view* topic,
                       int32_t* partition, std::string_view* rest) {
  if (with_incarnation) {
    if (k.size() < 4) return false;
    *incarnation = DecodeU32(k);
    k.remove_prefix(4);
  }
  const size_t nul = k.find('\0');
  if (nul == std::string_view::npos || k.size() < nul + 5) return false;
  *topic = k.substr(0, nul);
  *partition = static_cast<int32_t>(DecodeU32(k.substr(nul + 1)));
  *rest = k.substr(nul + 5);
  return true;
}

std::string TopicPartition(std::string_view topic, int32_t partition) {
  std::string k(topic);
  k.push_back('\0');
  PutU32(&k, static_cast<uint32_t>(partition));
  return k;
}

bool DecodeIncarnation(uint32_t number, std::string_view v, BrokerIncarnation* out) {
  ByteReader r(v);
  out->number = number;
  out->identity.embedded = r.Varint() != 0;
  out->identity.cluster_id = std::string(r.Bytes());
  out->since_seq = r.Varint();
  return r.ok() && r.done();
}

}  // namespace

std::string BrokerIdentity::Describe() const {
  if (embedded) return "the embedded broker";
  return cluster_id.empty() ? "a cluster of unknown id" : "cluster " + cluster_id;
}

bool IsNewIncarnation(const BrokerIncarnation& current, const BrokerIdentity& now) {
  if (current.number == 0 || now.embedded || current.identity.embedded) return true;
  return !current.identity.cluster_id.empty() && !now.cluster_id.empty() &&
         current.identity.cluster_id != now.cluster_id;
}

std::string IncarnationKey(uint32_t number) {
  std::string k;
  PutU32(&k, number);
  return k;
}

std::string EncodeIncarnation(const BrokerIncarnation& inc) {
  ByteWriter w;
  w.Varint(inc.identity.embedded ? 1 : 0);
  w.Bytes(inc.identity.cluster_id);
  w.Varint(inc.since_seq);
  return std::move(w.buffer());
}

Result<BrokerIncarnation> ReadCurrentIncarnation(const Store& store) {
  BrokerIncarnation inc;
  auto it = store.NewIterator(Cf::kBrokers);
  // The last key is the current incarnation.
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (it->key().size() != 4 || !DecodeIncarnation(DecodeU32(it->key()), it->value(), &inc)) {
      return Status::Corruption("broker incarnation record unreadable");
    }
  }
  if (!it->status().ok()) return it->status();
  return inc;
}

std::vector<BrokerIncarnation> ReadIncarnations(const Store& store) {
  std::vector<BrokerIncarnation> out;
  auto it = store.NewIterator(Cf::kBrokers);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    BrokerIncarnation inc;
    if (it->key().size() == 4 && DecodeIncarnation(DecodeU32(it->key()), it->value(), &inc)) out.push_back(inc);
  }
  return out;
}

std::string PositionKey(uint32_t incarnation, std::string_view topic, int32_t partition) {
  std::string k;
  PutU32(&k, incarnation);
  k.append(TopicPartition(topic, partition));
  return k;
}

std::string OffsetAnomalyKey(uint32_t incarnation, std::string_view topic, int32_t partition, int64_t expected) {
  std::string k = PositionKey(incarnation, topic, partition);
  PutU64(&k, static_cast<uint64_t>(expected));
  return k;
}

SourcePositions ReadOffsets(const Store& store, uint32_t incarnation) {
  SourcePositions out;
  auto it = store.NewIterator(Cf::kOffsets);
  const std::string prefix = IncarnationKey(incarnation);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    uint32_t inc = 0;
    std::string_view topic, rest;
    int32_t partition = 0;
    if (!SplitPartitionKey(it->key(), true, &inc, &topic, &partition, &rest) || !rest.empty()) continue;
    out[{std::string(topic), partition}] = static_cast<int64_t>(DecodeU64(it->value()));
  }
  return out;
}

std::vector<OffsetJump> ReadOffsetJumps(const Store& store) {
  std::vector<OffsetJump> out;
  auto it = store.NewIterator(Cf::kOffsetJumps);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    OffsetJump j;
    std::string_view topic, rest;
    if (!SplitPartitionKey(it->key(), true, &j.incarnation, &topic, &j.partition, &rest) || rest.size() != 8) continue;
    j.topic = std::string(topic);
    j.expected = static_cast<int64_t>(DecodeU64(rest));
    j.got = static_cast<int64_t>(DecodeU64(it->value()));
    out.push_back(std::move(j));
  }
  return out;
}

bool StageUnversionedPositions(const Store& store, Txn& txn) {
  {
    auto it = store.NewIterator(Cf::kBrokers);
    it->SeekToFirst();
    if (it->Valid()) return false;  // incarnations exist: nothing is unversioned
  }
  bool moved = false;
  // Unversioned keys begin with the topic name, never with a 0 byte.
  for (const Cf cf : {Cf::kOffsets, Cf::kOffsetJumps}) {
    auto it = store.NewIterator(cf);
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      const std::string_view k = it->key();
      if (k.empty() || k[0] == '\0') continue;
      uint32_t unused = 0;
      std::string_view topic, rest;
      int32_t partition = 0;
      if (!SplitPartitionKey(k, false, &unused, &topic, &partition, &rest)) continue;
      std::string nk = PositionKey(1, topic, partition);
      nk.append(rest);
      txn.Put(cf, std::move(nk), std::string(it->value()));
      txn.Delete(cf, std::string(k));
      moved = true;
    }
  }
  if (moved) txn.Put(Cf::kBrokers, IncarnationKey(1), EncodeIncarnation({1, {}, 0}));
  return moved;
}

}  // namespace safetynet
