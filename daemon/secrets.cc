#include "daemon/secrets.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "events/crypto.h"

namespace safetynet {
namespace {

namespace fs = std::filesystem;

Status Errno(const std::string& what) { return Status::Io(what + ": " + std::strerror(errno)); }

// Creates `dir` (and its parents) with mode 0700 where missing; refuses a symlink.
Status EnsurePrivateDir(const fs::path& dir) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) return Status::Invalid("secrets directory " + dir.string() + " is a symlink");
    if (!S_ISDIR(st.st_mode)) return Status::Invalid("secrets directory " + dir.string() + " is not a directory");
    return Status::Ok();
  }
  if (dir.has_parent_path() && !dir.parent_path().empty()) {
    std::error_code ec;
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return Status::Io("cannot create " + dir.parent_path().string() + ": " + ec.message());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Errno("cannot create " + dir.string());
  return Status::Ok();
}

Status FsyncPath(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open " + p.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Errno("cannot fsync " + p.string());
}

// Reads a secret file that must be a regular file not readable by others.
Result<std::string> ReadSecretFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) return Status::Invalid("secret " + path.string() + " is a symlink; refused");
    return Errno("cannot read " + path.string());
  }
  struct stat st {};
  std::string text(256, '\0');
  const bool stat_ok = ::fstat(fd, &st) == 0;
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (!stat_ok || !S_ISREG(st.st_mode)) return Status::Invalid("secret " + path.string() + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Status::Invalid("secret " + path.string() + " is readable by group or others: chmod 600 it");
  }
  if (n < 0) return Errno("cannot read " + path.string());
  text.resize(static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

// Writes a new secret: exclusive create at 0600, fsync of the file and its
// directory. Ok without writing when the file exists already (*existed).
Status WriteNewSecret(const fs::path& path, const std::string& text, bool* existed) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  *existed = fd < 0 && errno == EEXIST;
  if (*existed) return Status::Ok();
  if (fd < 0) return Errno("cannot create " + path.string());
  const std::string line = text + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Errno("cannot write " + path.string());
  return FsyncPath(path.parent_path(), O_RDONLY | O_DIRECTORY);
}

Result<std::string> Decode32(const std::string& text, const std::string& name) {
  std::string raw;
  if (!FromHex(text, &raw) || raw.size() != 32) {
    return Status::Invalid(name + " must be 64 hex characters (32 bytes)");
  }
  return raw;
}

Result<std::string> ResolveKey(const Config& c, const std::string& hex, const std::string& file, const char* env,
                               const std::string& name) {
  std::string text = hex;
  if (text.empty() && !file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::Invalid("cannot read " + name + " file " + file);
    in >> text;
  }
  if (text.empty()) {
    if (const char* e = std::getenv(env); e != nullptr) text = e;
  }
  if (text.empty()) {
    auto generated = ReadOrCreateSecret(SecretsDir(c), name);
    if (!generated.ok()) return generated.status();
    text = *generated;
  }
  return Decode32(text, name);
}

// An older daemon kept generated secrets inside the data directory: move
// them out, so that a copy of the data directory no longer carries them.
Status MoveLegacySecrets(const Config& c) {
  const fs::path legacy = fs::path(c.data_dir) / "secrets";
  std::error_code ec;
  if (!fs::is_directory(legacy, ec) || fs::path(SecretsDir(c)) == legacy) return Status::Ok();
  Status st = EnsurePrivateDir(SecretsDir(c));
  if (!st.ok()) return st;
  for (const char* name : {"person.key", "deadletter.key", "auditor.token"}) {
    const fs::path from = legacy / name, to = fs::path(SecretsDir(c)) / name;
    if (!fs::exists(from, ec) || fs::exists(to, ec)) continue;
    fs::rename(from, to, ec);
    if (ec) return Status::Io("cannot move " + from.string() + " to " + to.string() + ": " + ec.message());
  }
  fs::remove(legacy, ec);  // only when empty
  return Status::Ok();
}

}  // namespace

std::string SecretsDir(const Config& c) {
  if (!c.secrets_dir.empty()) return c.secrets_dir;
  fs::path data = fs::path(c.data_dir).lexically_normal();
  if (data.filename().empty()) data = data.parent_path();  // "data/" -> "data"
  return data.string() + "-secrets";
}

Result<std::string> ReadOrCreateSecret(const std::string& dir_s, const std::string& name) {
  const fs::path dir(dir_s);
  Status st = EnsurePrivateDir(dir);
  if (!st.ok()) return st;
  const fs::path path = dir / name;
  bool existed = false;  // then (or made by another process first) read what is there
  st = WriteNewSecret(path, ToHex(RandomBytes(32)), &existed);
  if (!st.ok()) return st;
  return ReadSecretFile(path);
}

Result<Secrets> LoadSecrets(const Config& c) {
  Status st = MoveLegacySecrets(c);
  if (!st.ok()) return st;
  auto person = ResolveKey(c, c.person_key_hex, c.person_key_file, "SAFETYNET_PERSON_KEY", "person.key");
  if (!person.ok()) return person.status();
  auto dl = ResolveKey(c, c.deadletter_key_hex, c.deadletter_key_file, "SAFETYNET_DEADLETTER_KEY", "deadletter.key");
  if (!dl.ok()) return dl.status();
  auto ledger = ResolveKey(c, c.ledger_key_hex, c.ledger_key_file, "SAFETYNET_LEDGER_KEY", "ledger.key");
  if (!ledger.ok()) return ledger.status();
  return Secrets{*person, *dl, *ledger};
}

namespace {

Result<std::string> LoadExistingKey(const Config& c, const std::string& hex, const std::string& file, const char* env,
                                    const std::string& name) {
  std::error_code ec;
  const fs::path generated = fs::path(SecretsDir(c)) / name;
  if (hex.empty() && file.empty() && std::getenv(env) == nullptr && !fs::exists(generated, ec)) {
    return Status::NotFound("no " + name + " for " + c.data_dir + " (" + generated.string() +
                            " does not exist: has the daemon run on it? give its --config)");
  }
  return ResolveKey(c, hex, file, env, name);
}

}  // namespace

Result<std::string> LoadLedgerKey(const Config& c) {
  return LoadExistingKey(c, c.ledger_key_hex, c.ledger_key_file, "SAFETYNET_LEDGER_KEY", "ledger.key");
}

Result<std::string> LoadPersonKey(const Config& c) {
  return LoadExistingKey(c, c.person_key_hex, c.person_key_file, "SAFETYNET_PERSON_KEY", "person.key");
}

Result<std::vector<AccessToken>> ResolveAccessTokens(const Config& c) {
  std::vector<AccessToken> tokens = c.access_tokens;
  if (tokens.empty() || std::getenv("SAFETYNET_AUDITOR_TOKEN") != nullptr) {
    auto raw = ResolveKey(c, "", "", "SAFETYNET_AUDITOR_TOKEN", "auditor.token");
    if (!raw.ok()) return raw.status();
    tokens.push_back({"auditor", TokenSha256Hex(ToHex(*raw)), "auditor", {}});
  }
  return tokens;
}

}  // namespace safetynet
