// PersonState: what the ledger knows of one (pseudonymised) person that the
// coverage semantics of ../shared/spec/domain.md need: the region of the latest
// IdentityGranted, the identity intervals as grants and revocations left them,
// every enrollment change per tier and every recorded non-enrollment reason per
// coverage category, each with the ledger sequence number that produced it.
// Stored in column family `persons` (layout in events/FORMAT.md).
// Thread-safety: plain value.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_generated.h"

namespace safetynet {

// Coverage categories (domain: "tier categories").
enum class Category : uint8_t { kBasic, kCriticalIllness, kMedicalAssistance };
inline constexpr size_t kCategoryCount = 3;
inline constexpr size_t kTierCount = static_cast<size_t>(fb::Tier::MAX) + 1;
const char* CategoryName(Category c);                             // "basic", "critical_illness", "medical_assistance"
std::optional<Category> CategoryFromName(std::string_view name);  // also accepts Tier names
std::optional<Category> CategoryOfTier(fb::Tier tier);            // none for waiver/supplementary

// Reason groups (核实原因).
enum class ReasonGroup : uint8_t { kCoveredElsewhere, kNotRequired, kStillGap };
ReasonGroup GroupOf(fb::Reason reason);

struct IdentityInterval {
  fb::Identity identity = fb::Identity::REGISTERED_POOR;
  int32_t from = 0;
  int32_t to = 0;  // inclusive; 0 = open-ended; to < from = emptied by a revocation
  uint64_t seq = 0;
  bool Contains(int32_t d) const { return from <= d && (to == 0 || d <= to); }
  bool Empty() const { return to != 0 && to < from; }
};

struct EnrollmentPoint {
  int32_t effective_on = 0;
  bool enrolled = false;
  uint64_t seq = 0;
};

struct ReasonPoint {
  int32_t occurred_on = 0;
  fb::Tier tier = fb::Tier::BASIC_RESIDENT;
  fb::Reason reason = fb::Reason::OTHER;
  uint64_t seq = 0;
};

struct PersonState {
  std::string region;                                                // "" until the first IdentityGranted
  std::vector<IdentityInterval> intervals;                           // in ledger order
  std::array<std::vector<EnrollmentPoint>, kTierCount> enrollments;  // per tier, by (effective_on, seq)
  std::array<std::vector<ReasonPoint>, kCategoryCount> reasons;      // per category, by (occurred_on, seq)

  void Grant(fb::Identity identity, int32_t from, int32_t to, uint64_t seq, std::string_view grant_region);
  void Revoke(fb::Identity identity, int32_t revoked_on);
  void Enroll(fb::Tier tier, bool enrolled, int32_t effective_on, uint64_t seq);
  void RecordReason(fb::Tier tier, fb::Reason reason, int32_t occurred_on, uint64_t seq);

  bool PoorOn(int32_t d) const;
  bool EnrolledOn(fb::Tier tier, int32_t d) const;
  bool EnrolledOn(Category c, int32_t d) const;
  const ReasonPoint* ReasonOn(Category c, int32_t d) const;
  // Identities held on d, in enum order, each once.
  std::vector<fb::Identity> IdentitiesOn(int32_t d) const;

  std::string Encode() const;
  static bool Decode(std::string_view bytes, PersonState* out);
};

}  // namespace safetynet
