#include "daemon/ledger_json.h"

namespace safetynet {
namespace {

Json PathJson(const std::vector<Digest>& path) {
  Json out = Json::array();
  for (const Digest& d : path) out.push_back(merkle::Hex(d));
  return out;
}

}  // namespace

Json TreeHeadJson(const TreeHead& head) {
  return Json{{"tree_size", head.tree_size},
              {"root", merkle::Hex(head.root)},
              {"signature", ToHex(head.signature)},
              {"key_id", head.key_id}};
}

Result<uint64_t> ParseU64Field(const Json& j, const char* name) {
  if (!j.is_object() || !j.contains(name) || !j[name].is_number_integer() ||
      (!j[name].is_number_unsigned() && j[name].get<int64_t>() < 0)) {
    return Status::Invalid(std::string("\"") + name + "\" must be a non-negative integer");
  }
  return j[name].get<uint64_t>();
}

Result<Digest> ParseDigestField(const Json& j, const char* name) {
  if (!j.is_object() || !j.contains(name) || !j[name].is_string()) {
    return Status::Invalid(std::string("\"") + name + "\" must be a hash in hex");
  }
  auto d = merkle::ParseHex(j[name].get<std::string>());
  if (!d.ok()) return Status::Invalid(std::string("\"") + name + "\": " + d.status().message());
  return d;
}

Result<TreeHead> ParseTreeHead(const Json& j) {
  TreeHead h;
  auto size = ParseU64Field(j, "tree_size");
  if (!size.ok()) return size.status();
  h.tree_size = *size;
  auto root = ParseDigestField(j, "root");
  if (!root.ok()) return root.status();
  h.root = *root;
  if (!j.contains("signature") || !j["signature"].is_string() ||
      !FromHex(j["signature"].get<std::string>(), &h.signature) || h.signature.size() != 64) {
    return Status::Invalid("\"signature\" must be 128 hex characters");
  }
  if (!j.contains("key_id") || !j["key_id"].is_string() || j["key_id"].get<std::string>().size() != 64) {
    return Status::Invalid("\"key_id\" must be 64 hex characters");
  }
  h.key_id = j["key_id"].get<std::string>();
  return h;
}

Json InclusionProofJson(uint64_t seq, uint64_t tree_size, const Digest& leaf_hash, const std::vector<Digest>& path,
                        const TreeHead& head) {
  return Json{{"seq", seq},
              {"tree_size", tree_size},
              {"leaf_hash", merkle::Hex(leaf_hash)},
              {"path", PathJson(path)},
              {"head", TreeHeadJson(head)}};
}

Json ConsistencyProofJson(uint64_t from, uint64_t to, const std::vector<Digest>& path, const TreeHead& from_head,
                          const TreeHead& to_head) {
  return Json{{"from", from},
              {"to", to},
              {"path", PathJson(path)},
              {"from_head", TreeHeadJson(from_head)},
              {"to_head", TreeHeadJson(to_head)}};
}

Result<std::vector<Digest>> ParsePath(const Json& proof) {
  if (!proof.is_object() || !proof.contains("path") || !proof["path"].is_array()) {
    return Status::Invalid("\"path\" must be an array of hashes");
  }
  std::vector<Digest> path;
  for (const Json& h : proof["path"]) {
    auto d = h.is_string() ? merkle::ParseHex(h.get<std::string>()) : Result<Digest>(Status::Invalid("not a string"));
    if (!d.ok()) return Status::Invalid("\"path\" holds something that is not a hash in hex");
    path.push_back(*d);
  }
  return path;
}

}  // namespace safetynet
