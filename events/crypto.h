// Cryptographic primitives of the ledger, on OpenSSL 3 EVP:
// - Sha256: the hash chain (one reusable context; ~2x the one-shot call);
// - PersonHasher: HMAC-SHA-256 pseudonymisation of raw person IDs;
// - Sealer: AES-256-GCM for the dead-letter store (raw messages may hold raw
//   person IDs, so they are encrypted at rest).
// Thread-safety: each object is single-threaded; make one per thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "events/status.h"

namespace safetynet {

using Digest = std::array<uint8_t, 32>;

std::string ToHex(std::span<const uint8_t> bytes);
inline std::string ToHex(std::string_view bytes) {
  return ToHex({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}
// Decodes lowercase or uppercase hex; nullopt-like failure as false.
bool FromHex(std::string_view hex, std::string* out);
// Fills `n` bytes from the OS CSPRNG.
std::string RandomBytes(size_t n);

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Begin();
  void Update(std::string_view bytes);
  Digest Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HMAC-SHA-256 of a raw person ID under a secret key (32 bytes recommended).
class PersonHasher {
 public:
  explicit PersonHasher(std::string key);
  ~PersonHasher();
  PersonHasher(const PersonHasher&) = delete;
  PersonHasher& operator=(const PersonHasher&) = delete;

  Digest Hash(std::string_view raw_person_id);
  // The pseudonym as stored and shown: 64 lowercase hex characters.
  std::string HashHex(std::string_view raw_person_id) { return ToHex(Hash(raw_person_id)); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// AES-256-GCM. Sealed layout: nonce(12) || ciphertext || tag(16).
class Sealer {
 public:
  // `key` must be 32 bytes.
  explicit Sealer(std::string key);
  std::string Seal(std::string_view plaintext) const;
  // Corruption when the tag does not verify (wrong key or damaged record).
  Status Open(std::string_view sealed, std::string* plaintext) const;

 private:
  std::string key_;
};

}  // namespace safetynet
