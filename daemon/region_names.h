// Names beside the codes (issue 10): every region an answer names gets its
// division's name next to it, "region": "2301" -> "region_name": "哈尔滨市",
// "policy_region" -> "policy_region_name", a list "regions" ->
// "region_names" (null where a code names no division). Applied to every
// JSON answer of the query API, so that no route can forget it.
// Thread-safety: functions.
#pragma once

#include "projections/read/queries.h"

namespace safetynet {

void AddRegionNames(Json& j);

}  // namespace safetynet
