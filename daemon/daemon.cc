#include "daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "replay/replay.h"

namespace safetynet {

Daemon::Daemon(Config config) : config_(std::move(config)) {}

Daemon::~Daemon() {
  if (history_) history_->Cancel();  // a fold for a known_at query would hold up the HTTP server's stop
  if (http_) http_->Stop();
  findings_publisher_.reset();
  heads_publisher_.reset();  // publishes the last head
  consumer_.reset();         // clients before the embedded cluster
  embedded_.reset();
}

Status Daemon::Start(const std::function<void()>& listening) {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) return Status::Io("cannot create data directory " + config_.data_dir + ": " + ec.message());
  auto secrets = LoadSecrets(config_);
  if (!secrets.ok()) return secrets.status();

  StoreOptions so{.memtable_bytes = config_.memtable_mb << 20, .block_cache_bytes = config_.block_cache_mb << 20};
  // Tests of a disk that fills up (R4) set SAFETYNET_TEST_DISK_FULL_AFTER_BYTES.
  if (const char* n = std::getenv("SAFETYNET_TEST_DISK_FULL_AFTER_BYTES"); n != nullptr) {
    so.disk_full_after_bytes = std::strtoull(n, nullptr, 10);
    spdlog::warn("test hook: the disk fills up after {} bytes written", so.disk_full_after_bytes);
  }
  using Clock = std::chrono::steady_clock;
  const auto t_open = Clock::now();
  auto store = OpenRocksStore((std::filesystem::path(config_.data_dir) / "ledger").string(), false, so);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  auto writer = LedgerWriter::Open(*store_, Sealer(secrets->deadletter_key));
  if (!writer.ok()) return writer.status();
  writer_ = std::move(*writer);
  const auto t_projections = Clock::now();  // a rebuild of older projections counts with them
  const ProjectionOptions options{config_.auto_deadline_days, config_.settlement_window_days};
  if (const uint32_t version = ProjectionSet::RecordedVersion(*store_);
      version != 0 && version != kProjectionsVersion) {
    Status st = RebuildProjections(version, options);
    if (!st.ok()) return st;
  }
  auto projections = ProjectionSet::Open(*store_, &options);
  if (!projections.ok()) return projections.status();
  const auto t_loaded = Clock::now();
  projections_ = std::move(*projections);
  if (projections_->applied_seq() > writer_->head().seq) {
    return Status::Corruption("projections reflect seq " + std::to_string(projections_->applied_seq()) +
                              " but the log ends at " + std::to_string(writer_->head().seq));
  }
  hasher_ = std::make_unique<PersonHasher>(secrets->person_key);
  const auto& c = writer_->counters();
  metrics_.appended = c.appended;
  metrics_.duplicates = c.duplicates;
  metrics_.rejected = c.rejected;
  metrics_.offset_jumps = c.offset_jumps;
  metrics_.skipped_messages = c.skipped_messages;
  metrics_.offset_rewinds = c.offset_rewinds;
  metrics_.log_seq = writer_->head().seq;
  metrics_.applied_seq = projections_->applied_seq();
  // From the first query on, /healthz tells that the projections stand
  // behind the log until Run() has folded it (CatchUp).
  metrics_.catching_up.store(projections_->applied_seq() < writer_->head().seq);
  const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
  spdlog::info("ledger at {}: {} events, {} dead letters (store and log opened in {:.2f} s, projections in {:.2f} s)",
               config_.data_dir, writer_->head().seq, c.rejected, seconds(t_projections - t_open),
               seconds(t_loaded - t_projections));

  bootstrap_ = config_.brokers;
  if (config_.embedded_kafka) {
    std::vector<std::string> topics = config_.topics.Inbound();
    for (const auto& o : config_.topics.Outbound()) topics.push_back(o);
    auto ek = EmbeddedKafka::Start(topics, config_.embedded_partitions);
    if (!ek.ok()) return ek.status();
    embedded_ = std::move(*ek);
    bootstrap_ = embedded_->bootstrap();
  }
  if (bootstrap_.empty()) return Status::Invalid("no Kafka brokers: give --brokers or --embedded-kafka");

