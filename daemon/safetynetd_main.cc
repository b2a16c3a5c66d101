// safetynetd: the ledger daemon (see ../shared/spec/interface.md, "Programs").
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>

#include "daemon/daemon.h"

namespace {

safetynet::Daemon* g_daemon = nullptr;

void OnSignal(int) {
  if (g_daemon != nullptr) g_daemon->RequestStop();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"safetynet ledger daemon"};
  std::string config_file, data_dir, http, brokers;
  bool embedded = false;
  app.add_option("--config", config_file, "TOML configuration file (see ops/safetynet.toml)");
  app.add_option("--data", data_dir, "data directory (ledger and projections)");
  app.add_option("--http", http, "HTTP listen address HOST:PORT (port 0: any free port)");
  auto* b = app.add_option("--brokers", brokers, "Kafka bootstrap servers");
  app.add_flag("--embedded-kafka", embedded, "run an in-process Kafka broker (librdkafka mock cluster)")->excludes(b);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  safetynet::Config config;
  if (!config_file.empty()) {
    safetynet::Status st = safetynet::LoadConfigFile(config_file, &config);
    if (!st.ok()) {
      std::fprintf(stderr, "safetynetd: %s\n", st.message().c_str());
      return 2;
    }
  }
  if (!data_dir.empty()) config.data_dir = data_dir;
  if (!http.empty()) config.http_listen = http;
  if (!brokers.empty()) config.brokers = brokers, config.embedded_kafka = false;
  if (embedded) config.embedded_kafka = true;
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::default_logger()->sinks().clear();
  spdlog::default_logger()->sinks().push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());

  safetynet::Daemon daemon(config);
  g_daemon = &daemon;
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  // The addresses are printed as soon as queries answer (after a crash,
  // from the projections' checkpoint while the log is folded: /healthz).
  safetynet::Status st = daemon.Start([&] {
    if (config.embedded_kafka) std::printf("embedded kafka bootstrap: %s\n", daemon.bootstrap().c_str());
    std::printf("http: http://127.0.0.1:%d/\n", daemon.http_port());
    std::fflush(stdout);
  });
  if (!st.ok()) {
    spdlog::critical("cannot start: {}", st.ToString());
    return st.IsInvalid() ? 2 : 3;
  }
  st = daemon.Run();
  g_daemon = nullptr;
  if (!st.ok()) return 3;
  return 0;
}
