#include "events/validate.h"

#include <cstdint>
#include <string>

#include "events/date.h"
#include "events/money.h"

namespace safetynet {
namespace {

using fb::Payload;

// A rectification subject may name a person as person/<id>[/...]: the codec
// pseudonymises that id, so only the rest is free text.
std::string_view WithoutPersonPrefix(std::string_view subject) {
  constexpr std::string_view kPerson = "person/";
  if (!subject.starts_with(kPerson)) return subject;
  const size_t end = subject.find('/', kPerson.size());
  return end == std::string_view::npos ? std::string_view() : subject.substr(end);
}

Status CheckString(const flatbuffers::String* s, const std::string& name, bool required, size_t max_bytes) {
  if (s == nullptr || s->size() == 0) {
    return required ? Status::Invalid("missing required field " + name) : Status::Ok();
  }
  if (s->size() > max_bytes) {
    return Status::Invalid(name + " longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (!IsValidUtf8(s->string_view())) return Status::Invalid(name + " is not valid UTF-8");
  // Free text is stored as given: a resident ID number in it would reach the disk in clear.
  const std::string_view text =
      name == "RectificationOpened.subject" ? WithoutPersonPrefix(s->string_view()) : s->string_view();
  if (max_bytes == kTextMaxBytes && ContainsResidentId(text)) {
    return Status::Invalid(name + " holds a resident ID number; name persons by person_id, not in free text");
  }
  return Status::Ok();
}

Status CheckDate(int32_t d, const std::string& name, bool zero_allowed) {
  if (d == 0 && zero_allowed) return Status::Ok();
  if (!IsValidDate(d)) return Status::Invalid(name + " is not a calendar date YYYYMMDD: " + std::to_string(d));
  return Status::Ok();
}

Status CheckAmount(int64_t v, const std::string& name) {
  if (v < 0) return Status::Invalid(name + " is negative: " + std::to_string(v));
  if (v > kAmountMaxFen) {
    return Status::Invalid(name + " above the largest amount accepted (" + std::to_string(kAmountMaxFen) +
                           " fen): " + std::to_string(v));
  }
  return Status::Ok();
}

Status CheckBp(int32_t v, const std::string& name) {
  if (v < 0 || v > 100000) return Status::Invalid(name + " out of range 0..100000 bp: " + std::to_string(v));
  return Status::Ok();
}

template <typename E>
Status CheckEnum(const flatbuffers::Optional<E>& v, const std::string& name, bool required) {
  if (!v.has_value()) return required ? Status::Invalid("missing required field " + name) : Status::Ok();
  if (static_cast<int>(*v) < 0 || static_cast<int>(*v) > static_cast<int>(E::MAX)) {
    return Status::Invalid(name + " has an unknown enum value " + std::to_string(static_cast<int>(*v)));
  }
  return Status::Ok();
}

template <typename E>
Status CheckEnum(E v, const std::string& name) {
  if (static_cast<int>(v) < 0 || static_cast<int>(v) > static_cast<int>(E::MAX)) {
    return Status::Invalid(name + " has an unknown enum value " + std::to_string(static_cast<int>(v)));
  }
  return Status::Ok();
}

#define SN_RETURN_IF_ERROR(expr) \
  do {                           \
    Status _st = (expr);         \
    if (!_st.ok()) return _st;   \
  } while (0)

Status ValidateSegments(const flatbuffers::Vector<const fb::Segment*>* segs, const std::string& name) {
  if (segs == nullptr) return Status::Ok();
  if (segs->size() > kSegmentsMax) return Status::Invalid(name + " has more than 64 segments");
  // The verifier of FlatBuffers 2.0 checks a vector of structs for the
  // alignment of its length only; a struct read at a misaligned address is
  // undefined behaviour. Builders align them, so only a forged buffer fails.
  if (reinterpret_cast<uintptr_t>(segs->Data()) % alignof(fb::Segment) != 0) {
    return Status::Invalid(name + " is not aligned to " + std::to_string(alignof(fb::Segment)) + " bytes");
  }
  int64_t prev = -1;
  for (const fb::Segment* s : *segs) {
    SN_RETURN_IF_ERROR(CheckAmount(s->from(), name + ".from"));
    SN_RETURN_IF_ERROR(CheckBp(s->ratio_bp(), name + ".ratio_bp"));
    if (s->ratio_bp() > 10000) return Status::Invalid(name + ".ratio_bp above 10000");
    if (s->from() <= prev) return Status::Invalid(name + " not in increasing order of from");
    prev = s->from();
  }
  return Status::Ok();
}

Status ValidatePayload(const fb::Event& e) {
  const size_t kText = kTextMaxBytes;
  switch (e.payload_type()) {
    case Payload::IdentityGranted: {
      const auto* p = e.payload_as_IdentityGranted();
      SN_RETURN_IF_ERROR(CheckEnum(p->identity(), "IdentityGranted.identity", true));
      SN_RETURN_IF_ERROR(CheckDate(p->valid_from(), "IdentityGranted.valid_from", false));
      SN_RETURN_IF_ERROR(CheckDate(p->valid_to(), "IdentityGranted.valid_to", true));
      if (p->valid_to() != 0 && p->valid_to() < p->valid_from()) {
        return Status::Invalid("IdentityGranted.valid_to before valid_from");
      }
      return Status::Ok();
    }
    case Payload::IdentityRevoked: {
      const auto* p = e.payload_as_IdentityRevoked();
      SN_RETURN_IF_ERROR(CheckEnum(p->identity(), "IdentityRevoked.identity", true));
      return CheckDate(p->revoked_on(), "IdentityRevoked.revoked_on", false);
    }
    case Payload::RosterDelivered: {
      const auto* p = e.payload_as_RosterDelivered();
      if (!IsValidMonth(p->period())) {
        return Status::Invalid("RosterDelivered.period is not a month YYYYMM: " + std::to_string(p->period()));
      }
      SN_RETURN_IF_ERROR(CheckString(p->kind(), "RosterDelivered.kind", true, kText));
      const auto kind = p->kind()->string_view();
      if (kind != "ROSTER_TO_INSURANCE" && kind != "COMPARED_TO_HEALTH") {
        return Status::Invalid("RosterDelivered.kind must be ROSTER_TO_INSURANCE or COMPARED_TO_HEALTH");
      }
      return CheckAmount(p->row_count(), "RosterDelivered.row_count");
    }
    case Payload::EnrollmentChanged: {
      const auto* p = e.payload_as_EnrollmentChanged();
      SN_RETURN_IF_ERROR(CheckEnum(p->tier(), "EnrollmentChanged.tier", true));
      if (!p->enrolled().has_value()) return Status::Invalid("missing required field EnrollmentChanged.enrolled");
      return CheckDate(p->effective_on(), "EnrollmentChanged.effective_on", false);
    }
    case Payload::ContributionPaid: {
      const auto* p = e.payload_as_ContributionPaid();
      if (p->year() < 1900 || p->year() > 9999) return Status::Invalid("ContributionPaid.year out of range");
      SN_RETURN_IF_ERROR(CheckAmount(p->personal_due(), "ContributionPaid.personal_due"));
      SN_RETURN_IF_ERROR(CheckAmount(p->subsidy(), "ContributionPaid.subsidy"));
      return CheckString(p->subsidy_source(), "ContributionPaid.subsidy_source", false, kText);
    }
    case Payload::NonEnrollmentReasonRecorded: {
      const auto* p = e.payload_as_NonEnrollmentReasonRecorded();
      SN_RETURN_IF_ERROR(CheckEnum(p->tier(), "NonEnrollmentReasonRecorded.tier", true));
      SN_RETURN_IF_ERROR(CheckEnum(p->reason(), "NonEnrollmentReasonRecorded.reason", true));
      return CheckString(p->evidence(), "NonEnrollmentReasonRecorded.evidence", false, kText);
    }
    case Payload::ClaimSettled: {
      const auto* p = e.payload_as_ClaimSettled();
      SN_RETURN_IF_ERROR(CheckString(p->claim_id(), "ClaimSettled.claim_id", true, kIdMaxBytes));
      SN_RETURN_IF_ERROR(CheckEnum(p->visit(), "ClaimSettled.visit", true));
      SN_RETURN_IF_ERROR(CheckString(p->hospital_id(), "ClaimSettled.hospital_id", true, kIdMaxBytes));
      SN_RETURN_IF_ERROR(CheckDate(p->admitted_on(), "ClaimSettled.admitted_on", false));
      SN_RETURN_IF_ERROR(CheckDate(p->discharged_on(), "ClaimSettled.discharged_on", false));
      if (p->discharged_on() < p->admitted_on())
        return Status::Invalid("ClaimSettled.discharged_on before admitted_on");
      SN_RETURN_IF_ERROR(CheckAmount(p->total(), "ClaimSettled.total"));
      SN_RETURN_IF_ERROR(CheckAmount(p->out_of_catalog(), "ClaimSettled.out_of_catalog"));
      SN_RETURN_IF_ERROR(CheckAmount(p->in_policy(), "ClaimSettled.in_policy"));
      if (p->in_policy() > p->total() - p->out_of_catalog()) {
        return Status::Invalid("ClaimSettled.in_policy + out_of_catalog exceeds total");
      }
      return CheckString(p->diagnosis(), "ClaimSettled.diagnosis", false, kText);
    }
    case Payload::ClaimReversed: {
      const auto* p = e.payload_as_ClaimReversed();
      SN_RETURN_IF_ERROR(CheckString(p->claim_id(), "ClaimReversed.claim_id", true, kIdMaxBytes));
      return CheckString(p->reason(), "ClaimReversed.reason", false, kText);
    }
    case Payload::ReimbursementPaid: {
      const auto* p = e.payload_as_ReimbursementPaid();
      SN_RETURN_IF_ERROR(CheckString(p->claim_id(), "ReimbursementPaid.claim_id", true, kIdMaxBytes));
      SN_RETURN_IF_ERROR(CheckEnum(p->tier(), "ReimbursementPaid.tier", true));
      SN_RETURN_IF_ERROR(CheckAmount(p->amount(), "ReimbursementPaid.amount"));
      return CheckAmount(p->deductible_applied(), "ReimbursementPaid.deductible_applied");
    }
    case Payload::ReimbursementReversed: {
      const auto* p = e.payload_as_ReimbursementReversed();
      SN_RETURN_IF_ERROR(CheckString(p->claim_id(), "ReimbursementReversed.claim_id", true, kIdMaxBytes));
      SN_RETURN_IF_ERROR(CheckEnum(p->tier(), "ReimbursementReversed.tier", true));
      SN_RETURN_IF_ERROR(CheckAmount(p->amount(), "ReimbursementReversed.amount"));
      return CheckString(p->reason(), "ReimbursementReversed.reason", false, kText);
    }
    case Payload::PolicyPublished: {
      const auto* p = e.payload_as_PolicyPublished();
      SN_RETURN_IF_ERROR(CheckString(p->policy_id(), "PolicyPublished.policy_id", true, kIdMaxBytes));
      if (p->year() < 1900 || p->year() > 9999) return Status::Invalid("PolicyPublished.year out of range");
      SN_RETURN_IF_ERROR(CheckEnum(p->identity(), "PolicyPublished.identity", false));
      SN_RETURN_IF_ERROR(CheckDate(p->effective_from(), "PolicyPublished.effective_from", true));
      SN_RETURN_IF_ERROR(CheckDate(p->effective_to(), "PolicyPublished.effective_to", true));
      if (p->effective_to() != 0 && p->effective_to() < p->effective_from()) {
        return Status::Invalid("PolicyPublished.effective_to before effective_from");
      }
      SN_RETURN_IF_ERROR(CheckAmount(p->critical_deductible(), "PolicyPublished.critical_deductible"));
      SN_RETURN_IF_ERROR(
          CheckAmount(p->critical_ordinary_deductible(), "PolicyPublished.critical_ordinary_deductible"));
      SN_RETURN_IF_ERROR(ValidateSegments(p->critical_segments(), "PolicyPublished.critical_segments"));
      SN_RETURN_IF_ERROR(
          ValidateSegments(p->critical_ordinary_segments(), "PolicyPublished.critical_ordinary_segments"));
      SN_RETURN_IF_ERROR(CheckAmount(p->critical_cap(), "PolicyPublished.critical_cap"));
      SN_RETURN_IF_ERROR(CheckBp(p->assistance_ratio_bp(), "PolicyPublished.assistance_ratio_bp"));
      SN_RETURN_IF_ERROR(CheckAmount(p->assistance_annual_limit(), "PolicyPublished.assistance_annual_limit"));
      SN_RETURN_IF_ERROR(CheckBp(p->max_total_reimbursement_bp(), "PolicyPublished.max_total_reimbursement_bp"));
      return CheckBp(p->out_of_catalog_max_bp(), "PolicyPublished.out_of_catalog_max_bp");
    }
    case Payload::RectificationOpened: {
      const auto* p = e.payload_as_RectificationOpened();
      SN_RETURN_IF_ERROR(CheckString(p->item_id(), "RectificationOpened.item_id", true, kIdMaxBytes * 2));
      SN_RETURN_IF_ERROR(CheckString(p->category(), "RectificationOpened.category", false, kText));
      SN_RETURN_IF_ERROR(CheckString(p->subject(), "RectificationOpened.subject", false, kText));
      SN_RETURN_IF_ERROR(CheckString(p->description(), "RectificationOpened.description", false, kText));
      SN_RETURN_IF_ERROR(CheckString(p->responsible_unit(), "RectificationOpened.responsible_unit", false, kText));
      return CheckDate(p->deadline(), "RectificationOpened.deadline", true);
    }
    case Payload::RectificationProgressed: {
      const auto* p = e.payload_as_RectificationProgressed();
      SN_RETURN_IF_ERROR(CheckString(p->item_id(), "RectificationProgressed.item_id", true, kIdMaxBytes * 2));
      return CheckString(p->note(), "RectificationProgressed.note", false, kText);
    }
    case Payload::RectificationRectified: {
      const auto* p = e.payload_as_RectificationRectified();
      SN_RETURN_IF_ERROR(CheckString(p->item_id(), "RectificationRectified.item_id", true, kIdMaxBytes * 2));
      return CheckString(p->evidence(), "RectificationRectified.evidence", false, kText);
    }
    case Payload::RectificationVerified: {
      const auto* p = e.payload_as_RectificationVerified();
      SN_RETURN_IF_ERROR(CheckString(p->item_id(), "RectificationVerified.item_id", true, kIdMaxBytes * 2));
      return CheckString(p->verifier(), "RectificationVerified.verifier", false, kText);
    }
    case Payload::RectificationReopened: {
      const auto* p = e.payload_as_RectificationReopened();
      SN_RETURN_IF_ERROR(CheckString(p->item_id(), "RectificationReopened.item_id", true, kIdMaxBytes * 2));
      return CheckString(p->reason(), "RectificationReopened.reason", false, kText);
    }
    case Payload::NONE: break;
  }
  return Status::Invalid("missing or unknown payload");
}

}  // namespace

bool ContainsResidentId(std::string_view t) {
  const auto digit = [&](size_t i) { return i < t.size() && t[i] >= '0' && t[i] <= '9'; };
  for (size_t i = 0; i + 18 <= t.size(); ++i) {
    if (i > 0 && digit(i - 1)) continue;  // inside a longer number
    size_t k = 0;
    while (k < 17 && digit(i + k)) ++k;
    if (k < 17 || t[i] == '0' || t[i] == '9') continue;  // division codes begin with 1..8
    const char check = t[i + 17];
    if (!(digit(i + 17) || check == 'X' || check == 'x') || digit(i + 18)) continue;
    int32_t birth = 0;
    for (size_t j = 6; j < 14; ++j) birth = birth * 10 + (t[i + j] - '0');
    if (IsValidDate(birth)) return true;
  }
  return false;
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    const unsigned char c = b[i];
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    if (i + n >= s.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (b[i + k] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

Status ValidateEvent(const fb::Event& e) {
  SN_RETURN_IF_ERROR(CheckString(e.event_id(), "event_id", true, kIdMaxBytes));
  if (!e.occurred_on().has_value()) return Status::Invalid("missing required field occurred_on");
  SN_RETURN_IF_ERROR(CheckDate(*e.occurred_on(), "occurred_on", false));
  SN_RETURN_IF_ERROR(CheckString(e.source(), "source", true, kIdMaxBytes));
  SN_RETURN_IF_ERROR(CheckString(e.region(), "region", true, 6));
  const auto region = e.region()->string_view();
  if (region.size() != 6 || region.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::Invalid("region must be a 6-digit division code");
  }
  const auto type = e.payload_type();
  if (type == Payload::NONE || static_cast<int>(type) > static_cast<int>(Payload::MAX) || e.payload() == nullptr) {
    return Status::Invalid("missing or unknown payload");
  }
  SN_RETURN_IF_ERROR(CheckString(e.person_id(), "person_id", RequiresPerson(type), kIdMaxBytes));
  return ValidatePayload(e);
}

Status CheckTopic(fb::Payload type, TopicKind topic) {
  const TopicKind allowed = TopicOfPayload(type);
  if (allowed != topic) {
    return Status::Invalid(std::string("payload ") + PayloadName(type) + " is not allowed on this topic");
  }
  return Status::Ok();
}

}  // namespace safetynet
