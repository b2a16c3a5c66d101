#include "events/codec.h"

#include <flatbuffers/idl.h>

#include <cstdint>

#include "events/validate.h"

namespace safetynet {
namespace {

constexpr size_t kMaxMessageBytes = 1 << 20;

std::string FirstLine(const std::string& s) {
  std::string out = s.substr(0, s.find('\n'));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

bool VerifyEventBuffer(std::string_view bytes) {
  if (bytes.size() < 8 || bytes.size() > kMaxMessageBytes) return false;
  if (!flatbuffers::BufferHasIdentifier(bytes.data(), fb::EventIdentifier())) return false;
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                 /*max_depth=*/16, /*max_tables=*/4096);
  return fb::VerifyEventBuffer(verifier);
}

struct EventCodec::Impl {
  PersonHasher* hasher;
  std::unique_ptr<flatbuffers::Parser> in_parser;
  flatbuffers::Parser out_parser;
  flatbuffers::FlatBufferBuilder fbb{512};
  std::string json_buf;
  std::string aligned;  // a binary message copied to an aligned address

  static flatbuffers::IDLOptions OutOptions() {
    flatbuffers::IDLOptions opts;
    opts.strict_json = true;
    opts.indent_step = -1;
    opts.output_default_scalars_in_json = false;
    return opts;
  }

  explicit Impl(PersonHasher* h) : hasher(h), in_parser(NewInParser()), out_parser(OutOptions()) {
    const std::string schema(EventSchemaText());
    if (!out_parser.Parse(schema.c_str())) {
      throw std::runtime_error("embedded schema does not parse: " + out_parser.error_);
    }
  }

  static std::unique_ptr<flatbuffers::Parser> NewInParser() {
    auto parser = std::make_unique<flatbuffers::Parser>();
    const std::string schema(EventSchemaText());
    if (!parser->Parse(schema.c_str())) {
      throw std::runtime_error("embedded schema does not parse: " + parser->error_);
    }
    return parser;
  }

  // Parses JSON into in_parser.builder_. Resets the parser on failure so the
  // next message starts from a clean state.
  Status ParseJson(std::string_view json, std::string_view* binary) {
    json_buf.assign(json);
    if (!in_parser->Parse(json_buf.c_str())) {
      std::string reason = "invalid JSON event: " + FirstLine(in_parser->error_);
      // The parser keeps partial state after an error; start over with a fresh one.
      in_parser = NewInParser();
      return Status::Invalid(std::move(reason));
    }
    *binary = {reinterpret_cast<const char*>(in_parser->builder_.GetBufferPointer()), in_parser->builder_.GetSize()};
    return Status::Ok();
  }
};

EventCodec::EventCodec(PersonHasher* hasher) : impl_(std::make_unique<Impl>(hasher)) {}
EventCodec::~EventCodec() = default;

Status EventCodec::DecodeInbound(std::string_view value, TopicKind topic, std::string* stored) {
  if (value.empty()) return Status::Invalid("empty message");
  if (value.size() > kMaxMessageBytes) return Status::Invalid("message larger than 1 MiB");
  const size_t first = value.find_first_not_of(" \t\r\n");
  std::string_view binary;
  if (first != std::string_view::npos && value[first] == '{') {
    Status st = impl_->ParseJson(value, &binary);
    if (!st.ok()) return st;
  } else {
    if (value.size() < 8 || !flatbuffers::BufferHasIdentifier(value.data(), fb::EventIdentifier())) {
      return Status::Invalid("neither JSON nor a FlatBuffer with identifier SNEV");
    }
    // Validation reads structs in place; a message not on an 8-byte boundary
    // (Kafka hands payloads at any offset of a fetch) is copied to one that is.
    if (reinterpret_cast<uintptr_t>(value.data()) % alignof(flatbuffers::largest_scalar_t) != 0) {
      impl_->aligned.assign(value);
      binary = impl_->aligned;
    } else {
      binary = value;
    }
  }
  if (!VerifyEventBuffer(binary)) return Status::Invalid("FlatBuffer verification failed (truncated or corrupt)");
  const fb::Event* event = ReadEvent(binary);
  Status st = ValidateEvent(*event);
  if (!st.ok()) return st;
  st = CheckTopic(event->payload_type(), topic);
  if (!st.ok()) return st;
  if (latest_occurred_on_ != 0 && *event->occurred_on() > latest_occurred_on_) {
    return Status::Invalid("occurred_on " + std::to_string(*event->occurred_on()) +
                           " is in the future: the latest date accepted now is " + std::to_string(latest_occurred_on_) +
                           " (the ingest day plus its margin)");
  }

  fb::EventT obj;
  event->UnPackTo(&obj);
  if (!obj.person_id.empty()) {
    if (impl_->hasher == nullptr) return Status::Invalid("codec has no person hasher");
    obj.person_id = impl_->hasher->HashHex(obj.person_id);
  }
  if (obj.payload.type == fb::Payload::RectificationOpened) {
    std::string& subject = obj.payload.AsRectificationOpened()->subject;
    constexpr std::string_view kPerson = "person/";
    if (std::string_view(subject).starts_with(kPerson)) {
      if (impl_->hasher == nullptr) return Status::Invalid("codec has no person hasher");
      const size_t end = std::min(subject.find('/', kPerson.size()), subject.size());
      const std::string id = subject.substr(kPerson.size(), end - kPerson.size());
      std::string raw;
      const bool pseudonym = id.size() == 64 && FromHex(id, &raw);
      if (!id.empty() && !pseudonym) subject.replace(kPerson.size(), id.size(), impl_->hasher->HashHex(id));
    }
  }
  auto& fbb = impl_->fbb;
  fbb.Clear();
  fb::FinishEventBuffer(fbb, fb::Event::Pack(fbb, &obj));
  stored->assign(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  return Status::Ok();
}

Status EventCodec::JsonToBinary(std::string_view json, std::string* binary) {
  std::string_view view;
  Status st = impl_->ParseJson(json, &view);
  if (!st.ok()) return st;
  binary->assign(view);
  return Status::Ok();
}

Status EventCodec::ToJson(std::string_view binary, std::string* json) {
  json->clear();
  if (!flatbuffers::GenerateText(impl_->out_parser, binary.data(), json)) {
    return Status::Corruption("event cannot be rendered as JSON");
  }
  return Status::Ok();
}

}  // namespace safetynet
