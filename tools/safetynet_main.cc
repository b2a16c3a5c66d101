// safetynet: the command-line tool (see ../shared/spec/interface.md).
//   generate  synthetic province as JSON lines
//   publish   JSON lines -> their Kafka topics (paced)
//   replay    rebuild every projection from the log, print the digest
//   verify    check the hash chain, the Merkle tree and signed tree heads
//   verify-proof  check a proof or evidence bundle offline with the public key
//   ledger-key    print the public key that signs tree heads
//   export        an evidence bundle of a person, a claim or a region's events
//   report monthly  the monthly dispatch report (JSON or CSV)
// Exit codes: 0 success, 1 a check failed, 2 bad usage or input, 3 I/O trouble.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include "daemon/backup.h"
#include "daemon/config.h"
#include "daemon/region_names.h"
#include "daemon/report_files.h"
#include "daemon/secrets.h"
#include "events/ledger.h"
#include "events/merkle_store.h"
#include "projections/read/monthly_report.h"
#include "projections/read/policy_survey.h"
#include "replay/replay.h"
#include "tools/evidence.h"
#include "tools/generate/generate.h"
#include "tools/heads_source.h"
#include "tools/proof_check.h"
#include "tools/publisher.h"

namespace fs = std::filesystem;
using safetynet::Status;

namespace {

int Fail(int code, const std::string& msg) {
  std::fprintf(stderr, "safetynet: %s\n", msg.c_str());
  return code;
}

int CodeOf(const Status& st) { return st.IsInvalid() || st.IsNotFound() ? 2 : 3; }

std::string LedgerDir(const std::string& data) { return (fs::path(data) / "ledger").string(); }

int RunGenerate(const safetynet::gen::GenerateOptions& opts, const std::string& out_path) {
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!out_path.empty() && out_path != "-") {
    file.open(out_path, std::ios::binary);
    if (!file) return Fail(2, "cannot write " + out_path);
    out = &file;
  }
  const auto stats = safetynet::gen::GenerateProvince(opts, *out);
  out->flush();
  if (!*out) return Fail(3, "write failed");
  std::fprintf(stderr, "generated %lld lines (%lld malformed, %lld duplicates) for %lld persons over %d months\n",
               static_cast<long long>(stats.lines), static_cast<long long>(stats.malformed),
               static_cast<long long>(stats.duplicates), static_cast<long long>(opts.persons), opts.months);
  return 0;
}

int RunPublish(safetynet::PublishOptions opts, const std::string& config_file, const std::string& path) {
  if (!config_file.empty()) {
    safetynet::Config c;
    Status st = safetynet::LoadConfigFile(config_file, &c);
    if (!st.ok()) return Fail(2, st.message());
    opts.topics = c.topics;
    opts.group_id = c.group_id;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Fail(2, "cannot read " + path);
    in = &file;
  }
  const auto start = std::chrono::steady_clock::now();
  auto stats = safetynet::Publish(*in, opts);
  if (!stats.ok()) return Fail(CodeOf(stats.status()), stats.status().message());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "published %llu messages from %llu lines in %.2f s (%llu unroutable, %llu pacing waits)\n",
               static_cast<unsigned long long>(stats->sent), static_cast<unsigned long long>(stats->lines), s,
               static_cast<unsigned long long>(stats->unroutable), static_cast<unsigned long long>(stats->waits));
  return stats->unroutable > 0 ? 2 : 0;
}

// The daemon's configuration for a data directory: `config_file` if given,
// with `data` as its data directory.
safetynet::Result<safetynet::Config> ToolConfig(const std::string& data, const std::string& config_file) {
  safetynet::Config c;
  if (!config_file.empty()) {
    Status st = safetynet::LoadConfigFile(config_file, &c);
    if (!st.ok()) return st;
  }
  c.data_dir = data;
  return c;
}

