// The log's Merkle tree: the arithmetic against RFC 9162's definitions
// written out naively here (MTH, PATH, PROOF by recursion over a vector),
// the stored tree of a real ledger against the same, adversarial proofs,
// signed heads, and verify finding a tampered node, a cut log and a
// rewritten one given a head published before.
#include "events/merkle.h"

#include <gtest/gtest.h>

#include <random>

#include "daemon/ledger_json.h"
#include "events/codec.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "events/tree_head.h"
#include "replay/replay.h"
#include "tests/log_fixture.h"
#include "tests/mem_store.h"
#include "tools/proof_check.h"

namespace safetynet {
namespace {

using merkle::NodeHash;

// --- RFC 9162 §2.1, written the way the RFC states it -------------------

Digest Mth(const std::vector<Digest>& leaves, size_t lo, size_t hi) {
  const size_t n = hi - lo;
  if (n == 0) return merkle::EmptyRoot();
  if (n == 1) return leaves[lo];
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return NodeHash(Mth(leaves, lo, lo + k), Mth(leaves, lo + k, hi));
}

std::vector<Digest> Path(const std::vector<Digest>& d, size_t m, size_t lo, size_t hi) {
  const size_t n = hi - lo;
  if (n <= 1) return {};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<Digest> out;
  if (m < k) {
    out = Path(d, m, lo, lo + k);
    out.push_back(Mth(d, lo + k, hi));
  } else {
    out = Path(d, m - k, lo + k, hi);
    out.push_back(Mth(d, lo, lo + k));
  }
  return out;
}

std::vector<Digest> SubProof(const std::vector<Digest>& d, size_t m, size_t lo, size_t hi, bool b) {
  const size_t n = hi - lo;
  if (m == n) return b ? std::vector<Digest>{} : std::vector<Digest>{Mth(d, lo, hi)};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<Digest> out;
  if (m <= k) {
    out = SubProof(d, m, lo, lo + k, b);
    out.push_back(Mth(d, lo + k, hi));
  } else {
    out = SubProof(d, m - k, lo + k, hi, false);
    out.push_back(Mth(d, lo, lo + k));
  }
  return out;
}

std::vector<Digest> Leaves(size_t n) {
  std::vector<Digest> out;
  for (size_t i = 0; i < n; ++i) {
    Digest chain{};
    chain[0] = static_cast<uint8_t>(i);
    chain[1] = static_cast<uint8_t>(i >> 8);
    out.push_back(merkle::LeafHash(chain));
  }
  return out;
}

merkle::SubtreeHashFn Over(const std::vector<Digest>& leaves) {
  return [&leaves](uint64_t start, uint64_t size) -> Result<Digest> { return Mth(leaves, start, start + size); };
}

TEST(MerkleTest, HashesAreTheRfcsWithItsDomainSeparation) {
  // The leaf and node prefixes: 0x00 and 0x01 (no second-preimage splice).
  Digest chain{};
  Sha256 sha;
  sha.Begin();
  sha.Update(std::string(1, '\0') + std::string(32, '\0'));
  EXPECT_EQ(merkle::LeafHash(chain), sha.Finish());
  sha.Begin();
  sha.Update(std::string(1, '\1') + std::string(64, '\0'));
  EXPECT_EQ(NodeHash(chain, chain), sha.Finish());
  // SHA-256 of nothing.
  EXPECT_EQ(merkle::Hex(merkle::EmptyRoot()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTest, FrontierRootIsTheTreeHashAtEverySize) {
  const auto leaves = Leaves(300);
  merkle::Frontier f;
  EXPECT_EQ(f.Root(), merkle::EmptyRoot());
  for (size_t n = 1; n <= leaves.size(); ++n) {
    f.Append(leaves[n - 1]);
    ASSERT_EQ(f.Root(), Mth(leaves, 0, n)) << n;
    ASSERT_EQ(f.nodes().size(), static_cast<size_t>(std::popcount(n)));
  }
}

TEST(MerkleTest, FrontierReportsEveryCompleteSubtreeItFinishes) {
  const auto leaves = Leaves(64);
  merkle::Frontier f;
  size_t reported = 0;
  for (const Digest& l : leaves) {
    f.Append(l, [&](merkle::NodeId id, const Digest& h) {
      const size_t lo = id.index << id.level, hi = lo + (size_t{1} << id.level);
      EXPECT_EQ(h, Mth(leaves, lo, hi)) << id.level << "/" << id.index;
      ++reported;
    });
  }
  EXPECT_EQ(reported, 127u);  // every node of the perfect tree of 64 leaves
}

TEST(MerkleTest, PathsAndProofsAreTheRfcsAndVerify) {
  const auto leaves = Leaves(70);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    const Digest root = Mth(leaves, 0, n);
    for (uint64_t m = 0; m < n; ++m) {
      auto path = merkle::InclusionPath(m, n, Over(leaves));
      ASSERT_TRUE(path.ok());
      ASSERT_EQ(*path, Path(leaves, m, 0, n)) << m << " of " << n;
      ASSERT_TRUE(merkle::VerifyInclusion(m, n, leaves[m], *path, root).ok()) << m << " of " << n;
    }
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = merkle::ConsistencyPath(m, n, Over(leaves));
      ASSERT_TRUE(proof.ok());
      ASSERT_EQ(*proof, SubProof(leaves, m, 0, n, true)) << m << " to " << n;
      ASSERT_TRUE(merkle::VerifyConsistency(m, n, Mth(leaves, 0, m), root, *proof).ok()) << m << " to " << n;
    }
  }
}

TEST(MerkleTest, TamperedProofsAreRejected) {
  const auto leaves = Leaves(200);
  std::mt19937_64 rng(9162);
  for (int round = 0; round < 300; ++round) {
    const uint64_t n = 2 + rng() % 99, m = rng() % n, from = 1 + rng() % (n - 1);
    const Digest root = Mth(leaves, 0, n), from_root = Mth(leaves, 0, from);
    const auto path = *merkle::InclusionPath(m, n, Over(leaves));
    const auto proof = *merkle::ConsistencyPath(from, n, Over(leaves));
    // A flipped bit anywhere in the path, the leaf or the root.
    if (!path.empty()) {
      auto bad = path;
      bad[rng() % bad.size()][rng() % 32] ^= static_cast<uint8_t>(1u << (rng() % 8));
      EXPECT_FALSE(merkle::VerifyInclusion(m, n, leaves[m], bad, root).ok());
    }
    Digest bad_leaf = leaves[m];
    bad_leaf[rng() % 32] ^= 1;
    EXPECT_FALSE(merkle::VerifyInclusion(m, n, bad_leaf, path, root).ok());
    Digest bad_root = root;
    bad_root[rng() % 32] ^= 0x80;
    EXPECT_FALSE(merkle::VerifyInclusion(m, n, leaves[m], path, bad_root).ok());
    // The proof of another tree size, another leaf index, a truncated or extended path.
    const uint64_t other = n + 1 + rng() % 20;
    EXPECT_FALSE(merkle::VerifyInclusion(m, other, leaves[m], path, Mth(leaves, 0, other)).ok());
    if (!path.empty()) {
      EXPECT_FALSE(merkle::VerifyInclusion(m, n, leaves[m], std::span(path).first(path.size() - 1), root).ok());
    }
    auto longer = path;
    longer.push_back(root);
    EXPECT_FALSE(merkle::VerifyInclusion(m, n, leaves[m], longer, root).ok());
    if (m + 1 < n) {
      EXPECT_FALSE(merkle::VerifyInclusion(m + 1, n, leaves[m], path, root).ok());
    }
    // Consistency: a flipped bit, a wrong older root, a truncated proof.
    auto bad_proof = proof;
    bad_proof[rng() % bad_proof.size()][rng() % 32] ^= 4;
    EXPECT_FALSE(merkle::VerifyConsistency(from, n, from_root, root, bad_proof).ok());
    EXPECT_FALSE(merkle::VerifyConsistency(from, n, Mth(leaves, 1, from + 1), root, proof).ok());
    EXPECT_FALSE(merkle::VerifyConsistency(from, n, from_root, root, std::span(proof).first(proof.size() - 1)).ok());
  }
}

// --- the stored tree of a ledger ---------------------------------------------

using StoredTreeTest = test::LogFixture;

TEST_F(StoredTreeTest, RootsAndProofsOfTheStoredTreeAreTheRfcsAtRandomSizes) {
  Append(1000, 37);
  Reopen();  // the frontier comes back from the store
  Append(333, 100);
  const uint64_t n = leaves_.size();
  EXPECT_EQ(writer_->tree().size(), n);
  EXPECT_EQ(writer_->tree().Root(), Mth(leaves_, 0, n));
  EXPECT_EQ(store_.size(Cf::kMerkle), n / 16 * 2 - std::popcount(n / 16));  // complete subtrees of ≥ 16 leaves
  const MerkleReader tree(store_);
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    const uint64_t size = 1 + rng() % n, seq = 1 + rng() % size, from = 1 + rng() % size;
    ASSERT_EQ(*tree.Root(size), Mth(leaves_, 0, size)) << size;
    auto path = tree.Inclusion(seq, size);
    ASSERT_TRUE(path.ok()) << path.status().message();
    EXPECT_EQ(*path, Path(leaves_, seq - 1, 0, size));
    EXPECT_TRUE(merkle::VerifyInclusion(seq - 1, size, *tree.Leaf(seq), *path, *tree.Root(size)).ok());
    auto proof = tree.Consistency(from, size);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(merkle::VerifyConsistency(from, size, *tree.Root(from), *tree.Root(size), *proof).ok());
  }
}

TEST_F(StoredTreeTest, AnAbandonedBatchLeavesTheTreeAsItWas) {
  Append(40, 40);
  const Digest before = writer_->tree().Root();
  Txn txn(store_);
  for (int i = 0; i < 30; ++i) {
    std::string stored;
    ASSERT_TRUE(codec_.DecodeInbound(test::GrantJson(900 + i), TopicKind::kRoster, &stored).ok());
    uint64_t seq = 0;
    writer_->Append(txn, stored, *ReadEvent(stored), &seq);
  }
  writer_->FinishBatch(txn);
  writer_->Abandon();  // the write failed: nothing of it is durable
  EXPECT_EQ(writer_->tree().size(), 40u);
  EXPECT_EQ(writer_->tree().Root(), before);
  Append(10, 10);  // and the next batch continues the tree of 40
  EXPECT_EQ(writer_->tree().Root(), Mth(leaves_, 0, 50));
  EXPECT_EQ(*MerkleReader(store_).Root(50), Mth(leaves_, 0, 50));
}

TEST_F(StoredTreeTest, ALedgerOlderThanTheTreeHasItBuiltOnOpen) {
  Append(100, 30);
  Txn drop(store_);
  for (uint32_t level = kMerkleStoredLevel; level < 8; ++level) {
    for (uint64_t i = 0; i < 8; ++i) drop.Delete(Cf::kMerkle, MerkleNodeKey({level, i}));
  }
  ASSERT_TRUE(store_.Write(drop, true).ok());
  EXPECT_EQ(store_.size(Cf::kMerkle), 0u);
  auto unopened = VerifyLedger(store_);  // the chain is checked, the tree is not there to check
  ASSERT_TRUE(unopened.ok());
  EXPECT_EQ(unopened->first_bad_seq, 0u) << unopened->problem;
  EXPECT_FALSE(unopened->tree_stored);
  Reopen();
  EXPECT_TRUE(VerifyLedger(store_)->tree_stored);
  EXPECT_EQ(store_.size(Cf::kMerkle), 100u / 16 * 2 - std::popcount(100u / 16));
  EXPECT_EQ(*MerkleReader(store_).Root(100), Mth(leaves_, 0, 100));
}

TEST_F(StoredTreeTest, VerifyFindsATamperedNodeACutLogAndARewrittenOneGivenAPublishedHead) {
  Append(200, 50);
  auto signer = *Ed25519Signer::Make(std::string(32, 's'));
  const TreeHead published = SignTreeHead(*signer, 200, *MerkleReader(store_).Root(200));
  const TreeHead early = SignTreeHead(*signer, 64, *MerkleReader(store_).Root(64));
  auto ok = VerifyLedger(store_, {published, early});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first_bad_seq, 0u) << ok->problem;
  EXPECT_EQ(ok->heads_checked, 2u);
  EXPECT_EQ(ok->nodes_checked, 200u / 16 * 2 - std::popcount(200u / 16));

