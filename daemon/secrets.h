// Secrets: the key that pseudonymises person IDs, the key that encrypts dead
// letters, the key that signs the log's tree heads, and the auditor token made when no token is configured.
//
// Each key comes from the config file (hex, or a file), else the
// environment, else it is generated once into the secrets directory
// (`secrets.dir`; default: "<data_dir>-secrets", beside the data directory,
// so that a copy of the data directory alone neither decrypts dead letters
// nor lets pseudonyms be enumerated by hashing candidate IDs). Generated
// files are made safely: the directory is created 0700; a file is created
// exclusively (O_EXCL) at 0600, written, fsynced, and its directory fsynced;
// no symlink is followed; an existing file readable by group or others is
// refused. Secrets of an older daemon in "<data_dir>/secrets/" are moved to
// the secrets directory on first start.
// Thread-safety: functions, no shared state (the files are the state).
#pragma once

#include <string>
#include <vector>

#include "daemon/access.h"
#include "daemon/config.h"
#include "events/status.h"

namespace safetynet {

struct Secrets {
  std::string person_key;      // raw bytes
  std::string deadletter_key;  // raw 32 bytes
  std::string ledger_key;      // raw 32 bytes: the Ed25519 key signing tree heads
};

// Where generated secrets live for `config`.
std::string SecretsDir(const Config& config);
// Resolves the keys as documented above (may create the secrets directory).
Result<Secrets> LoadSecrets(const Config& config);
// One key alone, for the tools: the one signing tree heads, the one
// pseudonymising person IDs. Never generated: NotFound when neither the
// config, the environment nor the secrets directory has it.
Result<std::string> LoadLedgerKey(const Config& config);
Result<std::string> LoadPersonKey(const Config& config);
// The API tokens: those of the config file, plus an auditor token from
// SAFETYNET_AUDITOR_TOKEN (64 lowercase hex characters) when set, or from
// auditor.token in the secrets directory (generated once) when no token is
// configured at all.
Result<std::vector<AccessToken>> ResolveAccessTokens(const Config& config);

// Reads the 64-hex secret in `dir/name`, generating it first when absent
// (see above). Exposed for tests.
Result<std::string> ReadOrCreateSecret(const std::string& dir, const std::string& name);

}  // namespace safetynet
