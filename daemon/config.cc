#include "daemon/config.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/crypto.h"

namespace safetynet {
namespace {

template <typename T>
void Read(const toml::table& t, std::string_view path, T* out) {
  if (auto v = t.at_path(path).value<T>()) *out = *v;
}

Result<std::string> ResolveKey(const std::string& hex, const std::string& file, const char* env,
                               const std::string& data_dir, const char* name) {
  std::string text = hex;
  if (text.empty() && !file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::Invalid(std::string("cannot read ") + name + " file " + file);
    in >> text;
  }
  if (text.empty()) {
    if (const char* e = std::getenv(env); e != nullptr) text = e;
  }
  if (text.empty()) {
    const auto dir = std::filesystem::path(data_dir) / "secrets";
    const auto path = dir / name;
    std::ifstream in(path);
    if (in) {
      in >> text;
    } else {
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec) return Status::Io("cannot create " + dir.string() + ": " + ec.message());
      text = ToHex(RandomBytes(32));
      std::ofstream out(path);
      out << text << "\n";
      out.close();
      if (!out) return Status::Io("cannot write " + path.string());
      ::chmod(path.c_str(), 0600);
    }
  }
  std::string raw;
  if (!FromHex(text, &raw) || raw.size() != 32) {
    return Status::Invalid(std::string(name) + " must be 64 hex characters (32 bytes)");
  }
  return raw;
}

}  // namespace

Status LoadConfigFile(const std::string& path, Config* c) {
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << "config " << path << ": " << e.description() << " at line " << e.source().begin.line;
    return Status::Invalid(os.str());
  }
  Read(t, "data_dir", &c->data_dir);
  Read(t, "log_level", &c->log_level);
  Read(t, "kafka.brokers", &c->brokers);
  Read(t, "kafka.embedded", &c->embedded_kafka);
  Read(t, "kafka.embedded_partitions", &c->embedded_partitions);
  Read(t, "kafka.group_id", &c->group_id);
  Read(t, "kafka.assignment", &c->assignment);
  Read(t, "kafka.fetch_wait_max_ms", &c->fetch_wait_max_ms);
  Read(t, "topics.roster", &c->topics.roster);
  Read(t, "topics.enrollment", &c->topics.enrollment);
  Read(t, "topics.claims", &c->topics.claims);
  Read(t, "topics.reimbursements", &c->topics.reimbursements);
  Read(t, "topics.policy", &c->topics.policy);
  Read(t, "topics.rectification", &c->topics.rectification);
  Read(t, "topics.findings", &c->topics.findings);
  Read(t, "http.listen", &c->http_listen);
  Read(t, "http.threads", &c->http_threads);
  int64_t n = 0;
  if (auto v = t.at_path("ingest.batch_events_max").value<int64_t>())
    n = *v, c->batch_events_max = static_cast<size_t>(n);
  if (auto v = t.at_path("ingest.batch_bytes_max").value<int64_t>())
    n = *v, c->batch_bytes_max = static_cast<size_t>(n);
  Read(t, "ingest.batch_wait_ms", &c->batch_wait_ms);
  Read(t, "ingest.sync_writes", &c->sync_writes);
  Read(t, "ingest.future_margin_days", &c->future_margin_days);
  Read(t, "rectification.auto_deadline_days", &c->auto_deadline_days);
  Read(t, "findings.settlement_window_days", &c->settlement_window_days);
  Read(t, "secrets.person_key", &c->person_key_hex);
  Read(t, "secrets.person_key_file", &c->person_key_file);
  Read(t, "secrets.deadletter_key", &c->deadletter_key_hex);
  Read(t, "secrets.deadletter_key_file", &c->deadletter_key_file);
  if (const toml::node* tokens = t.at_path("access.tokens").node()) {
    const toml::array* arr = tokens->as_array();
    if (arr == nullptr) return Status::Invalid("access.tokens must be an array of tables ([[access.tokens]])");
    for (const toml::node& n : *arr) {
      const toml::table* e = n.as_table();
      if (e == nullptr) return Status::Invalid("access.tokens must be an array of tables ([[access.tokens]])");
      AccessToken a;
      a.name = e->at_path("name").value_or(std::string());
      a.sha256_hex = e->at_path("sha256").value_or(std::string());
      a.role = e->at_path("role").value_or(std::string());
      if (const toml::array* regions = e->at_path("regions").as_array()) {
        for (const toml::node& r : *regions) {
          auto v = r.value<std::string>();
          if (!v) return Status::Invalid("access token \"" + a.name + "\": regions must be strings");
          a.regions.push_back(*v);
        }
      }
      c->access_tokens.push_back(std::move(a));
    }
    // Checked here so that a bad entry is reported with the file.
    auto checked = AccessControl::Make(c->access_tokens);
    if (!checked.ok()) return Status::Invalid("config " + path + ": " + checked.status().message());
  }
  if (c->assignment != "static" && c->assignment != "group") {
    return Status::Invalid("kafka.assignment must be \"static\" or \"group\"");
  }
  if (c->auto_deadline_days < 0 || c->auto_deadline_days > 3660) {
    return Status::Invalid("rectification.auto_deadline_days must be between 0 and 3660");
  }
  if (c->future_margin_days < 0 || c->future_margin_days > 3660) {
    return Status::Invalid("ingest.future_margin_days must be between 0 and 3660");
  }
  if (c->settlement_window_days < 0 || c->settlement_window_days > 3660) {
    return Status::Invalid("findings.settlement_window_days must be between 0 and 3660");
  }
  if (c->batch_events_max == 0 || c->batch_bytes_max == 0) return Status::Invalid("ingest batch limits must be > 0");
  return Status::Ok();
}

Status SplitHostPort(const std::string& s, std::string* host, int* port) {
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos) return Status::Invalid("expected HOST:PORT, got " + s);
  *host = s.substr(0, colon);
  try {
    *port = std::stoi(s.substr(colon + 1));
  } catch (...) {
    return Status::Invalid("bad port in " + s);
  }
  if (*port < 0 || *port > 65535) return Status::Invalid("bad port in " + s);
  return Status::Ok();
}

Result<Secrets> LoadSecrets(const Config& c) {
  auto person = ResolveKey(c.person_key_hex, c.person_key_file, "SAFETYNET_PERSON_KEY", c.data_dir, "person.key");
  if (!person.ok()) return person.status();
  auto dl =
      ResolveKey(c.deadletter_key_hex, c.deadletter_key_file, "SAFETYNET_DEADLETTER_KEY", c.data_dir, "deadletter.key");
  if (!dl.ok()) return dl.status();
  return Secrets{*person, *dl};
}

Result<std::vector<AccessToken>> ResolveAccessTokens(const Config& c) {
  std::vector<AccessToken> tokens = c.access_tokens;
  if (tokens.empty() || std::getenv("SAFETYNET_AUDITOR_TOKEN") != nullptr) {
    auto raw = ResolveKey("", "", "SAFETYNET_AUDITOR_TOKEN", c.data_dir, "auditor.token");
    if (!raw.ok()) return raw.status();
    tokens.push_back({"auditor", TokenSha256Hex(ToHex(*raw)), "auditor", {}});
  }
  return tokens;
}

}  // namespace safetynet
