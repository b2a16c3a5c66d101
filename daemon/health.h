// Health: what GET /healthz tells besides "the daemon runs" — problems an
// operator must look at, found while it runs (a partition whose offsets went
// back below the ledger's, …). /healthz answers {"status":"ok"} without
// problems, {"status":"degraded","problems":[...]} with them; the ledger
// keeps the lasting record (for offsets: /v1/offset-jumps). While the
// projections fold the log past their last checkpoint (after a crash) it
// answers {"status":"catching_up","projections_seq":S,"log_seq":N}.
// Thread-safety: any thread.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace safetynet {

class Health {
 public:
  // Keeps the latest kKept problems.
  static constexpr size_t kKept = 20;
  void Report(std::string problem) {
    std::lock_guard lock(mu_);
    problems_.push_back(std::move(problem));
    if (problems_.size() > kKept) problems_.pop_front();
  }
  std::vector<std::string> problems() const {
    std::lock_guard lock(mu_);
    return {problems_.begin(), problems_.end()};
  }

 private:
  mutable std::mutex mu_;
  std::deque<std::string> problems_;
};

}  // namespace safetynet