// The key that signs the tree heads of `data`, as the daemon resolves it;
// never generated here.
safetynet::Result<std::shared_ptr<const safetynet::Ed25519Signer>> LedgerSigner(const std::string& data,
                                                                                const std::string& config_file) {
  auto c = ToolConfig(data, config_file);
  if (!c.ok()) return c.status();
  auto key = safetynet::LoadLedgerKey(*c);
  if (!key.ok()) return key.status();
  return safetynet::Ed25519Signer::Make(*key);
}

safetynet::Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The public key heads and proofs are checked with: a PEM file, or the
// ledger's own key.
safetynet::Result<std::shared_ptr<const safetynet::Ed25519Verifier>> VerifyKey(const std::string& key_file,
                                                                               const std::string& data,
                                                                               const std::string& config_file) {
  if (!key_file.empty()) {
    auto pem = ReadFile(key_file);
    if (!pem.ok()) return pem.status();
    auto key = safetynet::Ed25519Verifier::FromPem(*pem);
    if (!key.ok()) return Status::Invalid(key_file + ": " + key.status().message());
    return key;
  }
  auto signer = LedgerSigner(data, config_file);
  if (!signer.ok()) return signer.status();
  return safetynet::Ed25519Verifier::FromDer((*signer)->public_der());
}

struct VerifyArgs {
  std::string heads_file, brokers, heads_topic = safetynet::TopicNames().ledger_heads, key_file, config_file;
};

int RunVerify(const std::string& data, const VerifyArgs& args) {
  auto store = safetynet::OpenRocksStore(LedgerDir(data), /*read_only=*/true);
  if (!store.ok()) return Fail(2, store.status().message());
  std::vector<safetynet::TreeHead> heads;
  if (!args.heads_file.empty() || !args.brokers.empty()) {
    auto given = !args.heads_file.empty() ? safetynet::ReadHeadsFile(args.heads_file)
                                          : safetynet::ReadHeadsTopic(args.brokers, args.heads_topic);
    if (!given.ok()) return Fail(CodeOf(given.status()), given.status().message());
    auto key = VerifyKey(args.key_file, data, args.config_file);
    if (!key.ok()) return Fail(CodeOf(key.status()), key.status().message());
    for (const auto& h : *given) {
      if (Status st = safetynet::CheckTreeHead(**key, h); !st.ok()) {
        std::printf("signed head rejected: %s\n", st.message().c_str());
        return 1;
      }
    }
    heads = std::move(*given);
  }
  auto r = safetynet::VerifyLedger(**store, heads);
  if (!r.ok()) return Fail(3, r.status().message());
  if (r->first_bad_seq != 0) {
    std::printf("ledger broken at seq %llu: %s\n", static_cast<unsigned long long>(r->first_bad_seq),
                r->problem.c_str());
    return 1;
  }
  std::printf("chain intact: %llu records; %s; %llu signed heads match\n", static_cast<unsigned long long>(r->records),
              r->tree_stored ? ("Merkle tree intact: " + std::to_string(r->nodes_checked) + " stored nodes").c_str()
                             : "no Merkle tree stored yet (the daemon builds it when it next starts)",
              static_cast<unsigned long long>(r->heads_checked));
  return 0;
}

int RunVerifyProof(const std::string& file, const std::string& key_file) {
  auto text = ReadFile(file);
  if (!text.ok()) return Fail(2, text.status().message());
  auto pem = ReadFile(key_file);
  if (!pem.ok()) return Fail(2, pem.status().message());
  auto key = safetynet::Ed25519Verifier::FromPem(*pem);
  if (!key.ok()) return Fail(2, key_file + ": " + key.status().message());
  const safetynet::Json doc = safetynet::Json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return Fail(2, file + " is not JSON");
  auto checked = safetynet::CheckProofDocument(doc, **key);
  if (!checked.ok()) {
    std::printf("REJECTED: %s\n", checked.status().message().c_str());
    return 1;
  }
  std::printf("verified: %s\n", checked->c_str());
  return 0;
}

