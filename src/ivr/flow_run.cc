// ivr/flow_run.cc: the interpreter's state machine. Each public entry point resets the loop guard,
// handles its input in the current state, and runs nodes until one waits for the caller (prompts,
// digits, a lookup, a recording) or hands the call over.
#include "ivr/flow_run.h"

#include <algorithm>
#include <regex>

#include "ivr/lookup_response.h"

namespace sb::ivr {
namespace {

bool is_dtmf(char c) {
  return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

// Whole-input match. A pattern that does not compile (a flow built in code; the config loader
// rejects them) matches nothing rather than throwing on the control thread.
bool matches(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_match(text, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

}  // namespace

FlowRun::FlowRun(const Flow& flow, const Clock& clock,
                 const std::map<std::string, BusinessHours, std::less<>>& hours,
                 std::map<std::string, std::string> variables,
                 std::map<std::string, Validator, std::less<>> validators)
    : flow_(flow),
      clock_(clock),
      hours_(hours),
      variables_(std::move(variables)),
      validators_(std::move(validators)) {}

std::string_view FlowRun::current_node() const {
  return node_ < flow_.nodes.size() ? std::string_view(node().name) : std::string_view();
}

std::string FlowRun::language() const {
  auto it = variables_.find("language");
  return it != variables_.end() && !it->second.empty() ? it->second : flow_.language;
}

std::optional<TimePoint> FlowRun::deadline() const {
  if (state_ == State::Input || state_ == State::Lookup) {
    return deadline_;
  }
  return std::nullopt;
}

Step FlowRun::done(Step step) const {
  step.deadline = deadline();
  step.finished = finished();
  return step;
}

// --- inputs ---

Step FlowRun::start() {
  if (state_ != State::NotStarted) {
    return {};
  }
  transitions_ = 0;
  Step step;
  enter(flow_.start, step);
  return done(std::move(step));
}

Step FlowRun::on_prompts_done() {
  transitions_ = 0;
  Step step;
  if (state_ == State::Playing) {
    after_prompts(step);
  } else if (state_ == State::Asking) {
    wait_input(node().timeout);
  } else {
    return {};
  }
  return done(std::move(step));
}

Step FlowRun::on_digit(char digit) {
  if (!is_dtmf(digit) || (state_ != State::Asking && state_ != State::Input)) {
    return {};
  }
  transitions_ = 0;
  Step step;
  if (state_ == State::Asking) {
    // The caller knows what they want: stop talking and take the digit as input.
    step.commands.emplace_back(StopPrompts{});
    state_ = State::Input;
  }
  take_digit(digit, step);
  return done(std::move(step));
}

Step FlowRun::on_deadline() {
  if (state_ != State::Input && state_ != State::Lookup) {
    return {};
  }
  if (clock_.now() < deadline_) {
    return done(Step{});  // stale: a timer from before the deadline moved
  }
  transitions_ = 0;
  Step step;
  if (state_ == State::Lookup) {
    lookup_failed(step);
  } else if (node().kind == NodeKind::Collect && !digits_.empty()) {
    complete_collect(step);  // the inter-digit timeout ends the entry
  } else {
    fail(Failure::NoInput, step);
  }
  return done(std::move(step));
}

Step FlowRun::on_lookup_result(const LookupResult& result) {
  if (state_ != State::Lookup) {
    return {};
  }
  transitions_ = 0;
  Step step;
  const Node& n = node();
  if (!result.ok || result.status < 200 || result.status > 299) {
    lookup_failed(step);
    return done(std::move(step));
  }
  // Nothing to assign: a 204 or an empty body is a success too.
  if (!n.assign.empty()) {
    auto values = read_lookup_response(result.body, n.assign);
    if (!values) {
      lookup_failed(step);
      return done(std::move(step));
    }
    for (auto& [variable, value] : *values) {
      variables_[variable] = std::move(value);
    }
  }
  go(n.next, step);
  return done(std::move(step));
}

Step FlowRun::on_voicemail_done() {
  if (state_ != State::Recording) {
    return {};
  }
  transitions_ = 0;
  Step step;
  const Node& n = node();
  if (n.next.next == kNoNode) {
    apply(n.next.set);
    hang_up("voicemail", step);
  } else {
    go(n.next, step);
  }
  return done(std::move(step));
}

// --- moving between nodes ---

void FlowRun::go(const Transition& transition, Step& step) {
  apply(transition.set);
  enter(transition.next, step);
}

void FlowRun::apply(const std::vector<Assignment>& assignments) {
  // In order, so a later value may use an earlier one.
  for (const Assignment& a : assignments) {
    variables_[a.variable] = expand(a.value, variables_);
  }
}

void FlowRun::enter(NodeIndex index, Step& step) {
  if (++transitions_ > kMaxTransitions) {
    end(HangUp{"ivr loop"}, "too many steps", step);
    return;
  }
  if (index >= flow_.nodes.size()) {
    hang_up("ivr: end of flow",
            step);  // kNoNode where the flow needed a next node
    return;
  }
  node_ = index;
  const Node& n = node();
  switch (n.kind) {
    case NodeKind::Play:
    case NodeKind::Voicemail:
    case NodeKind::Callback:
    case NodeKind::Hangup:
      // Prompts first (message, greeting, confirmation, goodbye); after_prompts() goes on.
      play(expanded(n.prompts), /*interruptible=*/false, step);
      return;
    case NodeKind::Menu:
    case NodeKind::Collect:
      tries_ = 0;
      ask(nullptr, step);
      return;
    case NodeKind::Set:
      go(n.next, step);
      return;
    case NodeKind::Branch: {
      const std::string value = has_reference(n.branch_variable)
                                    ? expand(n.branch_variable, variables_)
                                    : expand("${" + n.branch_variable + "}", variables_);
      for (const auto& [match, transition] : n.cases) {
        if (match == value) {
          go(transition, step);
          return;
        }
      }
      go(n.otherwise, step);
      return;
    }
    case NodeKind::Hours:
      enter_hours(step);
      return;
    case NodeKind::Language:
      variables_["language"] = n.language;
      go(n.next, step);
      return;
    case NodeKind::Lookup:
      step.commands.emplace_back(HttpLookup{n.method, expand(n.url, variables_),
                                            expand(n.body, variables_), n.lookup_timeout});
      state_ = State::Lookup;
      deadline_ = clock_.now() + n.lookup_timeout;
      return;
    case NodeKind::Queue: {
      RouteToQueue route{n.queue, n.priority, {}, language()};
      for (const Assignment& a : n.attached) {
        route.attached.emplace_back(a.variable, expand(a.value, variables_));
      }
      end(std::move(route), "queue", step);
      return;
    }
    case NodeKind::Transfer:
      end(TransferOut{expand(n.number, variables_)}, "transfer", step);
      return;
  }
  hang_up("ivr: unknown node kind", step);
}

void FlowRun::enter_hours(Step& step) {
  const Node& n = node();
  auto it = hours_.find(n.calendar);
  if (it == hours_.end()) {
    // A wiring mistake (the loader checks calendar names): better to reach people than to turn
    // every caller away as "closed".
    go(n.open, step);
    return;
  }
  const TimePoint now = clock_.now();
  if (it->second.is_open(now)) {
    go(n.open, step);
  } else if (n.holiday.next != kNoNode && it->second.holiday(now) != nullptr) {
    go(n.holiday, step);
  } else {
    go(n.closed, step);
  }
}

std::vector<std::string> FlowRun::expanded(const std::vector<std::string>& prompts) const {
  std::vector<std::string> out;
  for (const std::string& p : prompts) {
    std::string name = expand(p, variables_);
    if (!name.empty()) {  // "${greeting}" with no greeting set: nothing to play
      out.push_back(std::move(name));
    }
  }
  return out;
}

void FlowRun::play(std::vector<std::string> prompts, bool interruptible, Step& step) {
  if (prompts.empty()) {
    state_ = interruptible ? State::Asking : State::Playing;
    if (interruptible) {
      wait_input(node().timeout);
    } else {
      after_prompts(step);
    }
    return;
  }
  step.commands.emplace_back(PlayPrompts{std::move(prompts), language(), interruptible});
  state_ = interruptible ? State::Asking : State::Playing;
}

void FlowRun::after_prompts(Step& step) {
  const Node& n = node();
  switch (n.kind) {
    case NodeKind::Voicemail:
      step.commands.emplace_back(RecordVoicemail{n.mailbox, n.max_length});
      state_ = State::Recording;
      return;
    case NodeKind::Callback:
      step.commands.emplace_back(
          RequestCallback{n.callback_queue, expand(n.callback_number, variables_)});
      hang_up("callback requested", step);
      return;
    case NodeKind::Hangup:
      hang_up(n.reason.empty() ? "hangup" : n.reason, step);
      return;
    default:
      go(n.next, step);
      return;
  }
}

void FlowRun::end(Command command, std::string reason, Step& step) {
  step.commands.push_back(std::move(command));
  state_ = State::Finished;
  end_reason_ = std::move(reason);
}

void FlowRun::hang_up(std::string reason, Step& step) { end(HangUp{reason}, reason, step); }

// --- menu and collect ---

void FlowRun::ask(const std::vector<std::string>* before, Step& step) {
  digits_.clear();
  std::vector<std::string> prompts =
      before != nullptr ? expanded(*before) : std::vector<std::string>{};
  for (std::string& p : expanded(node().prompts)) {
    prompts.push_back(std::move(p));
  }
  play(std::move(prompts), /*interruptible=*/true, step);
}

void FlowRun::wait_input(Duration timeout) {
  state_ = State::Input;
  deadline_ = clock_.now() + timeout;
}

void FlowRun::take_digit(char digit, Step& step) {
  const Node& n = node();
  if (n.kind == NodeKind::Menu) {
    for (const auto& [key, transition] : n.options) {
      if (key == digit) {
        go(transition, step);
        return;
      }
    }
    fail(Failure::Invalid, step);
    return;
  }
  if (n.terminator != '\0' && digit == n.terminator) {
    complete_collect(step);
    return;
  }
  digits_ += digit;
  if (static_cast<int>(digits_.size()) >= n.max_digits) {
    complete_collect(step);
    return;
  }
  wait_input(n.inter_digit_timeout);
}

bool FlowRun::collected_is_valid() const {
  const Node& n = node();
  const auto length = static_cast<int>(digits_.size());
  if (length < n.min_digits || length > n.max_digits) {
    return false;
  }
  if (!n.pattern.empty() && !matches(n.pattern, digits_)) {
    return false;
  }
  if (n.validator.empty()) {
    return true;
  }
  // An unknown hook fails closed: a checksum nobody can compute accepts nothing.
  if (auto it = validators_.find(n.validator); it != validators_.end()) {
    return it->second && it->second(digits_);
  }
  const Validator* builtin = builtin_validator(n.validator);
  return builtin != nullptr && (*builtin)(digits_);
}

void FlowRun::complete_collect(Step& step) {
  if (!collected_is_valid()) {
    fail(Failure::Invalid, step);
    return;
  }
  const Node& n = node();
  variables_[n.variable] = digits_;
  digits_.clear();
  go(n.next, step);
}

void FlowRun::fail(Failure failure, Step& step) {
  const Node& n = node();
  digits_.clear();
  if (++tries_ >= std::max(n.retries, 1)) {
    apply(n.on_failure.set);
    if (n.on_failure.next == kNoNode) {
      hang_up("ivr: no valid input", step);
    } else {
      enter(n.on_failure.next, step);
    }
    return;
  }
  ask(failure == Failure::Invalid ? &n.invalid_prompts : &n.no_input_prompts, step);
}

// --- lookup ---

void FlowRun::lookup_failed(Step& step) {
  const Node& n = node();
  go(n.on_failure.next != kNoNode ? n.on_failure : n.next, step);
}

}  // namespace sb::ivr
