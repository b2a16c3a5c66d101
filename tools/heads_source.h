// Where `safetynet verify` gets the signed tree heads it checks the ledger
// against: a file of them (JSON lines as kcat prints the heads topic, or one
// JSON array), or the heads topic itself, read from its beginning to its end
// with a plain consumer.
// Thread-safety: functions.
#pragma once

#include <string>
#include <vector>

#include "events/status.h"
#include "events/tree_head.h"

namespace safetynet {

// Invalid naming the line that is not a tree head.
Result<std::vector<TreeHead>> ReadHeadsFile(const std::string& path);
// Every record of `topic` on `brokers`, up to the end each partition has now.
Result<std::vector<TreeHead>> ReadHeadsTopic(const std::string& brokers, const std::string& topic);

}  // namespace safetynet
