#include "events/topics.h"

namespace safetynet {

TopicKind TopicNames::KindOf(std::string_view topic) const {
  if (topic == roster) return TopicKind::kRoster;
  if (topic == enrollment) return TopicKind::kEnrollment;
  if (topic == claims) return TopicKind::kClaims;
  if (topic == reimbursements) return TopicKind::kReimbursements;
  if (topic == policy) return TopicKind::kPolicy;
  if (topic == rectification) return TopicKind::kRectification;
  return TopicKind::kUnknown;
}

const std::string& TopicNames::NameOf(TopicKind kind) const {
  switch (kind) {
    case TopicKind::kRoster: return roster;
    case TopicKind::kEnrollment: return enrollment;
    case TopicKind::kClaims: return claims;
    case TopicKind::kReimbursements: return reimbursements;
    case TopicKind::kPolicy: return policy;
    case TopicKind::kRectification: return rectification;
    case TopicKind::kUnknown: break;
  }
  return findings;
}

std::vector<std::string> TopicNames::Inbound() const {
  return {roster, enrollment, claims, reimbursements, policy, rectification};
}

std::vector<std::string> TopicNames::Outbound() const { return {findings, ledger_heads}; }

TopicKind TopicOfPayload(fb::Payload type) {
  using P = fb::Payload;
  switch (type) {
    case P::IdentityGranted:
    case P::IdentityRevoked:
    case P::RosterDelivered: return TopicKind::kRoster;
    case P::EnrollmentChanged:
    case P::ContributionPaid:
    case P::NonEnrollmentReasonRecorded: return TopicKind::kEnrollment;
    case P::ClaimSettled:
    case P::ClaimReversed: return TopicKind::kClaims;
    case P::ReimbursementPaid:
    case P::ReimbursementReversed: return TopicKind::kReimbursements;
    case P::PolicyPublished: return TopicKind::kPolicy;
    case P::RectificationOpened:
    case P::RectificationProgressed:
    case P::RectificationRectified:
    case P::RectificationVerified:
    case P::RectificationReopened: return TopicKind::kRectification;
    case P::NONE: break;
  }
  return TopicKind::kUnknown;
}

bool RequiresPerson(fb::Payload type) {
  using P = fb::Payload;
  switch (type) {
    case P::IdentityGranted:
    case P::IdentityRevoked:
    case P::EnrollmentChanged:
    case P::ContributionPaid:
    case P::NonEnrollmentReasonRecorded:
    case P::ClaimSettled: return true;
    default: return false;
  }
}

const char* PayloadName(fb::Payload type) {
  const auto v = static_cast<size_t>(type);
  if (v > static_cast<size_t>(fb::Payload::MAX)) return "NONE";
  return fb::EnumNamesPayload()[v];
}

}  // namespace safetynet
