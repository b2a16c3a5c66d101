#include "daemon/history.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "events/crypto.h"
#include "events/ledger.h"
#include "replay/replay.h"

namespace safetynet {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSnapshotPrefix = "snapshot-";
constexpr const char* kViewPrefix = "view-";

std::string SnapshotName(uint64_t seq) {
  char name[48];
  std::snprintf(name, sizeof(name), "%s%020llu", kSnapshotPrefix, static_cast<unsigned long long>(seq));
  return name;
}

// Seqs of the snapshots in `dir`, ascending.
std::vector<uint64_t> Snapshots(const fs::path& dir) {
  std::vector<uint64_t> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(kSnapshotPrefix, 0) == 0)
      out.push_back(std::stoull(name.substr(std::string(kSnapshotPrefix).size())));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A copy of a RocksDB directory that may be opened and written without
// touching the original: immutable table files hard-linked, the rest copied.
Status CopyForWriting(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  for (const auto& e : fs::directory_iterator(from, ec)) {
    const fs::path target = to / e.path().filename();
    if (e.path().extension() == ".sst") {
      fs::create_hard_link(e.path(), target, ec);
    } else {
      fs::copy_file(e.path(), target, ec);
    }
    if (ec) return Status::Io("cannot copy " + e.path().string() + ": " + ec.message());
  }
  if (ec) return Status::Io("cannot read " + from.string() + ": " + ec.message());
  return Status::Ok();
}

}  // namespace

History::View::~View() {
  projections.reset();
  store.reset();
  std::error_code ec;
  if (!dir.empty()) fs::remove_all(dir, ec);
}

History::History(Store& live, std::string data_dir, HistoryOptions options)
    : live_(live), dir_((fs::path(data_dir) / "history").string()), options_(options) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  for (const auto& e : fs::directory_iterator(dir_, ec)) {  // views and unfinished snapshots of an earlier run
    const std::string name = e.path().filename().string();
    if (name.rfind(kSnapshotPrefix, 0) != 0) fs::remove_all(e.path(), ec);
  }
  const auto snaps = Snapshots(dir_);
  if (!snaps.empty()) last_snapshot_ = snaps.back();
}

void History::Poll(uint64_t applied_seq) {
  if (options_.interval_events == 0 || applied_seq < last_snapshot_ + options_.interval_events) return;
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path tmp = fs::path(dir_) / ("tmp-" + ToHex(RandomBytes(4)));
  Status st = live_.Checkpoint(tmp.string());
  uint64_t seq = 0;
  if (st.ok()) {
    auto copy = OpenRocksStore(tmp.string(), /*read_only=*/true);
    st = copy.status();
    if (copy.ok()) seq = ProjectionSet::RecordedAppliedSeq(**copy);
  }
  std::error_code ec;
  if (st.ok()) fs::rename(tmp, fs::path(dir_) / SnapshotName(seq), ec);
  if (!st.ok() || ec) {
    spdlog::warn("history snapshot failed: {}", st.ok() ? ec.message() : st.message());
    fs::remove_all(tmp, ec);
    last_snapshot_ = applied_seq;  // try again an interval later
    return;
  }
  last_snapshot_ = seq;
  auto snaps = Snapshots(dir_);
  for (size_t i = 0; i + options_.keep < snaps.size(); ++i) fs::remove_all(fs::path(dir_) / SnapshotName(snaps[i]), ec);
  spdlog::info("history snapshot at seq {} in {:.2f} s", seq,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

Result<uint64_t> History::SeqKnownOn(int32_t day) const { return SeqIngestedBy(live_, day); }

Result<std::shared_ptr<const History::View>> History::At(uint64_t seq) {
  auto head = ReadHead(live_);
  if (!head.ok()) return head.status();
  if (seq > head->seq) {
    return Status::Invalid("known_at " + std::to_string(seq) + " is beyond the log's head " +
                           std::to_string(head->seq));
  }
  std::unique_lock lock(mu_);
  for (auto it = views_.begin(); it != views_.end(); ++it) {
    if ((*it)->seq != seq) continue;
    views_.splice(views_.begin(), views_, it);
    return views_.front();
  }
  if (auto it = pending_.find(seq); it != pending_.end()) {
    Pending same = it->second;
    lock.unlock();
    return same.get();
  }
  // Other points are answered meanwhile: the fold runs outside the lock.
  std::promise<Result<std::shared_ptr<const View>>> promise;
  pending_.emplace(seq, promise.get_future().share());
  lock.unlock();
  Result<std::shared_ptr<const View>> view = Materialise(seq);
  lock.lock();
  pending_.erase(seq);
  if (view.ok()) {
    views_.push_front(*view);
    while (views_.size() > options_.views) views_.pop_back();
  }
  lock.unlock();
  promise.set_value(view);
  return view;
}

Result<std::shared_ptr<const History::View>> History::Materialise(uint64_t seq) {
  const auto t0 = std::chrono::steady_clock::now();
  auto view = std::make_shared<View>();
  view->seq = seq;
  view->dir = (fs::path(dir_) / (kViewPrefix + std::to_string(seq) + "-" + ToHex(RandomBytes(4)))).string();
  uint64_t base = 0;
  for (uint64_t s : Snapshots(dir_)) {
    if (s <= seq) base = s;
  }
  if (base > 0) {
    Status st = CopyForWriting(fs::path(dir_) / SnapshotName(base), view->dir);
    if (!st.ok()) return st;
  }
  auto store =
      OpenRocksStore(view->dir, false, StoreOptions{.memtable_bytes = 32 << 20, .block_cache_bytes = 16 << 20});
  if (!store.ok()) return store.status();
  view->store = std::move(*store);
  const ProjectionOptions options = ProjectionSet::RecordedOptions(live_);
  ReplayOptions ro;
  ro.projection_options = &options;
  ro.cancelled = [this] { return cancelled_.load(); };
  auto folded = FoldForward(live_, *view->store, seq, ro);
  if (!folded.ok()) return folded.status();
  auto set = ProjectionSet::Open(*view->store, &options);
  if (!set.ok()) return set.status();
  view->projections = std::move(*set);
  spdlog::info("the ledger as of seq {}: snapshot of seq {} and {} events folded in {:.2f} s", seq, base, *folded,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return std::shared_ptr<const View>(std::move(view));
}

}  // namespace safetynet
