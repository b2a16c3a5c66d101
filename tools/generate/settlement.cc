// Writing a claim and its payments out, and what later happens to them: the
// manual desk paying weeks after discharge (手工报销, 再救助), claims uploaded
// after their payments, reversals and corrections, double payments.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "tools/generate/calendar.h"
#include "tools/generate/claim.h"

namespace safetynet::gen::internal {
namespace {

constexpr double kByDeskShare = 0.30;       // of claims outside the county
constexpr double kSecondRoundShare = 0.08;  // assistance paid later (再救助)
constexpr double kLateUploadShare = 0.015;  // payments before the claim
constexpr double kDoublePaymentShare = 0.003;
constexpr double kCorrectShortShare = 0.4;
constexpr double kReissueShare = 0.01;
constexpr double kClaimReversalShare = 0.008;
constexpr std::string_view kClaimReversalReasons[] = {"医院撤销结算，重新上传", "费用明细有误", "重复结算"};

std::string ClaimBody(const Claim& c, int occurred_on) {
  std::string body;
  EventBody(&body, PayloadType::kClaimSettled, occurred_on, "hospital-", c.hospital_id, c.county, c.person_id)
      .Str("claim_id", c.claim_id)
      .Str("visit", VisitName(c.visit))
      .Str("hospital_id", c.hospital_id)
      .Bool("county_internal", c.county_internal)
      .Int("admitted_on", c.admitted_on)
      .Int("discharged_on", c.discharged_on)
      .Int("total", c.total)
      .Int("out_of_catalog", c.out_of_catalog)
      .Int("in_policy", c.in_policy)
      .Str("diagnosis", c.diagnosis)
      .Finish();
  return body;
}

// A one-stop payment comes from the hospital's settlement system, a later
// one from the county's manual desk (手工报销).
std::string PaymentBody(const Claim& c, const Payment& pay, int occurred_on, bool one_stop) {
  std::string body;
  EventBody b(&body, PayloadType::kReimbursementPaid, occurred_on, one_stop ? "hospital-" : "manual-desk-",
              one_stop ? std::string_view(c.hospital_id) : c.county, c.county, c.person_id);
  b.Str("claim_id", c.claim_id).Str("tier", TierName(pay.tier)).Int("amount", pay.amount);
  if (pay.deductible > 0) b.Int("deductible_applied", pay.deductible);
  b.Bool("one_stop", one_stop).Finish();
  return body;
}

std::string PaymentReversalBody(const Claim& c, const Payment& pay, int occurred_on, std::string_view reason) {
  std::string body;
  EventBody(&body, PayloadType::kReimbursementReversed, occurred_on, "medical-insurance-", c.county, c.county,
            c.person_id)
      .Str("claim_id", c.claim_id)
      .Str("tier", TierName(pay.tier))
      .Int("amount", pay.amount)
      .Str("reason", reason)
      .Finish();
  return body;
}

std::string ClaimReversalBody(const Claim& c, int occurred_on, std::string_view reason) {
  std::string body;
  EventBody(&body, PayloadType::kClaimReversed, occurred_on, "hospital-", c.hospital_id, c.county, c.person_id)
      .Str("claim_id", c.claim_id)
      .Str("reason", reason)
      .Finish();
  return body;
}

// Writes one claim and its payments, and schedules what happens to them
// later; follow-ups dated after the run's last day do not happen.
class Settlement {
 public:
  Settlement(Rng& rng, Emitter& emitter, int end_date, const Claim& claim, TierPayments& tiers)
      : rng_(rng), emitter_(emitter), end_date_(end_date), c_(claim), tiers_(tiers) {}

  // One-stop at discharge or at the manual desk weeks later; now and then
  // the hospital uploads the claim days after its payments.
  void Settle() {
    const int date = c_.discharged_on;
    const bool by_desk = !c_.county_internal && rng_.Chance(kByDeskShare);
    last_on_ = date;
    if (!by_desk && rng_.Chance(kLateUploadShare)) {
      last_on_ = AddDays(date, static_cast<int>(rng_.Between(1, 6)));
      emitter_.Defer(last_on_, PayloadType::kClaimSettled, ClaimBody(c_, date));
    } else {
      emitter_.Emit(PayloadType::kClaimSettled, ClaimBody(c_, date));
    }
    for (Payment& pay : tiers_.all()) {
      if (by_desk || (pay.tier == Tier::kMedicalAssistance && rng_.Chance(kSecondRoundShare))) {
        pay.paid_on = AddDays(date, static_cast<int>(rng_.Between(14, 60)));
        emitter_.Defer(pay.paid_on, PayloadType::kReimbursementPaid, PaymentBody(c_, pay, pay.paid_on, false));
      } else {
        pay.paid_on = date;
        emitter_.Emit(PayloadType::kReimbursementPaid, PaymentBody(c_, pay, date, true));
      }
      last_on_ = std::max(last_on_, pay.paid_on);
    }
  }