  // A stored node changed: found at the first event it covers.
  std::string node;
  ASSERT_TRUE(store_.Get(Cf::kMerkle, MerkleNodeKey({5, 2}), &node).ok());
  {
    Txn t(store_);
    std::string bad = node;
    bad[3] ^= 1;
    t.Put(Cf::kMerkle, MerkleNodeKey({5, 2}), bad);
    ASSERT_TRUE(store_.Write(t, true).ok());
  }
  EXPECT_EQ(VerifyLedger(store_)->first_bad_seq, 2u * 32 + 1);
  {
    Txn t(store_);
    t.Put(Cf::kMerkle, MerkleNodeKey({5, 2}), node);
    ASSERT_TRUE(store_.Write(t, true).ok());
  }

  // Rewritten: the tail from seq 101 replaced by other events, chain, head
  // and tree recomputed — internally consistent, so only a head published
  // before tells.
  {
    Txn cut(store_);
    for (uint64_t s = 101; s <= 200; ++s) cut.Delete(Cf::kLog, LogKey(s));
    for (uint32_t level = kMerkleStoredLevel; level < 9; ++level) {
      for (uint64_t i = 0; i < 16; ++i) cut.Delete(Cf::kMerkle, MerkleNodeKey({level, i}));
    }
    LogRecord rec;
    std::string v;
    ASSERT_TRUE(store_.Get(Cf::kLog, LogKey(100), &v).ok());
    ASSERT_TRUE(ParseLogValue(100, v, &rec).ok());
    std::string head = EncodeU64(100);
    head.append(reinterpret_cast<const char*>(rec.hash.data()), 32);
    cut.Put(Cf::kMeta, "head", head);
    ASSERT_TRUE(store_.Write(cut, true).ok());
  }
  leaves_.resize(100);
  Reopen();  // rebuilds the (deleted) tree of the cut log
  auto cut = VerifyLedger(store_);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->first_bad_seq, 0u) << "without a head, a cut log with its head rewritten verifies";
  auto cut_vs_head = VerifyLedger(store_, {published, early});
  EXPECT_EQ(cut_vs_head->first_bad_seq, 101u) << cut_vs_head->problem;
  EXPECT_NE(cut_vs_head->problem.find("cut short"), std::string::npos);

  next_ = 5000;  // other events in place of the cut ones
  Append(100, 25);
  auto rewritten = VerifyLedger(store_);
  EXPECT_EQ(rewritten->first_bad_seq, 0u);
  auto vs_head = VerifyLedger(store_, {early, published});
  EXPECT_EQ(vs_head->first_bad_seq, 65u) << vs_head->problem;  // after the last head that matches
  EXPECT_EQ(vs_head->heads_checked, 1u);
}

