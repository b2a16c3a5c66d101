#include "daemon/ledger_routes.h"

#include <httplib.h>

#include "daemon/http_reply.h"
#include "daemon/ledger_json.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "projections/core/projection_set.h"

namespace safetynet {
namespace {

Status WithinLog(const char* name, uint64_t size, uint64_t head) {
  if (size <= head) return Status::Ok();
  return Status::Invalid(std::string(name) + " " + std::to_string(size) + " is beyond the log's head " +
                         std::to_string(head));
}

Result<TreeHead> SignedHead(const HttpContext& ctx, const MerkleReader& tree, uint64_t size) {
  auto root = tree.Root(size);
  if (!root.ok()) return root.status();
  return SignTreeHead(*ctx.signer, size, *root);
}

}  // namespace

void LedgerRoot(const HttpContext& ctx, const Principal*, const httplib::Request& req, httplib::Response& res) {
  auto head = ReadHead(*ctx.store);
  if (!head.ok()) return ReplyError(res, head.status());
  uint64_t size = 0;
  Status st = ParseU64Param(req, "seq", head->seq, &size);
  if (st.ok()) st = WithinLog("seq", size, head->seq);
  if (!st.ok()) return ReplyError(res, st);
  auto signed_head = SignedHead(ctx, MerkleReader(*ctx.store), size);
  if (!signed_head.ok()) return ReplyError(res, signed_head.status());
  Reply(res, 200, TreeHeadJson(*signed_head));
}

void InclusionProof(const HttpContext& ctx, const Principal*, const httplib::Request& req, httplib::Response& res) {
  auto head = ReadHead(*ctx.store);
  if (!head.ok()) return ReplyError(res, head.status());
  if (!req.has_param("seq")) return ReplyError(res, Status::Invalid("seq is required"));
  uint64_t seq = 0, size = 0;
  Status st = ParseU64Param(req, "seq", 0, &seq);
  if (st.ok()) st = ParseU64Param(req, "tree_size", head->seq, &size);
  if (st.ok()) st = WithinLog("tree_size", size, head->seq);
  if (st.ok() && (seq == 0 || seq > size)) {
    st = Status::Invalid("seq must lie in 1.." + std::to_string(size) + " (the tree's size)");
  }
  if (!st.ok()) return ReplyError(res, st);
  const MerkleReader tree(*ctx.store);
  auto path = tree.Inclusion(seq, size);
  auto leaf = tree.Leaf(seq);
  auto signed_head = SignedHead(ctx, tree, size);
  for (const Status* s : {&path.status(), &leaf.status(), &signed_head.status()}) {
    if (!s->ok()) return ReplyError(res, *s);
  }
  Reply(res, 200, InclusionProofJson(seq, size, *leaf, *path, *signed_head));
}

void ConsistencyProof(const HttpContext& ctx, const Principal*, const httplib::Request& req, httplib::Response& res) {
  auto head = ReadHead(*ctx.store);
  if (!head.ok()) return ReplyError(res, head.status());
  if (!req.has_param("from")) return ReplyError(res, Status::Invalid("from is required"));
  uint64_t from = 0, to = 0;
  Status st = ParseU64Param(req, "from", 0, &from);
  if (st.ok()) st = ParseU64Param(req, "to", head->seq, &to);
  if (st.ok()) st = WithinLog("to", to, head->seq);
  if (st.ok() && (from == 0 || from > to)) st = Status::Invalid("from must lie in 1..to");
  if (!st.ok()) return ReplyError(res, st);
  const MerkleReader tree(*ctx.store);
  auto path = tree.Consistency(from, to);
  auto from_head = SignedHead(ctx, tree, from);
  auto to_head = SignedHead(ctx, tree, to);
  for (const Status* s : {&path.status(), &from_head.status(), &to_head.status()}) {
    if (!s->ok()) return ReplyError(res, *s);
  }
  Reply(res, 200, ConsistencyProofJson(from, to, *path, *from_head, *to_head));
}

void LedgerDigest(const HttpContext& ctx, const Principal*, const httplib::Request&, httplib::Response& res) {
  const std::unique_ptr<const Store> snapshot = ctx.store->Snapshot();
  if (!snapshot) return ReplyError(res, Status::Io("this store gives no snapshots"));
  const uint64_t seq = ProjectionSet::RecordedAppliedSeq(*snapshot);
  auto point = LogPointAt(*snapshot, seq);
  if (!point.ok()) return ReplyError(res, point.status());
  auto head = ReadHead(*snapshot);
  if (!head.ok()) return ReplyError(res, head.status());
  Reply(res, 200,
        Json{{"seq", seq},
             {"chain_head", merkle::Hex(point->chain_head)},
             {"root", merkle::Hex(point->root)},
             {"projections_digest", ProjectionDigestHex(*snapshot)},
             {"log_seq", head->seq}});
}

}  // namespace safetynet
