#include "projections/coverage/person_state.h"

#include <algorithm>

#include "events/codec_util.h"
#include "events/date.h"

namespace safetynet {

const char* CategoryName(Category c) {
  switch (c) {
    case Category::kBasic: return "basic";
    case Category::kCriticalIllness: return "critical_illness";
    case Category::kMedicalAssistance: return "medical_assistance";
  }
  return "?";
}

std::optional<Category> CategoryFromName(std::string_view name) {
  for (size_t i = 0; i < kCategoryCount; ++i) {
    if (name == CategoryName(static_cast<Category>(i))) return static_cast<Category>(i);
  }
  for (size_t t = 0; t < kTierCount; ++t) {
    if (name == fb::EnumNamesTier()[t]) return CategoryOfTier(static_cast<fb::Tier>(t));
  }
  return std::nullopt;
}

std::optional<Category> CategoryOfTier(fb::Tier tier) {
  switch (tier) {
    case fb::Tier::BASIC_RESIDENT:
    case fb::Tier::BASIC_EMPLOYEE: return Category::kBasic;
    case fb::Tier::CRITICAL_ILLNESS: return Category::kCriticalIllness;
    case fb::Tier::MEDICAL_ASSISTANCE: return Category::kMedicalAssistance;
    default: return std::nullopt;
  }
}

ReasonGroup GroupOf(fb::Reason r) {
  switch (r) {
    case fb::Reason::EMPLOYEE_INSURANCE:
    case fb::Reason::ENROLLED_ELSEWHERE: return ReasonGroup::kCoveredElsewhere;
    case fb::Reason::DECEASED:
    case fb::Reason::MILITARY_SERVICE:
    case fb::Reason::IMPRISONED:
    case fb::Reason::EMIGRATED: return ReasonGroup::kNotRequired;
    default: return ReasonGroup::kStillGap;
  }
}

void PersonState::Grant(fb::Identity identity, int32_t from, int32_t to, uint64_t seq, std::string_view grant_region) {
  intervals.push_back({identity, from, to, seq});
  region.assign(grant_region);
}

void PersonState::Revoke(fb::Identity identity, int32_t revoked_on) {
  // Ends every existing interval of that identity containing revoked_on; later
  // grants (in ledger order) are not there yet, so they stay untouched.
  for (auto& iv : intervals) {
    if (iv.identity == identity && !iv.Empty() && iv.Contains(revoked_on)) iv.to = PrevDay(revoked_on);
  }
}

void PersonState::Enroll(fb::Tier tier, bool enrolled, int32_t effective_on, uint64_t seq) {
  auto& v = enrollments[static_cast<size_t>(tier)];
  const EnrollmentPoint p{effective_on, enrolled, seq};
  v.insert(std::upper_bound(v.begin(), v.end(), p,
                            [](const EnrollmentPoint& a, const EnrollmentPoint& b) {
                              return a.effective_on < b.effective_on ||
                                     (a.effective_on == b.effective_on && a.seq < b.seq);
                            }),
           p);
}

void PersonState::RecordReason(fb::Tier tier, fb::Reason reason, int32_t occurred_on, uint64_t seq) {
  const auto c = CategoryOfTier(tier);
  if (!c) return;
  auto& v = reasons[static_cast<size_t>(*c)];
  const ReasonPoint p{occurred_on, tier, reason, seq};
  v.insert(std::upper_bound(v.begin(), v.end(), p,
                            [](const ReasonPoint& a, const ReasonPoint& b) {
                              return a.occurred_on < b.occurred_on || (a.occurred_on == b.occurred_on && a.seq < b.seq);
                            }),
           p);
}

bool PersonState::PoorOn(int32_t d) const {
  return std::any_of(intervals.begin(), intervals.end(),
                     [d](const IdentityInterval& iv) { return !iv.Empty() && iv.Contains(d); });
}

bool PersonState::EnrolledOn(fb::Tier tier, int32_t d) const {
  const auto& v = enrollments[static_cast<size_t>(tier)];
  // Sorted by (effective_on, seq): the last point with effective_on <= d decides.
  auto it = std::upper_bound(v.begin(), v.end(), d,
                             [](int32_t day, const EnrollmentPoint& p) { return day < p.effective_on; });
  return it != v.begin() && std::prev(it)->enrolled;
}

bool PersonState::EnrolledOn(Category c, int32_t d) const {
  for (size_t t = 0; t < kTierCount; ++t) {
    if (CategoryOfTier(static_cast<fb::Tier>(t)) == c && EnrolledOn(static_cast<fb::Tier>(t), d)) return true;
  }
  return false;
}

const ReasonPoint* PersonState::ReasonOn(Category c, int32_t d) const {
  const auto& v = reasons[static_cast<size_t>(c)];
  auto it =
      std::upper_bound(v.begin(), v.end(), d, [](int32_t day, const ReasonPoint& p) { return day < p.occurred_on; });
  return it == v.begin() ? nullptr : &*std::prev(it);
}

std::vector<fb::Identity> PersonState::IdentitiesOn(int32_t d) const {
  std::vector<fb::Identity> out;
  for (const auto& iv : intervals) {
    if (!iv.Empty() && iv.Contains(d) && std::find(out.begin(), out.end(), iv.identity) == out.end()) {
      out.push_back(iv.identity);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string PersonState::Encode() const {
  ByteWriter w;
  w.Varint(1);  // format version
  w.Bytes(region);
  w.Varint(intervals.size());
  for (const auto& iv : intervals) {
    w.Varint(static_cast<uint8_t>(iv.identity));
    w.Signed(iv.from);
    w.Signed(iv.to);
    w.Varint(iv.seq);
  }
  for (const auto& v : enrollments) {
    w.Varint(v.size());
    for (const auto& p : v) {
      w.Signed(p.effective_on);
      w.Varint(p.enrolled ? 1 : 0);
      w.Varint(p.seq);
    }
  }
  for (const auto& v : reasons) {
    w.Varint(v.size());
    for (const auto& p : v) {
      w.Signed(p.occurred_on);
      w.Varint(static_cast<uint8_t>(p.tier));
      w.Varint(static_cast<uint8_t>(p.reason));
      w.Varint(p.seq);
    }
  }
  return std::move(w.buffer());
}

bool PersonState::Decode(std::string_view bytes, PersonState* out) {
  ByteReader r(bytes);
  if (r.Varint() != 1) return false;
  *out = PersonState();
  out->region = std::string(r.Bytes());
  const uint64_t n = r.Varint();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    IdentityInterval iv;
    iv.identity = static_cast<fb::Identity>(r.Varint());
    iv.from = static_cast<int32_t>(r.Signed());
    iv.to = static_cast<int32_t>(r.Signed());
    iv.seq = r.Varint();
    out->intervals.push_back(iv);
  }
  for (auto& v : out->enrollments) {
    const uint64_t m = r.Varint();
    for (uint64_t i = 0; i < m && r.ok(); ++i) {
      EnrollmentPoint p;
      p.effective_on = static_cast<int32_t>(r.Signed());
      p.enrolled = r.Varint() != 0;
      p.seq = r.Varint();
      v.push_back(p);
    }
  }
  for (auto& v : out->reasons) {
    const uint64_t m = r.Varint();
    for (uint64_t i = 0; i < m && r.ok(); ++i) {
      ReasonPoint p;
      p.occurred_on = static_cast<int32_t>(r.Signed());
      p.tier = static_cast<fb::Tier>(r.Varint());
      p.reason = static_cast<fb::Reason>(r.Varint());
      p.seq = r.Varint();
      v.push_back(p);
    }
  }
  return r.ok() && r.done();
}

}  // namespace safetynet