// --- signed heads and offline proofs ----------------------------------------

TEST(TreeHeadTest, SignedHeadsVerifyWithTheirKeyOnly) {
  auto signer = *Ed25519Signer::Make(std::string(32, 'a'));
  auto other = *Ed25519Signer::Make(std::string(32, 'b'));
  auto key = *Ed25519Verifier::FromPem(signer->PublicPem());
  auto other_key = *Ed25519Verifier::FromPem(other->PublicPem());
  Digest root{};
  root[7] = 9;
  const TreeHead h = SignTreeHead(*signer, 42, root);
  EXPECT_EQ(TreeHeadMessage(42, root).size(), 48u);
  EXPECT_EQ(TreeHeadMessage(42, root).substr(0, 4), "SNTH");
  EXPECT_EQ(h.key_id, KeyId(key->public_der()));
  EXPECT_TRUE(CheckTreeHead(*key, h).ok());
  EXPECT_FALSE(CheckTreeHead(*other_key, h).ok());
  // Signed by another key, claiming this key's id.
  TreeHead forged = SignTreeHead(*other, 42, root);
  forged.key_id = h.key_id;
  EXPECT_FALSE(CheckTreeHead(*key, forged).ok());
  // Another size or root under the same signature.
  TreeHead resized = h;
  resized.tree_size = 43;
  EXPECT_FALSE(CheckTreeHead(*key, resized).ok());
  TreeHead rerooted = h;
  rerooted.root[0] ^= 1;
  EXPECT_FALSE(CheckTreeHead(*key, rerooted).ok());
  // The JSON form goes both ways.
  auto parsed = ParseTreeHead(TreeHeadJson(h));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(CheckTreeHead(*key, *parsed).ok());
}

