// safetynet_bench: prints the quality targets' figures beside the targets
// (../shared/spec/quality.md). Not a test: it asserts nothing.
//
//  P1  durable ingest end to end: the in-process Kafka broker -> KafkaConsumer
//      -> Ingestor (decode, validate, pseudonymise, dedup, hash chain, person
//      index, projections, offsets, one fsynced write per batch), for a
//      generated province sent as FlatBuffers binary and as JSON.
//  P2  replay: every projection rebuilt from the log written by P1.
//  P3  query latency (in process, no HTTP): coverage for any region and
//      date; the findings and rectifications lists' first page with counts
//      and the monthly report, for the province and its regions; tree heads
//      and proofs of the verifiable log.
//  R6  with --soak MINUTES, only the soak run instead (ops/bench/soak.h).
//  P5, P4  with --restart KILLS, only the restart run instead: the daemon
//      killed with SIGKILL during ingest and started again, time to answer
//      and peak RSS (ops/bench/restart.h); --persons and --months scale it.
//
// The producer runs in this process too, paced to stay within the mock
// broker's 5 MiB per-partition retention; it shares the 2 cores with the
// daemon's work, which a real deployment's broker would not.
#include <librdkafka/rdkafka.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "daemon/embedded_kafka.h"
#include "daemon/ingest.h"
#include "daemon/json_out.h"
#include "daemon/kafka_consumer.h"
#include "events/codec.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "ops/bench/restart.h"
#include "ops/bench/soak.h"
#include "projections/read/audit_queries.h"
#include "projections/read/monthly_report.h"
#include "projections/read/queries.h"
#include "projections/read/rectification_queries.h"
#include "replay/replay.h"
#include "tools/generate/generate.h"

namespace fs = std::filesystem;
using namespace safetynet;

namespace {

struct Message {
  std::string topic, key, value;
};

double Now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

std::vector<Message> Prepare(const std::string& text, bool binary, const TopicNames& topics) {
  std::vector<Message> out;
  EventCodec codec;
  std::istringstream in(text);
  std::string line, bin;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    Message m;
    if (j.is_object() && j.contains("payload_type")) {
      const auto type = j["payload_type"].get<std::string>();
      for (size_t t = 1; t <= static_cast<size_t>(fb::Payload::MAX); ++t) {
        if (type == fb::EnumNamesPayload()[t]) m.topic = topics.NameOf(TopicOfPayload(static_cast<fb::Payload>(t)));
      }
      if (m.topic.empty()) continue;
      if (j.contains("person_id") && j["person_id"].is_string()) m.key = j["person_id"];
      m.value = binary && codec.JsonToBinary(line, &bin).ok() ? bin : line;
    } else if (j.is_object() && j.contains("topic")) {
      m.topic = j["topic"];
      m.key = j.value("key", "");
      m.value = j["value"];
    } else {
      continue;
    }
    out.push_back(std::move(m));
  }
  return out;
}

struct IngestFigures {
  double events_per_s = 0;
  uint64_t appended = 0;
  double avg_bytes = 0;
};