int RunExport(const std::string& data, const std::string& config_file, const safetynet::EvidenceSelection& sel,
              const std::string& out_path) {
  auto store = safetynet::OpenRocksStore(LedgerDir(data), /*read_only=*/true);
  if (!store.ok()) return Fail(2, store.status().message());
  auto signer = LedgerSigner(data, config_file);
  if (!signer.ok()) return Fail(CodeOf(signer.status()), signer.status().message());
  auto c = ToolConfig(data, config_file);
  std::unique_ptr<safetynet::PersonHasher> hasher;
  const auto hash_raw = [&](std::string_view raw) -> std::string {
    if (!hasher) {
      auto key = safetynet::LoadPersonKey(*c);
      if (!key.ok()) return {};
      hasher = std::make_unique<safetynet::PersonHasher>(*key);
    }
    return hasher->HashHex(raw);
  };
  auto bundle = safetynet::ExportEvidence(**store, **signer, hash_raw, sel);
  if (!bundle.ok()) return Fail(CodeOf(bundle.status()), bundle.status().message());
  std::ofstream out(out_path, std::ios::binary);
  out << bundle->dump(1) << "\n";
  out.close();
  if (!out) return Fail(3, "cannot write " + out_path);
  std::printf("evidence bundle of %zu events against the signed head of %llu events in %s\n",
              (*bundle)["events"].size(),
              static_cast<unsigned long long>((*bundle)["head"]["tree_size"].get<uint64_t>()), out_path.c_str());
  return 0;
}

int RunLedgerKey(const std::string& data, const std::string& config_file) {
  auto signer = LedgerSigner(data, config_file);
  if (!signer.ok()) return Fail(CodeOf(signer.status()), signer.status().message());
  const std::string pem = (*signer)->PublicPem();
  std::fwrite(pem.data(), 1, pem.size(), stdout);
  std::fprintf(stderr, "key_id %s\n", safetynet::KeyId((*signer)->public_der()).c_str());
  return 0;
}

// The file that marks a directory as a replay's output: only such a directory
// is cleared and rebuilt by the next replay.
constexpr const char* kReplayMarker = "SAFETYNET_REPLAY_OUTPUT";

// Prepares the output directory of a replay: refuses the live ledger (and
// anything holding it) and a non-empty directory no replay made; clears one
// a replay made.
safetynet::Status PrepareReplayOutput(const std::string& data, const fs::path& target) {
  std::error_code ec;
  const fs::path live = fs::weakly_canonical(LedgerDir(data), ec);
  const fs::path out = fs::weakly_canonical(target, ec);
  const auto within = [](const fs::path& inner, const fs::path& outer) {
    auto i = inner.begin();
    for (auto o = outer.begin(); o != outer.end(); ++o, ++i) {
      if (i == inner.end() || *i != *o) return false;
    }
    return true;
  };
  if (within(live, out) || within(out, live)) {
    return safetynet::Status::Invalid("--out " + target.string() +
                                      " would overwrite the live ledger; give a directory of its own");
  }
  if (fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    if (!fs::exists(out / kReplayMarker, ec)) {
      return safetynet::Status::Invalid("--out " + target.string() +
                                        " is not empty and was not made by a replay; give an empty or new directory");
    }
    fs::remove_all(out, ec);
    if (ec) return safetynet::Status::Io("cannot clear " + target.string() + ": " + ec.message());
  }
  fs::create_directories(out, ec);
  if (ec) return safetynet::Status::Io("cannot create " + target.string() + ": " + ec.message());
  std::ofstream(out / kReplayMarker) << "made by safetynet replay; the next replay may clear this directory\n";
  return safetynet::Status::Ok();
}

// The same fields as GET /v1/ledger/digest, for the replay's last event.
Status PrintLogPoint(const safetynet::Store& source, uint64_t seq, const std::string& digest) {
  auto point = safetynet::LogPointAt(source, seq);
  if (!point.ok()) return point.status();
  const safetynet::Json line{{"seq", seq},
                             {"chain_head", safetynet::merkle::Hex(point->chain_head)},
                             {"root", safetynet::merkle::Hex(point->root)},
                             {"projections_digest", digest}};
  std::printf("ledger digest: %s\n", line.dump().c_str());
  return Status::Ok();
}

