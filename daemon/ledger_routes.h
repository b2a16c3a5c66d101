// The auditors' routes over the verifiable log (../shared/spec/interface.md):
// tree heads signed on request, inclusion and consistency proofs, and the
// ledger's digest (seq, chain head, Merkle root and the projections' digest,
// all at the projections' last checkpoint, read from one snapshot). Sizes
// range over the durable log; a size beyond its head is a 400.
// Thread-safety: handlers run on the server's pool threads.
#pragma once

#include "daemon/http_routes.h"

namespace safetynet {

void LedgerRoot(const HttpContext& ctx, const Principal* who, const httplib::Request& req, httplib::Response& res);
void InclusionProof(const HttpContext& ctx, const Principal* who, const httplib::Request& req, httplib::Response& res);
void ConsistencyProof(const HttpContext& ctx, const Principal* who, const httplib::Request& req,
                      httplib::Response& res);
void LedgerDigest(const HttpContext& ctx, const Principal* who, const httplib::Request& req, httplib::Response& res);

}  // namespace safetynet
