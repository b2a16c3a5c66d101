#include "daemon/config.h"

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <sstream>
#include <type_traits>

namespace safetynet {
namespace {

// One key of the file: how to set it (Invalid names the key on a wrong type
// or range).
using Setter = std::function<Status(const toml::node&, Config*)>;

template <typename T>
Setter Set(T Config::*member) {
  return [member](const toml::node& n, Config* c) -> Status {
    if constexpr (std::is_same_v<T, std::string>) {
      if (!n.is_string()) return Status::Invalid("must be a string");
      c->*member = *n.value<std::string>();
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!n.is_boolean()) return Status::Invalid("must be true or false");
      c->*member = *n.value<bool>();
    } else {
      if (!n.is_integer()) return Status::Invalid("must be an integer");
      c->*member = static_cast<T>(*n.value<int64_t>());
    }
    return Status::Ok();
  };
}

// An integer within [lo, hi].
template <typename T>
Setter SetInt(T Config::*member, int64_t lo, int64_t hi) {
  return [member, lo, hi](const toml::node& n, Config* c) -> Status {
    if (!n.is_integer()) return Status::Invalid("must be an integer");
    const int64_t v = *n.value<int64_t>();
    if (v < lo || v > hi) {
      return Status::Invalid("must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    c->*member = static_cast<T>(v);
    return Status::Ok();
  };
}

Setter SetTopic(std::string TopicNames::*member) {
  return [member](const toml::node& n, Config* c) -> Status {
    if (!n.is_string() || n.value<std::string>()->empty()) return Status::Invalid("must be a topic name");
    c->topics.*member = *n.value<std::string>();
    return Status::Ok();
  };
}

Status SetTokens(const toml::node& node, Config* c) {
  const toml::array* arr = node.as_array();
  if (arr == nullptr) return Status::Invalid("must be an array of tables ([[access.tokens]])");
  for (const toml::node& n : *arr) {
    const toml::table* e = n.as_table();
    if (e == nullptr) return Status::Invalid("must be an array of tables ([[access.tokens]])");
    AccessToken a;
    for (const auto& [k, v] : *e) {
      const std::string key(k.str());
      if (key == "regions") {
        const toml::array* regions = v.as_array();
        if (regions == nullptr) return Status::Invalid("regions must be an array of strings");
        for (const toml::node& r : *regions) {
          if (!r.is_string()) return Status::Invalid("regions must be strings");
          a.regions.push_back(*r.value<std::string>());
        }
        continue;
      }
      std::string* field = key == "name"     ? &a.name
                           : key == "sha256" ? &a.sha256_hex
                           : key == "role"   ? &a.role
                                             : nullptr;
      if (field == nullptr) return Status::Invalid("unknown key " + key + " in a token");
      if (!v.is_string()) return Status::Invalid(key + " must be a string");
      *field = *v.value<std::string>();
    }
    c->access_tokens.push_back(std::move(a));
  }
  // Checked here so that a bad entry is reported with the file.
  auto checked = AccessControl::Make(c->access_tokens);
  return checked.ok() ? Status::Ok() : checked.status();
}

Status SetLogLevel(const toml::node& n, Config* c) {
  static constexpr std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (n.is_string()) {
    for (std::string_view l : kLevels) {
      if (*n.value<std::string>() == l) {
        c->log_level = std::string(l);
        return Status::Ok();
      }
    }
  }
  return Status::Invalid("must be one of trace, debug, info, warn, error, critical, off");
}

Status SetAssignment(const toml::node& n, Config* c) {
  if (!n.is_string()) return Status::Invalid("must be a string");
  const std::string v = *n.value<std::string>();
  if (v == "group") {
    return Status::Invalid(
        "= \"group\" is refused: members of one consumer group would split the partitions between independent "
        "ledgers, so a partition that moves is re-ingested or lost by its new owner; run one daemon (\"static\") "
        "until the scale-out design exists");
  }
  if (v != "static") return Status::Invalid("must be \"static\"");
  c->assignment = v;
  return Status::Ok();
}

// Every key the file may hold, by its dotted path (ops/safetynet.toml documents each).
const std::map<std::string, Setter>& Keys() {
  static const std::map<std::string, Setter> kKeys = {
      {"data_dir", Set(&Config::data_dir)},
      {"log_level", SetLogLevel},
      {"kafka.brokers", Set(&Config::brokers)},
      {"kafka.embedded", Set(&Config::embedded_kafka)},
      {"kafka.embedded_partitions", SetInt(&Config::embedded_partitions, 1, 256)},
      {"kafka.group_id", Set(&Config::group_id)},
      {"kafka.assignment", SetAssignment},
      {"kafka.fetch_wait_max_ms", SetInt(&Config::fetch_wait_max_ms, 0, 60000)},
      {"topics.roster", SetTopic(&TopicNames::roster)},
      {"topics.enrollment", SetTopic(&TopicNames::enrollment)},
      {"topics.claims", SetTopic(&TopicNames::claims)},
      {"topics.reimbursements", SetTopic(&TopicNames::reimbursements)},
      {"topics.policy", SetTopic(&TopicNames::policy)},
      {"topics.rectification", SetTopic(&TopicNames::rectification)},
      {"topics.findings", SetTopic(&TopicNames::findings)},
      {"topics.ledger_heads", SetTopic(&TopicNames::ledger_heads)},
      {"http.listen", Set(&Config::http_listen)},
      {"http.threads", SetInt(&Config::http_threads, 1, 256)},
      {"ingest.batch_events_max", SetInt(&Config::batch_events_max, 1, 10000000)},
      {"ingest.batch_bytes_max", SetInt(&Config::batch_bytes_max, 1, int64_t{1} << 32)},
      {"ingest.batch_wait_ms", SetInt(&Config::batch_wait_ms, 0, 60000)},
      {"ingest.sync_writes", Set(&Config::sync_writes)},
      {"ingest.future_margin_days", SetInt(&Config::future_margin_days, 0, 3660)},
      {"projections.checkpoint_interval_ms", SetInt(&Config::checkpoint_interval_ms, 0, 3600000)},
      {"projections.checkpoint_entries", SetInt(&Config::checkpoint_entries, 1000, int64_t{1} << 30)},
      {"projections.cache_mb", SetInt(&Config::cache_mb, 1, 1 << 20)},
      {"storage.memtable_mb", SetInt(&Config::memtable_mb, 8, 1 << 20)},
      {"storage.block_cache_mb", SetInt(&Config::block_cache_mb, 8, 1 << 20)},
      {"findings.settlement_window_days", SetInt(&Config::settlement_window_days, 0, 3660)},
      {"rectification.auto_deadline_days", SetInt(&Config::auto_deadline_days, 0, 3660)},
      {"secrets.dir", Set(&Config::secrets_dir)},
      {"secrets.person_key", Set(&Config::person_key_hex)},
      {"secrets.person_key_file", Set(&Config::person_key_file)},
      {"secrets.deadletter_key", Set(&Config::deadletter_key_hex)},
      {"secrets.deadletter_key_file", Set(&Config::deadletter_key_file)},
      {"secrets.ledger_key", Set(&Config::ledger_key_hex)},
      {"secrets.ledger_key_file", Set(&Config::ledger_key_file)},
      {"ledger.heads_interval_ms", SetInt(&Config::ledger_heads_interval_ms, 100, 86400000)},
      {"history.interval_events", SetInt(&Config::history_interval_events, 0, int64_t{1} << 40)},
      {"history.keep", SetInt(&Config::history_keep, 1, 100000)},
      {"access.tokens", SetTokens},
  };
  return kKeys;
}

// Sets every key of `table` (under `prefix`), refusing unknown ones.
Status Apply(const toml::table& table, const std::string& prefix, Config* c) {
  for (const auto& [k, node] : table) {
    const std::string path = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    const auto it = Keys().find(path);
    if (it == Keys().end()) {
      if (const toml::table* sub = node.as_table()) {
        Status st = Apply(*sub, path, c);
        if (!st.ok()) return st;
        continue;
      }
      return Status::Invalid("unknown key " + path);
    }
    Status st = it->second(node, c);
    if (!st.ok()) return Status::Invalid(path + " " + st.message());
  }
  return Status::Ok();
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
  Status st = Apply(t, "", c);
  if (!st.ok()) return Status::Invalid("config " + path + ": " + st.message());
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

}  // namespace safetynet
