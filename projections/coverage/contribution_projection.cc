#include "projections/coverage/contribution_projection.h"

#include <algorithm>

#include "events/codec_util.h"
#include "events/crypto.h"
#include "projections/core/record.h"
#include "projections/coverage/person_projection.h"

namespace safetynet {
namespace {

struct Contribution {
  int32_t occurred_on = 0;
  int64_t personal_due = 0;
  int64_t subsidy = 0;
};

std::string Encode(const Contribution& c, uint64_t seq) {
  ByteWriter w;
  w.Signed(c.occurred_on);
  w.Signed(c.personal_due);
  w.Signed(c.subsidy);
  w.Varint(seq);
  return std::move(w.buffer());
}

Contribution Decode(std::string_view v) {
  ByteReader r(v);
  Contribution c;
  c.occurred_on = static_cast<int32_t>(r.Signed());
  c.personal_due = r.Signed();
  c.subsidy = r.Signed();
  return c;
}

bool Holds(const std::vector<fb::Identity>& ids, fb::Identity id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

void ContributionProjection::Evaluate(Txn& txn, std::string_view person_key, int32_t year, std::string_view value) {
  const Contribution c = Decode(value);
  const PersonState person = RecordOr<PersonState>(txn, Cf::kPersons, person_key);
  const auto ids = person.IdentitiesOn(c.occurred_on);
  Evaluation ev;
  ev.measured = c.subsidy;
  if (Holds(ids, fb::Identity::EXTREME_POOR_SUPPORTED)) {
    ev.threshold = c.personal_due;  // the whole personal contribution
    ev.holds = c.subsidy != c.personal_due;
  } else if (Holds(ids, fb::Identity::REGISTERED_POOR)) {
    ev.threshold = 0;  // the subsidy must be above 0
    ev.holds = c.subsidy == 0;
  }
  const std::string subject = ToHex(person_key) + "/" + std::to_string(year);
  findings_->Record(txn, Check::kC2, subject, person.region, ev);
}

void ContributionProjection::Reevaluate(Txn& txn, Check check, std::string_view subject) {
  // subject: person (hex) / year
  const size_t slash = subject.find('/');
  std::string key;
  if (check != Check::kC2 || slash == std::string_view::npos || !FromHex(subject.substr(0, slash), &key)) return;
  const int32_t year = std::atoi(std::string(subject.substr(slash + 1)).c_str());
  PutU32(&key, static_cast<uint32_t>(year));
  std::string value;
  if (txn.Get(Cf::kContributions, key, &value).ok()) Evaluate(txn, std::string_view(key).substr(0, 32), year, value);
}

void ContributionProjection::Apply(const AppliedEvent& ev, Txn& txn) {
  const fb::Event& e = *ev.event;
  const auto type = e.payload_type();
  if (type == fb::Payload::ContributionPaid) {
    const auto* p = e.payload_as_ContributionPaid();
    std::string key = PersonKey(e.person_id()->string_view());
    PutU32(&key, static_cast<uint32_t>(p->year()));
    const std::string value = Encode({*e.occurred_on(), p->personal_due(), p->subsidy()}, ev.seq);
    // The month index follows the latest payment of the person and year.
    const auto month_key = [&](int32_t occurred_on) {
      std::string k;
      PutU32(&k, static_cast<uint32_t>(occurred_on / 100));
      return k + key;
    };
    std::string before;
    if (txn.Get(Cf::kContributions, key, &before).ok()) {
      const int32_t before_on = Decode(before).occurred_on;
      if (before_on / 100 != *e.occurred_on() / 100) txn.Delete(Cf::kContributionsByMonth, month_key(before_on));
    }
    txn.Put(Cf::kContributionsByMonth, month_key(*e.occurred_on()), {});
    txn.Put(Cf::kContributions, key, value);
    Evaluate(txn, std::string_view(key).substr(0, 32), p->year(), value);
  } else if (type == fb::Payload::IdentityGranted || type == fb::Payload::IdentityRevoked) {
    const std::string person_key = PersonKey(e.person_id()->string_view());
    txn.ScanPrefix(Cf::kContributions, person_key, [&](std::string_view key, std::string_view value) {
      Evaluate(txn, person_key, static_cast<int32_t>(DecodeU32(key.substr(32))), value);
    });
  }
}

}  // namespace safetynet
