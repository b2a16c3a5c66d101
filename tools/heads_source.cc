#include "tools/heads_source.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "daemon/ledger_json.h"

namespace safetynet {
namespace {

Status AddHead(const Json& j, const std::string& where, std::vector<TreeHead>* out) {
  auto head = ParseTreeHead(j);
  if (!head.ok()) return Status::Invalid(where + " is not a tree head: " + head.status().message());
  out->push_back(*head);
  return Status::Ok();
}

}  // namespace

Result<std::vector<TreeHead>> ReadHeadsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<TreeHead> heads;
  const std::string all = text.str();
  if (const size_t first = all.find_first_not_of(" \t\r\n"); first != std::string::npos && all[first] == '[') {
    const Json array = Json::parse(all, nullptr, false);
    if (!array.is_array()) return Status::Invalid(path + " is not a JSON array of tree heads");
    for (size_t i = 0; i < array.size(); ++i) {
      Status st = AddHead(array[i], path + " entry " + std::to_string(i + 1), &heads);
      if (!st.ok()) return st;
    }
    return heads;
  }
  std::istringstream lines(all);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Json j = Json::parse(line, nullptr, false);
    Status st = AddHead(j, path + " line " + std::to_string(n), &heads);
    if (!st.ok()) return st;
  }
  return heads;
}

Result<std::vector<TreeHead>> ReadHeadsTopic(const std::string& brokers, const std::string& topic) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof(err));
  rd_kafka_conf_set(conf, "group.id", "safetynet-verify", err, sizeof(err));
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof(err));
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof(err));
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
  if (rk == nullptr) return Status::Io(std::string("kafka: ") + err);
  struct Closer {
    rd_kafka_t* rk;
    ~Closer() {
      rd_kafka_consumer_close(rk);
      rd_kafka_destroy(rk);
    }
  } closer{rk};

  rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t me = rd_kafka_metadata(rk, 0, t, &md, 10000);
  rd_kafka_topic_destroy(t);
  if (me != RD_KAFKA_RESP_ERR_NO_ERROR) return Status::Io(std::string("kafka metadata: ") + rd_kafka_err2str(me));
  std::map<int32_t, int64_t> end;  // partition -> high watermark
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(4);
  Status st = Status::Ok();
  if (md->topic_cnt != 1 || md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    st = Status::Invalid("no topic " + topic + " on " + brokers);
  } else {
    for (int i = 0; i < md->topics[0].partition_cnt && st.ok(); ++i) {
      const int32_t p = md->topics[0].partitions[i].id;
      int64_t low = 0, high = 0;
      const rd_kafka_resp_err_t we = rd_kafka_query_watermark_offsets(rk, topic.c_str(), p, &low, &high, 10000);
      if (we != RD_KAFKA_RESP_ERR_NO_ERROR) st = Status::Io(std::string("kafka watermarks: ") + rd_kafka_err2str(we));
      if (high > low) {
        end[p] = high;
        rd_kafka_topic_partition_list_add(parts, topic.c_str(), p)->offset = low;
      }
    }
  }
  rd_kafka_metadata_destroy(md);
  if (st.ok() && !end.empty() && rd_kafka_assign(rk, parts) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    st = Status::Io("kafka: cannot assign the heads topic");
  }
  rd_kafka_topic_partition_list_destroy(parts);
  if (!st.ok()) return st;

  std::vector<TreeHead> heads;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!end.empty()) {
    if (std::chrono::steady_clock::now() > deadline)
      return Status::Io("kafka: the heads topic was not read to its end");
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 200);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::string where =
          topic + " partition " + std::to_string(m->partition) + " offset " + std::to_string(m->offset);
      const Json j = Json::parse(std::string(static_cast<const char*>(m->payload), m->len), nullptr, false);
      st = AddHead(j, where, &heads);
      if (auto e = end.find(m->partition); e != end.end() && m->offset + 1 >= e->second) end.erase(e);
    }
    rd_kafka_message_destroy(m);
    if (!st.ok()) return st;
  }
  return heads;
}

}  // namespace safetynet
