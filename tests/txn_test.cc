// Txn and its PendingWrites: both layouts (hashed and ordered) read, scan and
// write exactly what a plain sorted model says, through a parent batch still
// in flight, and a store receives every family's writes in key order.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "events/store.h"
#include "tests/mem_store.h"

namespace safetynet {
namespace {

using Model = std::map<std::string, std::string>;

std::string Key(std::mt19937_64& rng) { return "k" + std::to_string(rng() % 40); }

std::vector<std::pair<std::string, std::string>> Scan(const Txn& txn, Cf cf, const std::string& begin,
                                                      const std::string& end) {
  std::vector<std::pair<std::string, std::string>> out;
  txn.ScanRange(cf, begin, end, [&](std::string_view k, std::string_view v) { out.emplace_back(k, v); });
  return out;
}

std::vector<std::pair<std::string, std::string>> ModelScan(const Model& m, const std::string& begin,
                                                           const std::string& end) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = m.lower_bound(begin); it != m.end() && (end.empty() || it->first < end); ++it) out.push_back(*it);
  return out;
}

TEST(Txn, HashedAndOrderedFamiliesReadAndScanLikeASortedModel) {
  // kPersons is hashed, kGapEdges ordered: the same workload on both.
  ASSERT_FALSE(IsRangeScannedCf(Cf::kPersons));
  ASSERT_TRUE(IsRangeScannedCf(Cf::kGapEdges));
  for (Cf cf : {Cf::kPersons, Cf::kGapEdges}) {
    SCOPED_TRACE(CfName(cf));
    test::MemStore store;
    Model model;
    std::mt19937_64 rng(7);
    std::unique_ptr<Txn> flight;
    for (int batch = 0; batch < 60; ++batch) {
      auto txn = std::make_unique<Txn>(store, flight.get());
      for (int op = 0; op < 30; ++op) {
        const std::string k = Key(rng);
        switch (rng() % 4) {
          case 0:
            txn->Delete(cf, k);
            model.erase(k);
            break;
          case 1: {
            const std::string v = std::to_string(rng());
            txn->Put(cf, k, v);
            model[k] = v;
            break;
          }
          case 2: {
            std::string got;
            const Status st = txn->Get(cf, k, &got);
            if (auto it = model.find(k); it == model.end()) {
              EXPECT_TRUE(st.IsNotFound()) << k;
            } else {
              ASSERT_TRUE(st.ok()) << k;
              EXPECT_EQ(got, it->second);
            }
            break;
          }
          default: {
            std::string a = Key(rng), b = rng() % 5 == 0 ? std::string() : Key(rng);
            if (!b.empty() && b < a) std::swap(a, b);
            EXPECT_EQ(Scan(*txn, cf, a, b), ModelScan(model, a, b)) << a << ".." << b;
          }
        }
      }
      // The previous batch lands while this one is staged, as in ingest.
      if (flight) {
        ASSERT_TRUE(store.Write(*flight, true).ok());
      }
      txn->SetParent(nullptr);
      flight = std::move(txn);
    }
    ASSERT_TRUE(store.Write(*flight, true).ok());
    EXPECT_EQ(Scan(Txn(store), cf, "", ""), ModelScan(model, "", ""));
  }
}

TEST(Txn, WritesReachTheStoreInKeyOrderWhateverTheLayout) {
  test::MemStore store;
  Txn txn(store);
  for (const char* k : {"m", "b", "z", "a", "q"}) {
    txn.Put(Cf::kPersons, k, "v");
    txn.Put(Cf::kGapEdges, k, "v");
  }
  txn.Delete(Cf::kPersons, "q");
  for (Cf cf : {Cf::kPersons, Cf::kGapEdges}) {
    std::string order;
    txn.pending(cf).ForEachSorted([&](const std::string& k, const PendingWrites::Value&) { order += k; });
    EXPECT_EQ(order, "abmqz") << CfName(cf);
  }
}

}  // namespace
}  // namespace safetynet
