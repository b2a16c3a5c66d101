#include "events/tree_head.h"

#include "events/codec_util.h"

namespace safetynet {

std::string TreeHeadMessage(uint64_t tree_size, const Digest& root) {
  std::string m = "SNTH";
  PutU64(&m, tree_size);
  m.append(reinterpret_cast<const char*>(root.data()), root.size());
  m.append(4, '\0');
  return m;
}

std::string KeyId(std::string_view public_der) {
  Sha256 sha;
  sha.Begin();
  sha.Update(public_der);
  const Digest d = sha.Finish();
  return ToHex(std::span<const uint8_t>(d.data(), d.size()));
}

TreeHead SignTreeHead(const Ed25519Signer& signer, uint64_t tree_size, const Digest& root) {
  return {tree_size, root, signer.Sign(TreeHeadMessage(tree_size, root)), KeyId(signer.public_der())};
}

Status CheckTreeHead(const Ed25519Verifier& key, const TreeHead& head) {
  const std::string expected = KeyId(key.public_der());
  if (head.key_id != expected) {
    return Status::Invalid("the head of size " + std::to_string(head.tree_size) + " names key " + head.key_id +
                           ", not the given key " + expected);
  }
  if (!key.Verify(TreeHeadMessage(head.tree_size, head.root), head.signature)) {
    return Status::Invalid("the signature of the head of size " + std::to_string(head.tree_size) + " does not verify");
  }
  return Status::Ok();
}

}  // namespace safetynet