int RunReplay(const std::string& data, uint64_t until_seq, const std::string& out_dir, bool quiet) {
  auto source = safetynet::OpenRocksStore(LedgerDir(data), /*read_only=*/true);
  if (!source.ok()) return Fail(2, source.status().message());
  const std::string target_dir = out_dir.empty() ? (fs::path(data) / "replay").string() : out_dir;
  if (safetynet::Status st = PrepareReplayOutput(data, target_dir); !st.ok()) return Fail(CodeOf(st), st.message());
  auto target = safetynet::OpenRocksStore(target_dir);
  if (!target.ok()) return Fail(3, target.status().message());
  safetynet::ReplayOptions opts;
  opts.until_seq = until_seq;
  // After a crash, or in a backup taken during ingest, the live projections
  // stand at their last checkpoint: they are compared with the replay there.
  const uint64_t live_seq = safetynet::ProjectionSet::RecordedAppliedSeq(**source);
  if (until_seq == 0) opts.digest_at = live_seq;
  const auto start = std::chrono::steady_clock::now();
  if (!quiet) {
    opts.progress = [](uint64_t done, uint64_t total) {
      const int width = 40;
      const int filled = total == 0 ? width : static_cast<int>(done * width / total);
      std::fprintf(stderr, "\r[%s%s] %llu/%llu events", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
    };
  }
  auto r = safetynet::Rebuild(**source, **target, opts);
  if (!quiet) std::fprintf(stderr, "\n");
  if (!r.ok()) return Fail(CodeOf(r.status()), r.status().message());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("replayed %llu events in %.2f s (%.0f events/s)\n", static_cast<unsigned long long>(r->events), s,
              s > 0 ? static_cast<double>(r->events) / s : 0.0);
  std::printf("replay digest: %s\n", r->digest.c_str());
  if (Status st = PrintLogPoint(**source, r->events, r->digest); !st.ok()) return Fail(3, st.message());
  if (until_seq != 0) return 0;
  if (live_seq == 0 && r->events > 0) {
    std::printf("the live projections have no checkpoint yet: nothing to compare\n");
    return 0;
  }
  const std::string& expected = r->digest_at.empty() ? r->digest : r->digest_at;
  if (!r->digest_at.empty()) {
    std::printf(
        "the live projections stand at their checkpoint of seq %llu (the daemon folds the rest when it "
        "starts); replay digest at seq %llu: %s\n",
        static_cast<unsigned long long>(live_seq), static_cast<unsigned long long>(live_seq), expected.c_str());
  }
  const std::string live = safetynet::ProjectionDigestHex(**source);
  std::printf("live digest:   %s\n", live.c_str());
  if (live != expected) {
    std::printf("MISMATCH: the live projections differ from a replay of the log\n");
    return 1;
  }
  std::printf("live projections equal the replay\n");
  return 0;
}

// An online backup: asked of the daemon when one runs on `data` (it holds the
// store), taken here otherwise.
int RunBackup(const std::string& data, const std::string& out) {
  auto store = safetynet::OpenRocksStore(LedgerDir(data));
  safetynet::Result<uint64_t> seq = store.ok() ? safetynet::TakeBackup(**store, out)
                                    : store.status().message().find("lock") != std::string::npos
                                        ? safetynet::RequestBackup(data, out, std::chrono::seconds(120))
                                        : safetynet::Result<uint64_t>(store.status());
  if (!seq.ok()) return Fail(CodeOf(seq.status()), seq.status().message());
  std::printf("backup of %s at seq %llu in %s\n", data.c_str(), static_cast<unsigned long long>(*seq), out.c_str());
  return 0;
}

// A report from a read-only open of the ledger, to standard output: JSON as
// the API answers it, or the file as it is filed.
int RunReport(const std::string& data, const std::string& format,
              const std::function<safetynet::Result<safetynet::Json>(const safetynet::Store&,
                                                                     const safetynet::ProjectionSet&)>& make,
              safetynet::ReportTable (*table)(const safetynet::Json&)) {
  auto store = safetynet::OpenRocksStore(LedgerDir(data), /*read_only=*/true);
  if (!store.ok()) return Fail(2, store.status().message());
  auto set = safetynet::ProjectionSet::Open(**store);
  if (!set.ok()) return Fail(3, set.status().message());
  auto report = make(**store, **set);
  if (!report.ok()) return Fail(CodeOf(report.status()), report.status().message());
  if (format == "json") {
    safetynet::AddRegionNames(*report);  // as the API answers it
    const std::string text = report->dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  auto file = safetynet::MakeReportFile(table(*report), format);
  if (!file.ok()) return Fail(2, file.status().message());
  std::fwrite(file->body.data(), 1, file->body.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("safetynet"));
  CLI::App app{"safetynet: ledger tools"};
  app.require_subcommand(1);

  safetynet::gen::GenerateOptions gen;
  std::string gen_out;
  auto* g = app.add_subcommand("generate", "write a synthetic province as JSON lines");
  g->add_option("--seed", gen.seed, "random seed (output is deterministic for a seed)");
  g->add_option("--persons", gen.persons, "number of persons")->check(CLI::PositiveNumber);
  g->add_option("--months", gen.months, "number of months")->check(CLI::Range(1, 240));
  g->add_option("--start", gen.start_month, "first month YYYYMM");
  g->add_option("--malformed-share", gen.malformed_share, "share of deliberately malformed messages");
  g->add_option("--duplicate-share", gen.duplicate_share, "share of duplicate messages");
  g->add_option("--out", gen_out, "output file (default: standard output)");

  safetynet::PublishOptions pub;
  std::string pub_file = "-", pub_config;
  bool no_pace = false;
  auto* p = app.add_subcommand("publish", "publish JSON-lines events to their topics");
  p->add_option("--brokers", pub.brokers, "Kafka bootstrap servers")->required();
  p->add_option("--config", pub_config, "daemon config (for topic names and group id)");
  p->add_option("--group", pub.group_id, "the daemon's consumer group, watched for pacing");
  p->add_flag("--binary", pub.binary, "send events as FlatBuffers binary");
  p->add_flag("--no-pace", no_pace, "do not wait for the daemon (may overrun broker retention)");
  p->add_option("--ahead-bytes", pub.ahead_bytes_max, "bytes per partition allowed beyond the daemon");
  p->add_option("--stall-timeout", pub.stall_timeout_s, "seconds without consumer progress before giving up");
  p->add_option("FILE", pub_file, "JSON-lines file, - for standard input");

  std::string data = "data";
  uint64_t until_seq = 0;
  std::string replay_out;
  bool quiet = false;
  auto* r = app.add_subcommand("replay", "rebuild every projection from the event log");
  r->add_option("--data", data, "data directory");
  r->add_option("--until-seq", until_seq, "stop after this sequence number");
  r->add_option("--out", replay_out, "where to build the projections (default DATA/replay)");
  r->add_flag("--quiet", quiet, "no progress bar");

  VerifyArgs verify;
  auto* v = app.add_subcommand("verify", "check the hash chain, the Merkle tree and signed tree heads of the ledger");
  v->add_option("--data", data, "data directory");
  auto* heads_file = v->add_option("--heads", verify.heads_file, "signed tree heads: JSON lines or a JSON array");
  v->add_option("--brokers", verify.brokers, "read the signed tree heads from the heads topic on these brokers")
      ->excludes(heads_file);
  v->add_option("--heads-topic", verify.heads_topic, "the heads topic (default safetynet.ledger-heads)");
  v->add_option("--key", verify.key_file, "public key (PEM) of the heads (default: the ledger's own)");
  v->add_option("--config", verify.config_file, "the daemon's config (for its secrets)");

  std::string proof_file, proof_key;
  auto* vp = app.add_subcommand("verify-proof", "check a proof or evidence bundle offline with the public key");
  vp->add_option("FILE", proof_file, "a proof (JSON of /v1/ledger/proof/...) or an evidence bundle")->required();
  vp->add_option("--key", proof_key, "the public key (PEM) that signs the tree heads")->required();

  safetynet::EvidenceSelection evidence;
  std::string export_out, export_config;
  auto* ex = app.add_subcommand("export", "an evidence bundle: events, their inclusion proofs, one signed tree head");
  ex->add_option("--data", data, "data directory");
  auto* ex_person = ex->add_option("--person", evidence.person, "a person (raw ID or pseudonym)");
  auto* ex_claim = ex->add_option("--claim", evidence.claim, "a claim_id")->excludes(ex_person);
  auto* ex_region = ex->add_option("--region", evidence.region, "a region prefix, with --from and --to")
                        ->excludes(ex_person)
                        ->excludes(ex_claim);
  ex->add_option("--from", evidence.from, "first occurred_on (YYYYMMDD)")->needs(ex_region);
  ex->add_option("--to", evidence.to, "last occurred_on (YYYYMMDD)")->needs(ex_region);
  ex->add_option("--out", export_out, "the bundle (JSON)")->required();
  ex->add_option("--config", export_config, "the daemon's config (for its secrets)");

  std::string key_config;
  auto* lk = app.add_subcommand("ledger-key", "print the public key (PEM) that signs the ledger's tree heads");
  lk->add_option("--data", data, "data directory");
  lk->add_option("--config", key_config, "the daemon's config (for its secrets)");

  std::string backup_out;
  auto* b = app.add_subcommand("backup", "copy the ledger, online, into a new directory (a data directory)");
  b->add_option("--data", data, "data directory");
  b->add_option("--out", backup_out, "a new or empty directory")->required();

  std::string report_region, report_month, report_quarter, report_format = "json";
  auto* rep = app.add_subcommand("report", "reports from the ledger");
  auto* monthly = rep->add_subcommand("monthly", "the monthly dispatch report (调度报表)");
  auto* survey = rep->add_subcommand("survey", "the quarterly policy survey (政策调查表)");
  rep->require_subcommand(1);
  for (CLI::App* report : {monthly, survey}) {
    report->add_option("--data", data, "data directory");
    report->add_option("--region", report_region, "region prefix (2, 4 or 6 digits)")->required();
    report->add_option("--format", report_format, "json, csv or xlsx (written to standard output)")
        ->check(CLI::IsMember({"json", "csv", "xlsx"}));
  }
  monthly->add_option("--month", report_month, "month YYYYMM")->required();
  survey->add_option("--quarter", report_quarter, "quarter YYYYQn")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (g->parsed()) return RunGenerate(gen, gen_out);
  if (p->parsed()) {
    pub.pace = !no_pace;
    return RunPublish(pub, pub_config, pub_file);
  }
  if (r->parsed()) return RunReplay(data, until_seq, replay_out, quiet);
  if (v->parsed()) return RunVerify(data, verify);
  if (vp->parsed()) return RunVerifyProof(proof_file, proof_key);
  if (lk->parsed()) return RunLedgerKey(data, key_config);
  if (ex->parsed()) return RunExport(data, export_config, evidence, export_out);
  if (b->parsed()) return RunBackup(data, backup_out);
  if (monthly->parsed()) {
    return RunReport(
        data, report_format,
        [&](const safetynet::Store&, const safetynet::ProjectionSet& set) {
          return safetynet::MonthlyReportJson(set, report_region, report_month);
        },
        safetynet::MonthlyReportTable);
  }
  if (survey->parsed()) {
    return RunReport(
        data, report_format,
        [&](const safetynet::Store& store, const safetynet::ProjectionSet& set) {
          return safetynet::PolicySurveyJson(store, set, report_region, report_quarter);
        },
        safetynet::PolicySurveyTable);
  }
  return 2;
}