IngestFigures RunIngest(const std::vector<Message>& msgs, const std::string& dir, size_t window) {
  TopicNames topics;
  auto inbound = topics.Inbound();
  auto broker = EmbeddedKafka::Start(inbound, 16);
  if (!broker.ok()) throw std::runtime_error(broker.status().ToString());
  auto store = OpenRocksStore(dir);
  if (!store.ok()) throw std::runtime_error(store.status().ToString());
  auto writer = LedgerWriter::Open(**store, Sealer(std::string(32, 'd')));
  auto projections = ProjectionSet::Open(**store);
  PersonHasher hasher(std::string(32, 'p'));
  Metrics metrics;
  if (!(*writer)->AdoptBroker(**store, {.embedded = true}).ok()) throw std::runtime_error("cannot adopt the broker");
  Ingestor ingestor(**store, **writer, **projections, hasher, topics, metrics, PipelineOptions{});

  ConsumerOptions co;
  co.brokers = (*broker)->bootstrap();
  co.group_id = "bench";
  co.topics = inbound;
  co.stored_offsets = [&ingestor] {
    (void)ingestor.Drain();
    return ingestor.next_offsets();
  };
  auto consumer = KafkaConsumer::Create(co);
  if (!consumer.ok()) throw std::runtime_error(consumer.status().ToString());

  std::atomic<uint64_t> processed{0};
  std::thread producer([&] {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", (*broker)->bootstrap().c_str(), err, sizeof(err));
    rd_kafka_conf_set(conf, "linger.ms", "5", err, sizeof(err));
    rd_kafka_conf_set(conf, "queue.buffering.max.messages", "1000000", err, sizeof(err));
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof(err));
    for (size_t i = 0; i < msgs.size(); ++i) {
      while (i > processed.load(std::memory_order_relaxed) + window) {
        rd_kafka_poll(rk, 1);
      }
      const Message& m = msgs[i];
      while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(m.topic.c_str()),
                               RD_KAFKA_V_VALUE(const_cast<char*>(m.value.data()), m.value.size()),
                               RD_KAFKA_V_KEY(m.key.empty() ? nullptr : m.key.data(), m.key.size()),
                               RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                               RD_KAFKA_V_END) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        rd_kafka_poll(rk, 1);
      }
      rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 60000);
    rd_kafka_destroy(rk);
  });

  std::vector<KafkaMessage> batch;
  double t0 = 0, in_poll = 0, in_process = 0;
  size_t batches = 0;
  while (processed.load() < msgs.size()) {
    const double p0 = Now();
    Status st = (*consumer)->NextBatch(&batch);
    if (t0 != 0) in_poll += Now() - p0;
    if (!st.ok() || batch.empty()) continue;
    if (t0 == 0) t0 = Now();
    const double p1 = Now();
    st = ingestor.Process(batch);
    in_process += Now() - p1;
    ++batches;
    if (!st.ok()) throw std::runtime_error(st.ToString());
    processed.fetch_add(batch.size());
  }
  if (!ingestor.Checkpoint().ok()) throw std::runtime_error("write failed");
  const double t1 = Now();
  std::printf(
      "  ingest thread: %.0f%% polling Kafka, %.0f%% processing (incl. waiting for the previous write), "
      "%zu batches\n",
      100 * in_poll / (t1 - t0), 100 * in_process / (t1 - t0), batches);
  producer.join();
  consumer->reset();
  IngestFigures f;
  f.events_per_s = static_cast<double>(msgs.size()) / (t1 - t0);
  f.appended = (*writer)->head().seq;
  size_t bytes = 0;
  for (const auto& m : msgs) bytes += m.value.size();
  f.avg_bytes = static_cast<double>(bytes) / static_cast<double>(msgs.size());
  if (metrics.offset_jumps.load() != 0) std::printf("  WARNING: offset jumps during the run: pacing failed\n");
  return f;
}

// P2: every projection rebuilt from `source`'s log into a new store in
// `target_dir`, beside a raw scan of the same log in the same run.
bool ReplayFigures(const Store& source, const std::string& target_dir) {
  double t0 = Now();
  uint64_t records = 0, bytes = 0;
  auto it = source.NewIterator(Cf::kLog);
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++records, bytes += it->value().size();
  const double scan_s = Now() - t0;
  auto target = OpenRocksStore(target_dir);
  if (!target.ok()) return false;
  t0 = Now();
  auto r = Rebuild(source, **target, {});
  const double s = Now() - t0;
  if (!r.ok()) {
    std::fprintf(stderr, "replay: %s\n", r.status().ToString().c_str());
    return false;
  }
  std::printf("P2 replay (rebuild every projection):  %9.0f events/s  (target >= 1000000)  [%llu events, digest %s]\n",
              static_cast<double>(r->events) / s, static_cast<unsigned long long>(r->events),
              r->digest.substr(0, 16).c_str());
  std::printf("   raw scan of the same log:           %9.0f events/s  [%llu records, %.0f MiB]\n",
              static_cast<double>(records) / scan_s, static_cast<unsigned long long>(records),
              static_cast<double>(bytes) / (1 << 20));
  const std::string live = ProjectionDigestHex(source);
  std::printf("   live digest equals replay: %s\n", live == r->digest ? "yes" : "NO");
  return true;
}

// p50 and p99 of `n` calls of `query`, in microseconds; false if one failed.
template <typename Query>
bool Latency(int n, Query query, double* p50, double* p99) {
  std::vector<double> us;
  for (int i = 0; i < n; ++i) {
    const double q0 = Now();
    const bool ok = query(i);
    us.push_back((Now() - q0) * 1e6);
    if (!ok) return false;
  }
  std::sort(us.begin(), us.end());
  *p50 = us[us.size() / 2];
  *p99 = us[us.size() * 99 / 100];
  return true;
}

