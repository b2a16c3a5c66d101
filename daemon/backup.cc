#include "daemon/backup.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "events/crypto.h"
#include "events/ledger.h"

namespace safetynet {
namespace {

namespace fs = std::filesystem;

fs::path ControlDir(const std::string& data_dir) { return fs::path(data_dir) / "control"; }

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Writes `text` to `path` whole or not at all (the reader polls for it).
Status WriteAtomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << text;
    if (!out) return Status::Io("cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return ec ? Status::Io("cannot rename " + tmp.string() + ": " + ec.message()) : Status::Ok();
}

}  // namespace

Result<uint64_t> TakeBackup(Store& store, const std::string& out_s) {
  const fs::path out(out_s);
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_empty(out, ec)) return Status::Invalid("backup target " + out_s + " is not empty");
  fs::create_directories(out, ec);
  if (ec) return Status::Io("cannot create " + out_s + ": " + ec.message());
  Status st = store.Checkpoint((out / "ledger").string());
  if (!st.ok()) return st;
  auto copy = OpenRocksStore((out / "ledger").string(), /*read_only=*/true);
  if (!copy.ok()) return copy.status();
  auto head = ReadHead(**copy);
  if (!head.ok()) return head.status();
  st = WriteAtomically(out / "BACKUP", "safetynet ledger backup: seq " + std::to_string(head->seq) + "\n");
  if (!st.ok()) return st;
  return head->seq;
}

Result<uint64_t> RequestBackup(const std::string& data_dir, const std::string& out, std::chrono::seconds timeout) {
  const fs::path control = ControlDir(data_dir);
  std::error_code ec;
  fs::create_directories(control, ec);
  if (ec) return Status::Io("cannot create " + control.string() + ": " + ec.message());
  const std::string id = ToHex(RandomBytes(8));
  const fs::path result = control / ("backup." + id + ".result");
  Status st = WriteAtomically(control / ("backup." + id + ".request"), fs::absolute(out).string());
  if (!st.ok()) return st;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!fs::exists(result, ec)) {
    if (std::chrono::steady_clock::now() > deadline) {
      fs::remove(control / ("backup." + id + ".request"), ec);
      return Status::Retryable("the daemon did not answer the backup request within " +
                               std::to_string(timeout.count()) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string answer = Slurp(result);
  fs::remove(result, ec);
  if (answer.starts_with("ok ")) return std::stoull(answer.substr(3));
  return Status::Io(answer.empty() ? "empty answer from the daemon" : answer);
}

void BackupService::Poll() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_look_) return;
  next_look_ = now + std::chrono::milliseconds(500);
  std::error_code ec;
  const fs::path control = ControlDir(data_dir_);
  if (!fs::is_directory(control, ec)) return;
  for (const auto& entry : fs::directory_iterator(control, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("backup.") || !name.ends_with(".request")) continue;
    const std::string out = Slurp(entry.path());
    fs::remove(entry.path(), ec);
    auto seq = TakeBackup(store_, out);
    const std::string id = name.substr(7, name.size() - 7 - 8);
    const std::string answer = seq.ok() ? "ok " + std::to_string(*seq) : "error: " + seq.status().message();
    spdlog::info("backup into {}: {}", out, answer);
    (void)WriteAtomically(control / ("backup." + id + ".result"), answer);
  }
}

}  // namespace safetynet
