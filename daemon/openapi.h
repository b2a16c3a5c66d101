// The OpenAPI 3.1 document of the query API (GET /openapi.json), made from
// the route table (daemon/http_routes.h) and one dictionary of parameters,
// so that no route is served undocumented: every route names its summary
// and its parameters by their dictionary names, the routes that answer for
// the past get known_at and known_on, and access is the route's scope (open
// routes need no bearer token).
// Thread-safety: functions of immutable tables.
#pragma once

#include <span>
#include <string_view>

#include "daemon/http_routes.h"
#include "events/status.h"
#include "projections/read/queries.h"

namespace safetynet {

// The document for `routes`. Invalid naming the route that names an
// unknown parameter or lacks a summary (tested over ApiRoutes()).
Result<Json> OpenApiDocument(std::span<const Route> routes);

// The OpenAPI path of a route: its template, or its pattern when it has no capture.
std::string_view OpenApiPath(const Route& route);

}  // namespace safetynet