// The verifiable log's answers in process: a tree head, an inclusion proof
// and a consistency proof at random sizes (issue 9: within P3's latency).
bool ProofFigures(const Store& store) {
  auto head = ReadHead(store);
  if (!head.ok() || head->seq == 0) return head.ok();
  const MerkleReader tree(store);
  std::mt19937_64 rng(9);
  const uint64_t n = head->seq;
  {
    // What the tree adds to an append: the leaf hash, the nodes it
    // completes, their staging into the batch (never written here).
    auto nodes = tree.FrontierNodes(n);
    auto frontier = nodes.ok() ? merkle::Frontier::FromNodes(n, std::move(*nodes)) : nodes.status();
    if (!frontier.ok()) return false;
    MerkleWriter writer;
    writer.Reset(std::move(*frontier));
    Txn txn(store);
    Digest chain{};
    constexpr int kAppends = 1000000;
    const double t0 = Now();
    for (int i = 0; i < kAppends; ++i) {
      chain[0] = static_cast<uint8_t>(i);
      chain[1] = static_cast<uint8_t>(i >> 8);
      writer.Append(txn, chain);
    }
    std::printf("   Merkle tree per appended event:     %.2f us  [%d appends after %llu]\n",
                (Now() - t0) * 1e6 / kAppends, kAppends, static_cast<unsigned long long>(n));
  }
  double p50 = 0, p99 = 0;
  if (!Latency(
          2000, [&](int) { return tree.Root(1 + rng() % n).ok(); }, &p50, &p99))
    return false;
  std::printf("   tree head (root at a random size):  p50 %.1f us, p99 %.1f us  [%llu events]\n", p50, p99,
              static_cast<unsigned long long>(n));
  if (!Latency(
          2000,
          [&](int) {
            const uint64_t size = 1 + rng() % n;
            return tree.Inclusion(1 + rng() % size, size).ok() && tree.Root(size).ok();
          },
          &p50, &p99))
    return false;
  std::printf("   inclusion proof with its root:      p50 %.1f us, p99 %.1f us  (target p99 <= 5 ms over HTTP)\n", p50,
              p99);
  if (!Latency(
          2000,
          [&](int) {
            const uint64_t to = 1 + rng() % n, from = 1 + rng() % to;
            return tree.Consistency(from, to).ok() && tree.Root(from).ok() && tree.Root(to).ok();
          },
          &p50, &p99))
    return false;
  std::printf("   consistency proof with both roots:  p50 %.1f us, p99 %.1f us  (target p99 <= 5 ms over HTTP)\n", p50,
              p99);
  return true;
}

