#include "events/merkle.h"

#include <bit>

namespace safetynet::merkle {
namespace {

Sha256& LocalSha() {
  thread_local Sha256 sha;
  return sha;
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

Status InclusionRec(uint64_t m, uint64_t start, uint64_t n, const SubtreeHashFn& subtree, std::vector<Digest>* out) {
  if (n == 1) return Status::Ok();
  const uint64_t k = SplitPoint(n);
  const bool left = m < k;
  Status st = left ? InclusionRec(m, start, k, subtree, out) : InclusionRec(m - k, start + k, n - k, subtree, out);
  if (!st.ok()) return st;
  auto sibling = left ? subtree(start + k, n - k) : subtree(start, k);
  if (!sibling.ok()) return sibling.status();
  out->push_back(*sibling);
  return Status::Ok();
}

Status ConsistencyRec(uint64_t m, uint64_t start, uint64_t n, bool whole, const SubtreeHashFn& subtree,
                      std::vector<Digest>* out) {
  if (m == n) {
    if (whole) return Status::Ok();
    auto h = subtree(start, n);
    if (!h.ok()) return h.status();
    out->push_back(*h);
    return Status::Ok();
  }
  const uint64_t k = SplitPoint(n);
  const bool left = m <= k;
  Status st = left ? ConsistencyRec(m, start, k, whole, subtree, out)
                   : ConsistencyRec(m - k, start + k, n - k, false, subtree, out);
  if (!st.ok()) return st;
  auto other = left ? subtree(start + k, n - k) : subtree(start, k);
  if (!other.ok()) return other.status();
  out->push_back(*other);
  return Status::Ok();
}

}  // namespace

Digest LeafHash(const Digest& chain_hash) {
  Sha256& sha = LocalSha();
  sha.Begin();
  sha.Update(std::string_view("\x00", 1));
  sha.Update({reinterpret_cast<const char*>(chain_hash.data()), chain_hash.size()});
  return sha.Finish();
}

Digest NodeHash(const Digest& left, const Digest& right) {
  Sha256& sha = LocalSha();
  sha.Begin();
  sha.Update(std::string_view("\x01", 1));
  sha.Update({reinterpret_cast<const char*>(left.data()), left.size()});
  sha.Update({reinterpret_cast<const char*>(right.data()), right.size()});
  return sha.Finish();
}

Digest EmptyRoot() {
  Sha256& sha = LocalSha();
  sha.Begin();
  return sha.Finish();
}

uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Result<Frontier> Frontier::FromNodes(uint64_t size, std::vector<Digest> nodes) {
  if (static_cast<size_t>(std::popcount(size)) != nodes.size()) {
    return Status::Invalid("a frontier of " + std::to_string(size) + " leaves has " +
                           std::to_string(std::popcount(size)) + " nodes, not " + std::to_string(nodes.size()));
  }
  Frontier f;
  f.size_ = size;
  f.nodes_ = std::move(nodes);
  return f;
}

void Frontier::Append(const Digest& leaf_hash, const OnNode& on_node) {
  Digest h = leaf_hash;
  NodeId id{0, size_};
  if (on_node) on_node(id, h);
  while (((size_ >> id.level) & 1) != 0) {
    h = NodeHash(nodes_.back(), h);
    nodes_.pop_back();
    ++id.level;
    id.index >>= 1;
    if (on_node) on_node(id, h);
  }
  nodes_.push_back(h);
  ++size_;
}

Digest Frontier::Root() const {
  if (nodes_.empty()) return EmptyRoot();
  Digest r = nodes_.back();
  for (size_t i = nodes_.size() - 1; i-- > 0;) r = NodeHash(nodes_[i], r);
  return r;
}

Result<Digest> SubtreeFromComplete(uint64_t start, uint64_t size, const SubtreeHashFn& complete) {
  if (size == 0) return Status::Invalid("an empty subtree has no hash");
  if (IsPowerOfTwo(size)) return complete(start, size);
  const uint64_t k = SplitPoint(size);
  auto left = SubtreeFromComplete(start, k, complete);
  if (!left.ok()) return left;
  auto right = SubtreeFromComplete(start + k, size - k, complete);
  if (!right.ok()) return right;
  return NodeHash(*left, *right);
}

Result<std::vector<Digest>> InclusionPath(uint64_t index, uint64_t size, const SubtreeHashFn& subtree) {
  if (index >= size) {
    return Status::Invalid("leaf " + std::to_string(index) + " is not in a tree of " + std::to_string(size));
  }
  std::vector<Digest> path;
  Status st = InclusionRec(index, 0, size, subtree, &path);
  if (!st.ok()) return st;
  return path;
}

Result<std::vector<Digest>> ConsistencyPath(uint64_t from, uint64_t to, const SubtreeHashFn& subtree) {
  if (from == 0 || from > to) {
    return Status::Invalid("a consistency proof needs 1 <= from <= to (from " + std::to_string(from) + ", to " +
                           std::to_string(to) + ")");
  }
  std::vector<Digest> path;
  Status st = ConsistencyRec(from, 0, to, true, subtree, &path);
  if (!st.ok()) return st;
  return path;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Digest& leaf_hash, std::span<const Digest> path,
                       const Digest& root) {
  if (index >= size) return Status::Invalid("the leaf index is not below the tree size");
  uint64_t fn = index, sn = size - 1;
  Digest r = leaf_hash;
  for (const Digest& p : path) {
    if (sn == 0) return Status::Invalid("the audit path is longer than the tree is deep");
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::Invalid("the audit path is shorter than the tree is deep");
  if (r != root) return Status::Invalid("the audit path leads to another root");
  return Status::Ok();
}

Status VerifyConsistency(uint64_t from, uint64_t to, const Digest& from_root, const Digest& to_root,
                         std::span<const Digest> path) {
  if (from == 0 || from > to) return Status::Invalid("a consistency proof needs 1 <= from <= to");
  if (from == to) {
    if (!path.empty()) return Status::Invalid("a proof between equal sizes must be empty");
    if (from_root != to_root) return Status::Invalid("equal tree sizes with different roots");
    return Status::Ok();
  }
  if (path.empty()) return Status::Invalid("the consistency proof is empty");
  std::vector<Digest> nodes;
  if (IsPowerOfTwo(from)) nodes.push_back(from_root);
  nodes.insert(nodes.end(), path.begin(), path.end());
  uint64_t fn = from - 1, sn = to - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest fr = nodes[0], sr = nodes[0];
  for (size_t i = 1; i < nodes.size(); ++i) {
    const Digest& c = nodes[i];
    if (sn == 0) return Status::Invalid("the consistency proof is longer than the tree is deep");
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Status::Invalid("the consistency proof is shorter than the tree is deep");
  if (fr != from_root) return Status::Invalid("the proof does not lead to the older root");
  if (sr != to_root) return Status::Invalid("the proof does not lead to the newer root");
  return Status::Ok();
}

std::string Hex(const Digest& d) { return ToHex(std::span<const uint8_t>(d.data(), d.size())); }

Result<Digest> ParseHex(std::string_view hex) {
  std::string raw;
  if (hex.size() != 64 || !FromHex(hex, &raw)) return Status::Invalid("a hash is 64 hex characters");
  Digest d{};
  std::copy_n(raw.data(), 32, reinterpret_cast<char*>(d.data()));
  return d;
}

}  // namespace safetynet::merkle
