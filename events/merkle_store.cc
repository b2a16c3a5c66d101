#include "events/merkle_store.h"

#include <bit>

#include "events/codec_util.h"
#include "events/ledger.h"

namespace safetynet {
namespace {

constexpr uint64_t kStoredLeaves = uint64_t{1} << kMerkleStoredLevel;

Status NodeMissing(merkle::NodeId n) {
  return Status::Corruption("merkle node " + std::to_string(n.level) + "/" + std::to_string(n.index) +
                            " is missing from the ledger");
}

// The chain hash held at the front of a log record.
Status ChainHashOf(uint64_t seq, std::string_view value, Digest* out) {
  if (value.size() < 32 + 8) return Status::Corruption("log record " + std::to_string(seq) + " too short");
  std::copy_n(value.data(), 32, reinterpret_cast<char*>(out->data()));
  return Status::Ok();
}

}  // namespace

std::string MerkleNodeKey(merkle::NodeId node) {
  std::string key(1, static_cast<char>(node.level));
  PutU64(&key, node.index);
  return key;
}

Result<Digest> MerkleReader::FromLog(uint64_t start, uint64_t size) const {
  merkle::Frontier f;
  auto it = store_.NewIterator(Cf::kLog);
  uint64_t seq = start + 1;
  for (it->Seek(LogKey(seq)); it->Valid() && f.size() < size; it->Next(), ++seq) {
    if (DecodeU64(it->key()) != seq) return Status::Corruption("log record " + std::to_string(seq) + " is missing");
    Digest chain{};
    Status st = ChainHashOf(seq, it->value(), &chain);
    if (!st.ok()) return st;
    f.Append(merkle::LeafHash(chain));
  }
  if (!it->status().ok()) return it->status();
  if (f.size() < size) return Status::Invalid("the log holds no event " + std::to_string(seq));
  return f.Root();
}

Result<Digest> MerkleReader::Complete(uint64_t start, uint64_t size) const {
  const auto level = static_cast<uint32_t>(std::countr_zero(size));
  if (level < kMerkleStoredLevel || start % size != 0) return FromLog(start, size);
  const merkle::NodeId id{level, start >> level};
  std::string v;
  Status st = store_.Get(Cf::kMerkle, MerkleNodeKey(id), &v);
  if (st.IsNotFound()) return NodeMissing(id);
  if (!st.ok()) return st;
  if (v.size() != 32) return Status::Corruption("merkle node has wrong size");
  Digest d{};
  std::copy_n(v.data(), 32, reinterpret_cast<char*>(d.data()));
  return d;
}

Result<Digest> MerkleReader::Subtree(uint64_t start, uint64_t size) const {
  return merkle::SubtreeFromComplete(start, size, [this](uint64_t s, uint64_t n) { return Complete(s, n); });
}

Result<Digest> MerkleReader::Root(uint64_t size) const {
  if (size == 0) return merkle::EmptyRoot();
  return Subtree(0, size);
}

Result<std::vector<Digest>> MerkleReader::Inclusion(uint64_t seq, uint64_t size) const {
  if (seq == 0) return Status::Invalid("seq starts at 1");
  return merkle::InclusionPath(seq - 1, size, [this](uint64_t s, uint64_t n) { return Subtree(s, n); });
}

Result<std::vector<Digest>> MerkleReader::Consistency(uint64_t from, uint64_t to) const {
  return merkle::ConsistencyPath(from, to, [this](uint64_t s, uint64_t n) { return Subtree(s, n); });
}

Result<Digest> MerkleReader::Leaf(uint64_t seq) const {
  std::string v;
  Status st = store_.Get(Cf::kLog, LogKey(seq), &v);
  if (st.IsNotFound()) return Status::NotFound("the log holds no event " + std::to_string(seq));
  if (!st.ok()) return st;
  Digest chain{};
  st = ChainHashOf(seq, v, &chain);
  if (!st.ok()) return st;
  return merkle::LeafHash(chain);
}

Result<std::vector<Digest>> MerkleReader::FrontierNodes(uint64_t size) const {
  std::vector<Digest> nodes;
  uint64_t start = 0;
  for (int bit = 63; bit >= 0; --bit) {
    const uint64_t n = uint64_t{1} << bit;
    if ((size & n) == 0) continue;
    auto h = Complete(start, n);
    if (!h.ok()) return h.status();
    nodes.push_back(*h);
    start += n;
  }
  return nodes;
}

Result<LogPoint> LogPointAt(const Store& store, uint64_t seq) {
  LogPoint p;
  p.seq = seq;
  if (seq > 0) {
    std::string v;
    Status st = store.Get(Cf::kLog, LogKey(seq), &v);
    if (st.IsNotFound()) return Status::NotFound("the log holds no event " + std::to_string(seq));
    if (!st.ok()) return st;
    st = ChainHashOf(seq, v, &p.chain_head);
    if (!st.ok()) return st;
  }
  auto root = MerkleReader(store).Root(seq);
  if (!root.ok()) return root.status();
  p.root = *root;
  return p;
}

void MerkleWriter::Append(Txn& txn, const Digest& chain_hash) {
  frontier_.Append(merkle::LeafHash(chain_hash), [&txn](merkle::NodeId id, const Digest& h) {
    if (id.level >= kMerkleStoredLevel) {
      txn.Put(Cf::kMerkle, MerkleNodeKey(id), std::string(reinterpret_cast<const char*>(h.data()), h.size()));
    }
  });
}

bool MerkleTreeStored(const Store& store, uint64_t size) {
  if (size < kStoredLeaves) return true;  // nothing is stored below 16 leaves
  std::string v;
  return store.Get(Cf::kMerkle, MerkleNodeKey({kMerkleStoredLevel, size / kStoredLeaves - 1}), &v).ok();
}

Result<MerkleWriter> MerkleWriter::Open(Store& store, uint64_t size) {
  const MerkleReader reader(store);
  if (MerkleTreeStored(store, size)) {
    auto nodes = reader.FrontierNodes(size);
    if (!nodes.ok()) return nodes.status();
    auto f = merkle::Frontier::FromNodes(size, std::move(*nodes));
    if (!f.ok()) return f.status();
    return MerkleWriter(std::move(*f));
  }
  // A ledger older than the tree: build its nodes from the log, once.
  MerkleWriter w{merkle::Frontier()};
  auto it = store.NewIterator(Cf::kLog);
  auto txn = std::make_unique<Txn>(store);
  uint64_t seq = 1;
  for (it->SeekToFirst(); it->Valid() && seq <= size; it->Next(), ++seq) {
    if (DecodeU64(it->key()) != seq) return Status::Corruption("log record " + std::to_string(seq) + " is missing");
    Digest chain{};
    Status st = ChainHashOf(seq, it->value(), &chain);
    if (!st.ok()) return st;
    w.Append(*txn, chain);
    if (seq % (uint64_t{1} << 18) == 0 || seq == size) {
      st = store.Write(*txn, /*sync=*/true);
      if (!st.ok()) return st;
      txn = std::make_unique<Txn>(store);
    }
  }
  if (!it->status().ok()) return it->status();
  if (w.frontier().size() != size) return Status::Corruption("the log ends before its head");
  return w;
}

}  // namespace safetynet
