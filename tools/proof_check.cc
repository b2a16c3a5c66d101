#include "tools/proof_check.h"

#include "daemon/ledger_json.h"
#include "events/merkle.h"
#include "events/tree_head.h"
#include "tools/evidence.h"

namespace safetynet {
namespace {

Result<TreeHead> SignedHead(const Json& doc, const char* name, const Ed25519Verifier& key) {
  if (!doc.contains(name)) return Status::Invalid(std::string("the document has no \"") + name + "\"");
  auto head = ParseTreeHead(doc[name]);
  if (!head.ok()) return Status::Invalid(std::string("\"") + name + "\": " + head.status().message());
  Status st = CheckTreeHead(key, *head);
  if (!st.ok()) return st;
  return head;
}

Result<std::string> CheckInclusion(const Json& doc, const Ed25519Verifier& key) {
  auto seq = ParseU64Field(doc, "seq");
  if (!seq.ok()) return seq.status();
  auto size = ParseU64Field(doc, "tree_size");
  if (!size.ok()) return size.status();
  auto leaf = ParseDigestField(doc, "leaf_hash");
  if (!leaf.ok()) return leaf.status();
  auto path = ParsePath(doc);
  if (!path.ok()) return path.status();
  auto head = SignedHead(doc, "head", key);
  if (!head.ok()) return head.status();
  if (head->tree_size != *size) {
    return Status::Invalid("the proof is for a tree of " + std::to_string(*size) + " events but its head is of " +
                           std::to_string(head->tree_size));
  }
  if (*seq == 0) return Status::Invalid("seq starts at 1");
  Status st = merkle::VerifyInclusion(*seq - 1, *size, *leaf, *path, head->root);
  if (!st.ok()) return Status::Invalid("inclusion of seq " + std::to_string(*seq) + ": " + st.message());
  return "event " + std::to_string(*seq) + " (leaf " + merkle::Hex(*leaf) + ") is in the signed tree of " +
         std::to_string(*size) + " events";
}

Result<std::string> CheckConsistency(const Json& doc, const Ed25519Verifier& key) {
  auto from = ParseU64Field(doc, "from");
  if (!from.ok()) return from.status();
  auto to = ParseU64Field(doc, "to");
  if (!to.ok()) return to.status();
  auto path = ParsePath(doc);
  if (!path.ok()) return path.status();
  auto from_head = SignedHead(doc, "from_head", key);
  if (!from_head.ok()) return from_head.status();
  auto to_head = SignedHead(doc, "to_head", key);
  if (!to_head.ok()) return to_head.status();
  if (from_head->tree_size != *from || to_head->tree_size != *to) {
    return Status::Invalid("the proof is from " + std::to_string(*from) + " to " + std::to_string(*to) +
                           " but its heads are of " + std::to_string(from_head->tree_size) + " and " +
                           std::to_string(to_head->tree_size));
  }
  Status st = merkle::VerifyConsistency(*from, *to, from_head->root, to_head->root, *path);
  if (!st.ok()) return Status::Invalid("consistency: " + st.message());
  return "the signed tree of " + std::to_string(*from) + " events is a prefix of the signed tree of " +
         std::to_string(*to);
}

}  // namespace

Result<std::string> CheckProofDocument(const Json& doc, const Ed25519Verifier& key) {
  if (!doc.is_object()) return Status::Invalid("not a JSON object");
  if (doc.contains("format")) return CheckEvidence(doc, key);
  if (doc.contains("leaf_hash")) return CheckInclusion(doc, key);
  if (doc.contains("from_head") || doc.contains("from")) return CheckConsistency(doc, key);
  return Status::Invalid("neither an inclusion proof, a consistency proof nor an evidence bundle");
}

}  // namespace safetynet