  // Basic insurance paid a second time by the desk; half of them recovered.
  void PayTwice() {
    const Payment& basic = tiers_.paid[0];
    const int paid_again_on = AddDays(c_.discharged_on, static_cast<int>(rng_.Between(20, 50)));
    emitter_.Defer(paid_again_on, PayloadType::kReimbursementPaid, PaymentBody(c_, basic, paid_again_on, false));
    const int recovered_on = AddDays(paid_again_on, static_cast<int>(rng_.Between(20, 40)));
    if (rng_.Chance(0.5) && recovered_on <= end_date_) {
      emitter_.Defer(recovered_on, PayloadType::kReimbursementReversed,
                     PaymentReversalBody(c_, basic, recovered_on, "重复报销，已追回"));
    }
  }

  // The hospital reverses the claim, then: reverses the payments too and
  // (mostly) settles again; or settles again leaving the payments; or does
  // nothing more, leaving payments on a claim that no longer exists (C10).
  void Reverse() {
    const int reversed_on = AddDays(last_on_, static_cast<int>(rng_.Between(3, 30)));
    if (reversed_on > end_date_) return;
    emitter_.Defer(reversed_on, PayloadType::kClaimReversed,
                   ClaimReversalBody(c_, reversed_on, kClaimReversalReasons[rng_.Below(3)]));
    constexpr int kOutcomeWeights[] = {50, 30, 20};
    const size_t outcome = rng_.Pick(kOutcomeWeights);
    if (outcome == 0) {
      for (const Payment& pay : tiers_.all()) {
        emitter_.Defer(reversed_on, PayloadType::kReimbursementReversed,
                       PaymentReversalBody(c_, pay, reversed_on, "结算撤销，冲回支付"));
      }
    }
    const int resettled_on = AddDays(reversed_on, static_cast<int>(rng_.Between(1, 10)));
    if (outcome == 2 || (outcome == 0 && !rng_.Chance(0.6)) || resettled_on > end_date_) return;
    emitter_.Defer(resettled_on, PayloadType::kClaimSettled, ClaimBody(c_, resettled_on));
    if (outcome != 0) return;
    for (const Payment& pay : tiers_.all()) {
      emitter_.Defer(resettled_on, PayloadType::kReimbursementPaid, PaymentBody(c_, pay, resettled_on, false));
    }
  }

  // Short assistance corrected (some), or a payment returned by the bank and
  // paid again (rare): a reversal and a new payment. Returns the assistance
  // added by corrections.
  int64_t Correct() {
    int64_t added = 0;
    for (const Payment& pay : tiers_.all()) {
      const bool short_paid = pay.tier == Tier::kMedicalAssistance && pay.amount < tiers_.assistance_due;
      if (!(short_paid && rng_.Chance(kCorrectShortShare)) && !rng_.Chance(kReissueShare)) continue;
      const int corrected_on = AddDays(pay.paid_on, static_cast<int>(rng_.Between(5, 30)));
      if (corrected_on > end_date_) continue;
      emitter_.Defer(corrected_on, PayloadType::kReimbursementReversed,
                     PaymentReversalBody(c_, pay, corrected_on,
                                         short_paid ? "救助金额计算有误，冲正重付" : "银行账户信息有误，退回重付"));
      Payment corrected = pay;
      if (short_paid) {
        corrected.amount = tiers_.assistance_due;
        added += tiers_.assistance_due - pay.amount;
      }
      emitter_.Defer(corrected_on, PayloadType::kReimbursementPaid, PaymentBody(c_, corrected, corrected_on, false));
    }
    return added;
  }

 private:
  Rng& rng_;
  Emitter& emitter_;
  const int end_date_;
  const Claim& c_;
  TierPayments& tiers_;
  int last_on_ = 0;
};

}  // namespace

void Province::SettleClaim(Person& p, Visit visit, int date) {
  const int year = YearOf(date);
  if (p.totals_year != year) {
    p.totals_year = year;
    p.critical_base_fen = p.critical_paid_fen = p.assistance_paid_fen = 0;
  }
  const bool poor = IsPoor(p, date);
  Claim c = DrawClaim(rng_, p, visit, date);
  c.person_id = current_id_;
  c.claim_id = "C" + seed_text_ + "-";
  AppendPadded(&c.claim_id, next_claim_, 6);
  recent_claims_[claims_settled_++ % recent_claims_.size()] = (next_claim_++ << 10) | p.county;

  TierPayments tiers = PayTiers(rng_, p, TierOf(p, kBasicBit), c, PolicyInForce(p, poor, date), poor);
  Settlement settlement(rng_, *emitter_, end_date_, c, tiers);
  settlement.Settle();
  if (tiers.count > 0 && tiers.paid[0].tier == TierOf(p, kBasicBit) && rng_.Chance(kDoublePaymentShare)) {
    settlement.PayTwice();
  }
  if (rng_.Chance(kClaimReversalShare)) {
    settlement.Reverse();
  } else {
    p.assistance_paid_fen += settlement.Correct();
  }
}

}  // namespace safetynet::gen::internal
