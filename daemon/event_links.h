// Links from the views to the events behind their numbers (issue 9): every
// seq a view names — an event's, a finding's opening or clearing, a claim's
// settlement, an item's step — gets the path of that event beside it,
// "opened_seq": 12 -> "opened_seq_url": "/v1/events/12" (auditors follow
// them; /v1/events/{seq} links on to the event's inclusion proof).
// Thread-safety: functions.
#pragma once

#include "events/status.h"
#include "projections/read/queries.h"

namespace safetynet {

void AddEventLinks(Json& j);
Result<Json> WithEventLinks(Result<Json> r);

}  // namespace safetynet
