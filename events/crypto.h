// Cryptographic primitives of the ledger, on OpenSSL 3 EVP:
// - Sha256: the hash chain (one reusable context; ~2x the one-shot call);
// - PersonHasher: HMAC-SHA-256 pseudonymisation of raw person IDs;
// - Sealer: AES-256-GCM for the dead-letter store (raw messages may hold raw
//   person IDs, so they are encrypted at rest);
// - Ed25519Signer / Ed25519Verifier: signatures of the log's tree heads.
// Thread-safety: each object is single-threaded; make one per thread, except
// the Ed25519 classes, which are immutable and safe from any thread.
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

// Ed25519 (RFC 8032) under a 32-byte private key.
class Ed25519Signer {
 public:
  // Invalid unless `seed` is 32 bytes.
  static Result<std::shared_ptr<const Ed25519Signer>> Make(std::string_view seed);
  ~Ed25519Signer();
  Ed25519Signer(const Ed25519Signer&) = delete;
  Ed25519Signer& operator=(const Ed25519Signer&) = delete;

  std::string Sign(std::string_view message) const;  // 64 bytes
  // The public key as SubjectPublicKeyInfo: DER, and PEM text.
  const std::string& public_der() const { return public_der_; }
  std::string PublicPem() const;

 private:
  Ed25519Signer() = default;
  void* key_ = nullptr;  // EVP_PKEY
  std::string public_der_;
};

class Ed25519Verifier {
 public:
  // From a PEM "PUBLIC KEY" block (SubjectPublicKeyInfo) of an Ed25519 key.
  static Result<std::shared_ptr<const Ed25519Verifier>> FromPem(std::string_view pem);
  static Result<std::shared_ptr<const Ed25519Verifier>> FromDer(std::string_view der);
  ~Ed25519Verifier();
  Ed25519Verifier(const Ed25519Verifier&) = delete;
  Ed25519Verifier& operator=(const Ed25519Verifier&) = delete;

  bool Verify(std::string_view message, std::string_view signature) const;
  const std::string& public_der() const { return public_der_; }

 private:
  Ed25519Verifier() = default;
  void* key_ = nullptr;  // EVP_PKEY
  std::string public_der_;
};

}  // namespace safetynet