// P3 in process on a ledger: coverage, and the inspectors' lists (first page
// with counts) and the monthly report for the province and its regions.
bool QueryFigures(const Store& store, int months) {
  auto set = ProjectionSet::Open(store);
  if (!set.ok()) return false;
  std::mt19937 rng(7);
  const char* regions[] = {"", "23", "2301", "2302", "230102", "230103", "2312", "231221"};
  const auto random_month = [&] {
    return 201901 + static_cast<int>(rng() % static_cast<unsigned>(std::min(months, 12)));
  };
  double p50 = 0, p99 = 0;
  if (!Latency(
          20000,
          [&](int) {
            const std::string date = std::to_string(random_month() * 100 + 1 + static_cast<int>(rng() % 28));
            auto at = ParseRegionDate(**set, regions[rng() % 8], date);
            return at.ok() && !ToJson(Coverage(**set, *at)).empty();
          },
          &p50, &p99))
    return false;
  std::printf("P3 coverage query, in process:          p50 %.1f us, p99 %.1f us  (target p99 <= 5 ms over HTTP)\n", p50,
              p99);
  const char* statuses[] = {"", "open", "cleared"};
  if (!Latency(
          500,
          [&](int i) {
            auto r = ParseFindingsRequest(i % 2 == 0 ? "23" : regions[rng() % 8], "", statuses[rng() % 3], Page{});
            auto page = r.ok() ? ListFindings(store, **set, *r) : r.status();
            return page.ok() && !ToJson(*page).empty();
          },
          &p50, &p99))
    return false;
  std::printf(
      "   findings, first page with counts:   p50 %.1f us, p99 %.1f us  (target p99 <= 50 ms at 10 M persons)\n", p50,
      p99);
  if (!Latency(
          500,
          [&](int i) {
            const std::string date = std::to_string(random_month() * 100 + 28);
            auto r = ParseItemsRequest(**set, i % 2 == 0 ? "23" : regions[rng() % 8], "", "", date, Page{});
            auto page = r.ok() ? ListRectifications(store, **set, *r) : r.status();
            return page.ok() && !ToJson(*page).empty();
          },
          &p50, &p99))
    return false;
  std::printf(
      "   rectifications, first page, counts: p50 %.1f us, p99 %.1f us  (target p99 <= 50 ms at 10 M persons)\n", p50,
      p99);
  if (!Latency(
          100,
          [&](int i) {
            return MonthlyReportJson(**set, i % 2 == 0 ? "23" : regions[rng() % 8], std::to_string(random_month()))
                .ok();
          },
          &p50, &p99))
    return false;
  std::printf(
      "   monthly report:                     p50 %.1f us, p99 %.1f us  (target p99 <= 50 ms at 10 M persons)\n", p50,
      p99);
  return ProofFigures(store);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"safetynet benchmarks"};
  int64_t persons = 100000;
  int months = 12;
  bool quick = false;
  std::string work = "/tmp/safetynet-bench";
  app.add_option("--persons", persons, "persons in the generated province");
  app.add_option("--months", months, "months of history");
  app.add_flag("--quick", quick, "a small run (10,000 persons, 6 months)");
  app.add_option("--dir", work, "scratch directory (removed first)");
  bool keep = false;
  app.add_flag("--keep", keep, "keep the scratch directory (its ledgers) at the end");
  std::string replay_from;
  app.add_option("--replay-from", replay_from,
                 "only P2 and P3, on the ledger in this directory (e.g. DIR/binary of --keep)");
  std::string query_from;
  app.add_option("--query-from", query_from,
                 "only the query figures (P3, lists, report), on the ledger in this directory as it stands "
                 "(e.g. DIR/data/ledger of --restart)");
  bench::SoakOptions soak;
  soak.minutes = 0;
  soak.daemon = (fs::read_symlink("/proc/self/exe").parent_path().parent_path() / "daemon/safetynetd").string();
  app.add_option("--soak", soak.minutes, "run the soak (R6) for this many minutes instead");
  app.add_option("--rate", soak.rate, "soak: messages per second")->check(CLI::Range(1, 1000000));
  app.add_option("--clients", soak.clients, "soak: concurrent HTTP clients")->check(CLI::Range(0, 256));
  app.add_option("--query-interval-ms", soak.query_interval_ms, "soak: each client's pause between queries")
      ->check(CLI::Range(0, 60000));
  app.add_flag("--p3-queries", soak.p3_queries,
               "soak: only P3's queries (coverage, person ledger, claim); with --clients 50 it is P3 over HTTP");
  app.add_option("--daemon", soak.daemon, "soak and restart: the safetynetd binary");
  bench::RestartOptions restart;
  restart.kills = 0;
  app.add_option("--restart", restart.kills,
                 "run the restart figures (P5, P4) instead: kill -9 the daemon this many times during ingest")
      ->check(CLI::Range(0, 100));
  CLI11_PARSE(app, argc, argv);
  if (!replay_from.empty()) {
    auto source = OpenRocksStore(replay_from, true);
    if (!source.ok()) {
      std::fprintf(stderr, "%s\n", source.status().ToString().c_str());
      return 2;
    }
    fs::remove_all(work);
    if (!ReplayFigures(**source, work)) return 1;
    auto replayed = OpenRocksStore(work, true);  // the projections as this build folds them
    return replayed.ok() && QueryFigures(**replayed, months) ? 0 : 1;
  }
  if (!query_from.empty()) {
    auto store = OpenRocksStore(query_from, true);
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 2;
    }
    return QueryFigures(**store, months) ? 0 : 1;
  }
  if (soak.minutes > 0) {
    soak.dir = work;
    return bench::RunSoak(soak);
  }
  if (quick) persons = 10000, months = 6;
  if (restart.kills > 0) {
    restart.dir = work;
    restart.daemon = soak.daemon;
    restart.persons = persons;
    restart.months = months;
    return bench::RunRestart(restart);
  }

  gen::GenerateOptions go;
  go.seed = 42;
  go.persons = persons;
  go.months = months;
  std::ostringstream text;
  gen::GenerateProvince(go, text);
  const TopicNames topics;
  const auto binary = Prepare(text.str(), true, topics);
  const auto json = Prepare(text.str(), false, topics);
  std::printf("generated province: %lld persons, %d months, %zu messages\n", static_cast<long long>(persons), months,
              binary.size());

  fs::remove_all(work);
  fs::create_directories(work);
  const size_t window = 60000;
  const auto b = RunIngest(binary, work + "/binary", window);
  std::printf(
      "P1 durable ingest, FlatBuffers binary: %9.0f events/s  (target >= 200000)  [%llu appended, %.0f B/msg]\n",
      b.events_per_s, static_cast<unsigned long long>(b.appended), b.avg_bytes);
  const auto j = RunIngest(json, work + "/json", window);
  std::printf(
      "P1 durable ingest, JSON:               %9.0f events/s  (target >= 100000)  [%llu appended, %.0f B/msg]\n",
      j.events_per_s, static_cast<unsigned long long>(j.appended), j.avg_bytes);

  {
    auto source = OpenRocksStore(work + "/binary", true);
    if (!ReplayFigures(**source, work + "/replay")) return 1;
    if (!QueryFigures(**source, months)) return 1;
  }
  std::uintmax_t disk = 0;
  for (const auto& f : fs::recursive_directory_iterator(work + "/binary")) {
    if (f.is_regular_file()) disk += f.file_size();
  }
  size_t raw = 0;
  for (const auto& m : binary) raw += m.value.size();
  std::printf("P6 disk after P1 (binary run):          %.2f x raw event bytes  (target <= 1.5)\n",
              static_cast<double>(disk) / static_cast<double>(raw));
  if (!keep) fs::remove_all(work);
  return 0;
}
