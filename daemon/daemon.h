// Daemon: wires the store, the ledger writer, the projections, Kafka (embedded
// or external), the ingest loop and the HTTP API together.
// Run() consumes until RequestStop() (async-signal-safe) or a sticky storage
// failure, which it returns.
// Thread-safety: Run() on one thread; RequestStop() from anywhere.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "daemon/backup.h"
#include "daemon/config.h"
#include "daemon/embedded_kafka.h"
#include "daemon/findings_publisher.h"
#include "daemon/heads_publisher.h"
#include "daemon/history.h"
#include "daemon/http_api.h"
#include "daemon/ingest.h"
#include "daemon/kafka_consumer.h"
#include "daemon/metrics.h"
#include "daemon/secrets.h"

namespace safetynet {

class Daemon {
 public:
  explicit Daemon(Config config);
  ~Daemon();

  // Opens the ledger, starts Kafka (embedded when configured) and the HTTP
  // API; `listening` (may be empty) is called as soon as the API answers
  // (bootstrap() and http_port() are known then), before the consumer starts.
  Status Start(const std::function<void()>& listening = {});
  // The ingest loop; returns Ok after RequestStop(), an error on storage failure.
  Status Run();
  void RequestStop() { stop_.store(true); }

  const std::string& bootstrap() const { return bootstrap_; }
  int http_port() const { return http_ ? http_->port() : 0; }

 private:
  // Folds the log past the projections' last checkpoint into them.
  Status CatchUp();
  // Ties the ledger's positions to the broker now connected (events/positions.h).
  Status AdoptBroker();
  // Projections of another version are rebuilt from the log, in place.
  Status RebuildProjections(uint32_t version, const ProjectionOptions& requested);

  Config config_;
  std::atomic<bool> stop_{false};
  Metrics metrics_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<LedgerWriter> writer_;
  std::unique_ptr<ProjectionSet> projections_;
  std::unique_ptr<PersonHasher> hasher_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<EmbeddedKafka> embedded_;  // destroyed after the consumer (declared before it)
  std::unique_ptr<KafkaConsumer> consumer_;
  std::unique_ptr<HttpApi> http_;
  std::unique_ptr<FindingsPublisher> findings_publisher_;
  std::unique_ptr<HeadsPublisher> heads_publisher_;
  std::unique_ptr<BackupService> backups_;
  std::unique_ptr<History> history_;  // read by http_, which ~Daemon stops first
  std::string bootstrap_;
};

}  // namespace safetynet