  auto tokens = ResolveAccessTokens(config_);
  if (!tokens.ok()) return tokens.status();
  auto access = AccessControl::Make(*tokens);
  if (!access.ok()) return access.status();
  auto signer = Ed25519Signer::Make(secrets->ledger_key);
  if (!signer.ok()) return signer.status();
  history_ = std::make_unique<History>(
      *store_, config_.data_dir,
      HistoryOptions{.interval_events = config_.history_interval_events, .keep = config_.history_keep});
  HttpContext hctx{
      store_.get(), projections_.get(), &metrics_, secrets->person_key, secrets->deadletter_key, std::move(*access),
      *signer,      history_.get()};
  http_ = std::make_unique<HttpApi>(std::move(hctx));
  std::string host;
  int port = 0;
  Status st = SplitHostPort(config_.http_listen, &host, &port);
  if (st.ok()) st = http_->Start(host, port, HttpLimits{.threads = config_.http_threads});
  if (!st.ok()) return st;
  if (listening) listening();

  ConsumerOptions co;
  co.brokers = bootstrap_;
  co.group_id = config_.group_id;
  co.topics = config_.topics.Inbound();
  co.fetch_wait_max_ms = config_.fetch_wait_max_ms;
  co.batch_events_max = config_.batch_events_max;
  co.batch_bytes_max = config_.batch_bytes_max;
  co.batch_wait_ms = config_.batch_wait_ms;
  co.stored_offsets = [this] {
    (void)ingestor_->Drain();  // a failure stays sticky and stops the loop
    return ingestor_->next_offsets();
  };
  auto consumer = KafkaConsumer::Create(std::move(co));
  if (!consumer.ok()) return consumer.status();
  consumer_ = std::move(*consumer);
  st = AdoptBroker();
  if (!st.ok()) return st;
  const PipelineOptions po{.sync = config_.sync_writes,
                           .checkpoint_entries = config_.checkpoint_entries,
                           .checkpoint_interval = std::chrono::milliseconds(config_.checkpoint_interval_ms),
                           .cache_bytes = config_.cache_mb << 20};
  ingestor_ = std::make_unique<Ingestor>(*store_, *writer_, *projections_, *hasher_, config_.topics, metrics_, po,
                                         config_.future_margin_days);
  backups_ = std::make_unique<BackupService>(*store_, config_.data_dir);
  findings_publisher_ = std::make_unique<FindingsPublisher>(*store_, bootstrap_, config_.topics.findings, metrics_);
  st = findings_publisher_->Start();
  heads_publisher_ =
      std::make_unique<HeadsPublisher>(*store_, *signer, bootstrap_, config_.topics.ledger_heads,
                                       std::chrono::milliseconds(config_.ledger_heads_interval_ms), metrics_);
  if (st.ok()) st = heads_publisher_->Start();
  if (st.ok()) st = consumer_->Start();
  return st;
}

Status Daemon::RebuildProjections(uint32_t version, const ProjectionOptions& requested) {
  // Settings recorded by the old version still bind; the others are the requested ones.
  ProjectionOptions options = requested;
  const ProjectionOptions recorded = ProjectionSet::RecordedOptions(*store_);
  options.auto_deadline_days = recorded.auto_deadline_days;
  spdlog::warn(
      "the projections in {} were built by projections version {}, this daemon's is {}: rebuilding them from "
      "the log ({} events) before starting",
      config_.data_dir, version, kProjectionsVersion, writer_->head().seq);
  ReplayOptions ro;
  ro.projection_options = &options;
  auto r = RebuildInPlace(*store_, ro);
  if (!r.ok()) return r.status();
  spdlog::info("projections rebuilt: {} events, digest {}", r->events, r->digest);
  return Status::Ok();
}

