#include "projections/coverage/person_projection.h"

#include <algorithm>
#include <array>
#include <cassert>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/core/record.h"

namespace safetynet {

std::string PersonKey(std::string_view person_hex) {
  std::string raw;
  if (!FromHex(person_hex, &raw) || raw.size() != 32) return {};
  return raw;
}

std::string GapKey(Category c, std::string_view region, std::string_view person_key) {
  std::string k;
  k.reserve(1 + 6 + 32);
  k.push_back(static_cast<char>(c));
  k.append(region);
  k.append(person_key);
  return k;
}

std::string GapEdgeKey(int32_t date, Category c, std::string_view person_key) {
  std::string k;
  PutDate(&k, date);
  k.push_back(static_cast<char>(c));
  k.append(person_key);
  return k;
}

std::vector<GapRun> GapRuns(const Timeline& t) {
  std::vector<GapRun> out;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].status == CoverageStatus::kGap) out.push_back({t[i].from, i + 1 < t.size() ? t[i + 1].from : 0});
  }
  return out;
}

std::string EncodeGapRuns(const std::vector<GapRun>& runs) {
  ByteWriter w;
  w.Varint(runs.size());
  for (const auto& r : runs) {
    w.Signed(r.from);
    w.Signed(r.to);
  }
  return std::move(w.buffer());
}

bool DecodeGapRuns(std::string_view bytes, std::vector<GapRun>* out) {
  ByteReader r(bytes);
  out->clear();
  const uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    GapRun g;
    g.from = static_cast<int32_t>(r.Signed());
    g.to = static_cast<int32_t>(r.Signed());
    out->push_back(g);
  }
  return r.ok() && r.done();
}

Status LoadPerson(const Store& store, std::string_view person_key, PersonState* out) {
  return LoadRecord(store, Cf::kPersons, person_key, out);
}

void PersonProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  using P = fb::Payload;
  const P type = e.payload_type();
  if (type != P::IdentityGranted && type != P::IdentityRevoked && type != P::EnrollmentChanged &&
      type != P::NonEnrollmentReasonRecorded) {
    return;
  }
  const std::string key = PersonKey(e.person_id()->string_view());
  assert(key.size() == 32);

  PersonState state;
  std::string v;
  if (txn.Get(Cf::kPersons, key, &v).ok()) {
    const bool ok = PersonState::Decode(v, &state);
    assert(ok && "person state unreadable");
    (void)ok;
  }
  const std::string old_region = state.region;
  std::array<Timeline, kCategoryCount> old_t;
  for (size_t c = 0; c < kCategoryCount; ++c) old_t[c] = ComputeTimeline(state, static_cast<Category>(c));

  switch (type) {
    case P::IdentityGranted: {
      const auto* p = e.payload_as_IdentityGranted();
      state.Grant(*p->identity(), p->valid_from(), p->valid_to(), ev.seq, e.region()->string_view());
      break;
    }
    case P::IdentityRevoked: {
      const auto* p = e.payload_as_IdentityRevoked();
      state.Revoke(*p->identity(), p->revoked_on());
      break;
    }
    case P::EnrollmentChanged: {
      const auto* p = e.payload_as_EnrollmentChanged();
      state.Enroll(*p->tier(), *p->enrolled(), p->effective_on(), ev.seq);
      break;
    }
    case P::NonEnrollmentReasonRecorded: {
      const auto* p = e.payload_as_NonEnrollmentReasonRecorded();
      state.RecordReason(*p->tier(), *p->reason(), *e.occurred_on(), ev.seq);
      break;
    }
    default: break;
  }

  for (size_t ci = 0; ci < kCategoryCount; ++ci) {
    const auto c = static_cast<Category>(ci);
    const Timeline new_t = ComputeTimeline(state, c);
    coverage_->Replace(c, old_region, old_t[ci], state.region, new_t);
    const auto old_gaps = GapRuns(old_t[ci]);
    const auto new_gaps = GapRuns(new_t);
    const bool same_runs =
        old_gaps.size() == new_gaps.size() &&
        std::equal(old_gaps.begin(), old_gaps.end(), new_gaps.begin(),
                   [](const GapRun& a, const GapRun& b) { return a.from == b.from && a.to == b.to; });
    if (!same_runs) {
      // Dates where the person starts or stops being a gap: C1 re-evaluates
      // them when the ledger's date passes them.
      for (const auto& g : old_gaps) {
        txn.Delete(Cf::kGapEdges, GapEdgeKey(g.from, c, key));
        if (g.to != 0) txn.Delete(Cf::kGapEdges, GapEdgeKey(g.to, c, key));
      }
      for (const auto& g : new_gaps) {
        txn.Put(Cf::kGapEdges, GapEdgeKey(g.from, c, key), {});
        if (g.to != 0) txn.Put(Cf::kGapEdges, GapEdgeKey(g.to, c, key), {});
      }
    }
    const bool moved = old_region != state.region;
    if (!old_gaps.empty() && (moved || new_gaps.empty())) txn.Delete(Cf::kCoverageGaps, GapKey(c, old_region, key));
    if (!new_gaps.empty() && (moved || !same_runs)) {
      txn.Put(Cf::kCoverageGaps, GapKey(c, state.region, key), EncodeGapRuns(new_gaps));
    }
  }
  txn.Put(Cf::kPersons, key, state.Encode());
}

}  // namespace safetynet
