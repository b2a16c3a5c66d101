// A ledger on a MemStore with a LedgerWriter, for unit tests of what reads
// the log: Append(n, batch) appends n events (persons of a small pool) in
// committed batches and keeps their leaf hashes.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "events/codec.h"
#include "events/ledger.h"
#include "events/merkle.h"
#include "tests/mem_store.h"

namespace safetynet::test {

inline std::string GrantJson(int i) {
  return R"({"event_id":"m)" + std::to_string(i) +
         R"(","occurred_on":20200101,"source":"s","region":"230102","person_id":"P)" + std::to_string(i % 17) +
         R"(","payload_type":"IdentityGranted","payload":{"identity":"REGISTERED_POOR","valid_from":20200101}})";
}

class LogFixture : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    auto w = LedgerWriter::Open(store_, Sealer(std::string(32, 'd')));
    ASSERT_TRUE(w.ok()) << w.status().message();
    writer_ = std::move(*w);
  }
  // Appends `n` events in batches of `batch`, committing each.
  void Append(int n, int batch) {
    for (int done = 0; done < n;) {
      Txn txn(store_);
      for (int i = 0; i < batch && done < n; ++i, ++done) {
        std::string stored;
        ASSERT_TRUE(codec_.DecodeInbound(GrantJson(next_++), TopicKind::kRoster, &stored).ok());
        uint64_t seq = 0;
        ASSERT_EQ(writer_->Append(txn, stored, *ReadEvent(stored), &seq), LedgerWriter::Outcome::kAppended);
        Digest chain{};
        std::string v;
        ASSERT_TRUE(txn.Get(Cf::kLog, LogKey(seq), &v).ok());
        std::copy_n(v.data(), 32, reinterpret_cast<char*>(chain.data()));
        leaves_.push_back(merkle::LeafHash(chain));
      }
      writer_->FinishBatch(txn);
      ASSERT_TRUE(store_.Write(txn, true).ok());
      writer_->Committed();
    }
  }

  test::MemStore store_;
  PersonHasher hasher_{std::string(32, 'k')};
  EventCodec codec_{&hasher_};
  std::unique_ptr<LedgerWriter> writer_;
  std::vector<Digest> leaves_;
  int next_ = 1;
};

}  // namespace safetynet::test