Status Daemon::AdoptBroker() {
  const BrokerIdentity now{config_.embedded_kafka, config_.embedded_kafka ? "" : consumer_->ClusterId(5000)};
  const uint32_t before = writer_->incarnation();
  auto adopted = writer_->AdoptBroker(*store_, now);
  if (!adopted.ok()) return adopted.status();
  const LedgerWriter::Adoption adoption = *adopted;
  if (adoption == LedgerWriter::Adoption::kSame) {
    spdlog::info("broker incarnation {} ({}): positions continue from the ledger", before, now.Describe());
  } else if (adoption == LedgerWriter::Adoption::kLearned) {
    spdlog::info("broker incarnation {} is {}: positions continue from the ledger", before, now.Describe());
  } else if (before == 0) {
    spdlog::info("broker incarnation 1 ({}): the first, positions start at each partition's beginning", now.Describe());
  } else {
    spdlog::warn(
        "broker incarnation {} ({}) follows incarnation {}: {}; positions start at each partition's beginning, "
        "those of incarnation {} stay on record",
        writer_->incarnation(), now.Describe(), before,
        now.embedded ? "the embedded broker is new at every start" : "the cluster id changed", before);
  }
  return Status::Ok();
}

Status Daemon::CatchUp() {
  const uint64_t from = projections_->applied_seq(), to = writer_->head().seq;
  if (from == to) return Status::Ok();
  // Queries answer from the checkpoint meanwhile; /healthz says so.
  metrics_.catching_up.store(true);
  spdlog::info("projections at their checkpoint of seq {}: folding the {} events after it", from, to - from);
  const auto t0 = std::chrono::steady_clock::now();
  Status st = ingestor_->CatchUp(
      [](uint64_t done, uint64_t total) { spdlog::debug("catching up: {} of {} events", done, total); });
  metrics_.catching_up.store(false);
  if (!st.ok()) return st;
  spdlog::info("projections caught up with the log at seq {} in {:.2f} s", to,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return Status::Ok();
}

Status Daemon::Run() {
  // After a crash the projections stand at their last checkpoint: the log
  // past it is folded in before anything is consumed.
  if (Status st = CatchUp(); !st.ok()) {
    spdlog::critical("catching up the projections failed: {}", st.ToString());
    return st;
  }
  std::vector<KafkaMessage> batch;
  PartitionOffsets committed;  // last offsets committed to Kafka
  auto last_lag = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  while (!stop_.load()) {
    Status st = consumer_->NextBatch(&batch);
    if (!st.ok()) {
      spdlog::warn("kafka: {} (librdkafka retries)", st.message());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    metrics_.assigned_partitions = consumer_->assigned();
    // An idle poll settles the batch in flight and checkpoints what is
    // held, so that queries see every event; otherwise checkpoints come
    // when due (ingest.checkpoint_interval_ms and _entries).
    st = batch.empty() ? ingestor_->Checkpoint() : ingestor_->Process(batch);
    if (st.ok()) st = ingestor_->Poll();
    if (!st.ok()) {
      spdlog::critical(
          "ledger write failed, consumption stopped; nothing past the last durable batch counts as "
          "consumed: {}",
          st.ToString());
      return st;
    }
    if (ingestor_->next_offsets() != committed) {
      committed = ingestor_->next_offsets();
      consumer_->CommitAsync(committed);
    }
    backups_->Poll();
    history_->Poll(projections_->applied_seq());
    const auto now = std::chrono::steady_clock::now();
    if (now - last_lag > std::chrono::milliseconds(200)) {
      metrics_.consumer_lag = consumer_->Lag(ingestor_->next_offsets());
      last_lag = now;
    }
  }
  Status st = ingestor_->Checkpoint();
  if (!st.ok()) return st;
  consumer_->CommitAsync(ingestor_->next_offsets());
  spdlog::info("stopping: {} events in the ledger", writer_->head().seq);
  return Status::Ok();
}

}  // namespace safetynet
