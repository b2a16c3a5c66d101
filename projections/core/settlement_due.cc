#include "projections/core/settlement_due.h"

#include <set>

#include "events/codec_util.h"

namespace safetynet {
namespace {

std::string DuePrefix(DueKind kind, int32_t date) {
  std::string k(1, static_cast<char>(kind));
  PutDate(&k, date);
  return k;
}

}  // namespace

void MarkDue(Txn& txn, DueKind kind, int32_t date, std::string_view subject) {
  std::string k = DuePrefix(kind, date);
  k.append(subject);
  txn.Put(Cf::kSettlementDue, std::move(k), {});
}

std::vector<std::string> TakeDue(Txn& txn, DueKind kind, int32_t after, int32_t upto) {
  if (upto <= after) return {};
  std::vector<std::string> keys;
  std::set<std::string> subjects;
  txn.ScanRange(Cf::kSettlementDue, DuePrefix(kind, after + 1), DuePrefix(kind, upto + 1),
                [&](std::string_view key, std::string_view) {
                  keys.emplace_back(key);
                  subjects.emplace(key.substr(5));
                });
  for (std::string& key : keys) txn.Delete(Cf::kSettlementDue, std::move(key));
  return {subjects.begin(), subjects.end()};
}

}  // namespace safetynet
