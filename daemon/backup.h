// Backups of the ledger, taken online: a RocksDB checkpoint (hard links of
// the immutable files, memtables flushed first) of the whole store — log,
// dead letters, offsets and projections of one moment, consistent with each
// other — into OUT/ledger, with OUT/BACKUP naming the seq it holds. A
// backup is a data directory: restore it by copying OUT to where a daemon's
// data directory is (with the secrets, which are kept apart: daemon/secrets.h)
// and starting the daemon on it; it resumes from the backup's offsets.
//
// While a daemon runs it holds the store, so `safetynet backup` asks it
// through the data directory: a request file in DATA/control/ that the
// daemon's ingest loop serves (BackupService) and answers with a result file.
// Thread-safety: BackupService on the ingest thread; the functions anywhere.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "events/status.h"
#include "events/store.h"

namespace safetynet {

// Checkpoints `store` into `out` (which must not exist, or be empty) and
// returns the log's head seq in the copy.
Result<uint64_t> TakeBackup(Store& store, const std::string& out);

// Asks the daemon running on `data_dir` for a backup into `out`; waits for
// its answer up to `timeout`.
Result<uint64_t> RequestBackup(const std::string& data_dir, const std::string& out, std::chrono::seconds timeout);

class BackupService {
 public:
  BackupService(Store& store, std::string data_dir) : store_(store), data_dir_(std::move(data_dir)) {}
  // Serves pending requests; cheap when there are none (call it often).
  void Poll();

 private:
  Store& store_;
  std::string data_dir_;
  std::chrono::steady_clock::time_point next_look_{};
};

}  // namespace safetynet