TEST_F(StoredTreeTest, ProofDocumentsAreCheckedOfflineAndTamperedOnesRejectedWithTheirReason) {
  Append(150, 50);
  auto signer = *Ed25519Signer::Make(std::string(32, 'a'));
  auto key = *Ed25519Verifier::FromPem(signer->PublicPem());
  auto other_key = *Ed25519Verifier::FromPem((*Ed25519Signer::Make(std::string(32, 'z')))->PublicPem());
  const MerkleReader tree(store_);
  const auto head = [&](uint64_t n) { return SignTreeHead(*signer, n, *tree.Root(n)); };
  const Json inclusion = InclusionProofJson(77, 130, *tree.Leaf(77), *tree.Inclusion(77, 130), head(130));
  const Json consistency = ConsistencyProofJson(50, 150, *tree.Consistency(50, 150), head(50), head(150));
  EXPECT_TRUE(CheckProofDocument(inclusion, *key).ok());
  EXPECT_TRUE(CheckProofDocument(consistency, *key).ok());

  const auto rejected = [&](const Json& doc, const std::string& why) {
    auto r = CheckProofDocument(doc, *key);
    EXPECT_FALSE(r.ok()) << why;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
    }
  };
  Json j = inclusion;
  std::string h = j["path"][2];
  h[10] = h[10] == '0' ? '1' : '0';
  j["path"][2] = h;
  rejected(j, "another root");
  j = inclusion;
  j["path"].erase(j["path"].size() - 1);
  rejected(j, "shorter");
  j = inclusion;
  j["seq"] = 78;
  rejected(j, "inclusion of seq 78");
  j = inclusion;
  j["tree_size"] = 150;  // the proof of another tree size
  rejected(j, "head is of 130");
  j = inclusion;
  j["head"] = TreeHeadJson(head(150));
  rejected(j, "head is of 150");
  EXPECT_FALSE(CheckProofDocument(inclusion, *other_key).ok());  // a head signed by another key
  j = inclusion;
  std::string sig = j["head"]["signature"];
  sig[0] = sig[0] == 'a' ? 'b' : 'a';
  j["head"]["signature"] = sig;
  rejected(j, "does not verify");
  j = consistency;
  std::swap(j["path"][0], j["path"][1]);
  rejected(j, "consistency");
  j = consistency;
  j["from_head"] = TreeHeadJson(head(60));
  rejected(j, "heads are of 60");
  rejected(Json{{"hello", 1}}, "neither");
}

}  // namespace
}  // namespace safetynet
