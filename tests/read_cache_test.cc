// ReadCache and KeyFilter: the caches of the ingest thread never change an
// answer. A random workload of batches (puts, deletes, reads, pipelined one
// batch deep as in ingest and replay) reads the same through a tiny cache as
// straight from the store; a cached value is served from memory; the
// findings' key filter never forgets a key.
#include "events/read_cache.h"

#include <gtest/gtest.h>

#include <random>

#include "projections/core/key_filter.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

TEST(ReadCache, ServesWhatItLastSawAndForgetsBeyondTwoGenerations) {
  test::MemStore store;
  // Generations of 132 bytes: two entries of a one-byte key and value (66 bytes each).
  ReadCache cache(2 * 66 * 2 * ReadCache::kCachedFamilies);
  Txn write(store);
  write.Put(Cf::kPersons, "a", "1");
  ASSERT_TRUE(store.Write(write, true).ok());
  std::string v;
  Txn reader(store, nullptr, &cache);
  ASSERT_TRUE(reader.Get(Cf::kPersons, "a", &v).ok());
  EXPECT_EQ(v, "1");
  EXPECT_TRUE(reader.Get(Cf::kPersons, "b", &v).IsNotFound());
  // Changed behind the cache's back: the cached answers stay (the invariant
  // is that every write goes through Absorb), which shows they come from memory.
  Txn sneaky(store);
  sneaky.Put(Cf::kPersons, "a", "2");
  sneaky.Put(Cf::kPersons, "b", "3");
  ASSERT_TRUE(store.Write(sneaky, true).ok());
  ASSERT_TRUE(reader.Get(Cf::kPersons, "a", &v).ok());
  EXPECT_EQ(v, "1");
  EXPECT_TRUE(reader.Get(Cf::kPersons, "b", &v).IsNotFound());
  // Absorbing the write updates both.
  cache.Absorb(sneaky);
  ASSERT_TRUE(reader.Get(Cf::kPersons, "a", &v).ok());
  EXPECT_EQ(v, "2");
  ASSERT_TRUE(reader.Get(Cf::kPersons, "b", &v).ok());
  EXPECT_EQ(v, "3");
  // Four more keys push "a" and "b" out of both generations of two.
  for (const char* k : {"c", "d", "e", "f"}) EXPECT_TRUE(reader.Get(Cf::kPersons, k, &v).IsNotFound());
  std::optional<std::string> cached;
  EXPECT_FALSE(cache.Lookup(Cf::kPersons, "a", &cached));
  EXPECT_TRUE(cache.Lookup(Cf::kPersons, "f", &cached));
  // Families that are not point-read are never cached.
  EXPECT_FALSE(ReadCache::Cached(Cf::kLog));
  EXPECT_FALSE(cache.Lookup(Cf::kLog, "a", &cached));
}

TEST(ReadCache, PipelinedRandomBatchesReadTheSameAsWithoutACache) {
  for (size_t capacity : {1u, 3u, 50u}) {
    SCOPED_TRACE(capacity);
    test::MemStore cached_store, plain_store;
    ReadCache cache(capacity * 69 * 2 * ReadCache::kCachedFamilies);  // about `capacity` entries a generation
    std::mt19937_64 rng(capacity);
    std::unique_ptr<Txn> flight_c, flight_p;  // the batch being "written"
    const Cf cfs[] = {Cf::kPersons, Cf::kClaims, Cf::kFindings};
    size_t reads = 0;
    for (int batch = 0; batch < 200; ++batch) {
      auto c = std::make_unique<Txn>(cached_store, flight_c.get(), &cache);
      auto p = std::make_unique<Txn>(plain_store, flight_p.get());
      for (int op = 0; op < 20; ++op) {
        const Cf cf = cfs[rng() % 3];
        const std::string key = "k" + std::to_string(rng() % 12);
        switch (rng() % 3) {
          case 0: {
            const std::string value = std::to_string(rng() % 1000);
            c->Put(cf, key, value);
            p->Put(cf, key, value);
            break;
          }
          case 1:
            c->Delete(cf, key);
            p->Delete(cf, key);
            break;
          default: {
            std::string vc, vp;
            const bool hc = c->Get(cf, key, &vc).ok();
            const bool hp = p->Get(cf, key, &vp).ok();
            ASSERT_EQ(hc, hp) << key;
            if (hc) {
              ASSERT_EQ(vc, vp) << key;
            }
            ++reads;
          }
        }
      }
      // The previous batch lands, then this one starts writing (as Ingestor does).
      if (flight_c) {
        ASSERT_TRUE(cached_store.Write(*flight_c, true).ok());
        ASSERT_TRUE(plain_store.Write(*flight_p, true).ok());
        cache.Absorb(*flight_c);
      }
      c->SetParent(nullptr);
      p->SetParent(nullptr);
      flight_c = std::move(c);
      flight_p = std::move(p);
    }
    EXPECT_GT(reads, 1000u);
  }
}

TEST(KeyFilter, NeverForgetsAKeyAndRarelyClaimsOne) {
  KeyFilter f;
  EXPECT_FALSE(f.MayContain("x"));
  for (int i = 0; i < 100000; ++i) f.Add("finding/" + std::to_string(i));
  EXPECT_EQ(f.size(), 100000u);
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(f.MayContain("finding/" + std::to_string(i))) << i;
  int false_positives = 0;
  for (int i = 0; i < 100000; ++i) false_positives += f.MayContain("other/" + std::to_string(i)) ? 1 : 0;
  EXPECT_LT(false_positives, 5);  // 64-bit hashes: collisions are vanishingly rare
}

}  // namespace
}  // namespace safetynet
