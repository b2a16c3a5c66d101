#include "events/crypto.h"

#include <gtest/gtest.h>
#include <openssl/hmac.h>

namespace safetynet {
namespace {

std::string ReferenceHmac(const std::string& key, const std::string& msg) {
  unsigned char out[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(msg.data()),
       msg.size(), out, &len);
  return ToHex(std::span<const uint8_t>(out, len));
}

TEST(PersonHasher, MatchesOpenSslHmacSha256) {
  const std::vector<std::string> keys = {std::string(32, 'k'), "short", std::string(100, 'L')};
  const std::vector<std::string> msgs = {"", "230102195403120231", std::string(200, 'x')};
  for (const auto& key : keys) {
    PersonHasher h(key);
    for (const auto& msg : msgs) {
      EXPECT_EQ(h.HashHex(msg), ReferenceHmac(key, msg)) << key.size() << " " << msg.size();
    }
  }
}

TEST(PersonHasher, Rfc4231TestCase2) {
  PersonHasher h("Jefe");
  EXPECT_EQ(h.HashHex("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Sealer, RoundTripsAndDetectsTampering) {
  const Sealer s(std::string(32, 'a'));
  const std::string sealed = s.Seal("secret 230102195403120231");
  EXPECT_EQ(sealed.find("230102195403120231"), std::string::npos);
  std::string plain;
  ASSERT_TRUE(s.Open(sealed, &plain).ok());
  EXPECT_EQ(plain, "secret 230102195403120231");
  std::string bad = sealed;
  bad[15] ^= 1;
  EXPECT_FALSE(s.Open(bad, &plain).ok());
  EXPECT_NE(s.Seal("x"), s.Seal("x"));  // fresh nonce each time
}

TEST(Hex, RoundTrips) {
  std::string raw;
  ASSERT_TRUE(FromHex("00ff10Ab", &raw));
  EXPECT_EQ(ToHex(raw), "00ff10ab");
  EXPECT_FALSE(FromHex("0g", &raw));
  EXPECT_FALSE(FromHex("abc", &raw));
}

}  // namespace
}  // namespace safetynet
