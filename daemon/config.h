// Daemon configuration: defaults that work on one machine, overridden by the
// TOML file (documented example: ops/safetynet.toml), then by flags, then by
// environment variables for secrets. Every key, its unit and its default are
// documented in ops/safetynet.toml.
// Thread-safety: plain value, read-only after Load.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/access.h"
#include "events/status.h"
#include "events/topics.h"

namespace safetynet {

struct Config {
  std::string data_dir = "data";
  std::string log_level = "info";

  // Kafka
  std::string brokers;          // bootstrap servers; empty with embedded_kafka
  bool embedded_kafka = false;  // run librdkafka's in-process mock cluster
  int embedded_partitions = 4;  // partitions per topic created by the embedded broker
  std::string group_id = "safetynet";
  std::string assignment = "static";  // own every partition ("group" is refused: see docs/decisions.md)
  int fetch_wait_max_ms = 5;
  TopicNames topics;

  // HTTP
  std::string http_listen = "127.0.0.1:8080";
  int http_threads = 64;  // pool threads; each open connection holds one

  // Ingest batching
  size_t batch_events_max = 20000;
  size_t batch_bytes_max = 16 << 20;
  int batch_wait_ms = 20;
  bool sync_writes = true;     // fsync each batch before its offsets count as consumed
  int future_margin_days = 1;  // occurred_on may be at most the ingest day (UTC) plus this

  // Projection state held in memory and checkpointed (events/batch_pipeline.h)
  int checkpoint_interval_ms = 1000;    // queries see new events at most this late while ingest runs
  size_t checkpoint_entries = 1 << 19;  // projection writes held before a checkpoint
  size_t cache_mb = 256;                // read cache of projection records

  // Storage memory (events/store.h)
  size_t memtable_mb = 128;
  size_t block_cache_mb = 128;

  // Findings and rectification items (recorded with the projections)
  int settlement_window_days = 30;  // C6, C7, C10 wait this long after their date
  int auto_deadline_days = 30;      // a finding's automatic item: first opening + days

  // Signed tree heads of the log, published to topics.ledger_heads every
  // this often when the log has grown, and at shutdown.
  int ledger_heads_interval_ms = 10000;

  // Snapshots for known_at queries (daemon/history.h): every this many
  // events (0: none; known_at then folds the log from its start), the latest
  // history_keep kept.
  size_t history_interval_events = 1000000;
  size_t history_keep = 16;

  // Secrets: 64 hex characters each. Empty: read from the *_file, else from
  // the environment (SAFETYNET_PERSON_KEY, SAFETYNET_DEADLETTER_KEY), else
  // generated once into the secrets directory (daemon/secrets.h).
  std::string secrets_dir;  // empty: "<data_dir>-secrets"
  std::string person_key_hex;
  std::string person_key_file;
  std::string deadletter_key_hex;
  std::string deadletter_key_file;
  std::string ledger_key_hex;  // Ed25519 private key signing tree heads (SAFETYNET_LEDGER_KEY)
  std::string ledger_key_file;

  // API tokens ([[access.tokens]]; see daemon/access.h).
  std::vector<AccessToken> access_tokens;
};

// Reads a TOML file over the defaults. Invalid, naming the key, for an
// unknown key, a value of the wrong type or out of its range.
Status LoadConfigFile(const std::string& path, Config* config);
// Splits "HOST:PORT".
Status SplitHostPort(const std::string& s, std::string* host, int* port);

}  // namespace safetynet
