// ivr/flow_run.h: the IVR interpreter, one FlowRun per call. It is driven by the call layer's
// events (prompts done, a digit, a deadline, a lookup answer) and answers each with the commands
// the call layer must carry out. Pure: it never blocks, does no I/O, and reads time only from the
// injected clock; it knows nothing of SIP or media.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/clock.h"
#include "ivr/business_hours.h"
#include "ivr/expand.h"
#include "ivr/flow.h"
#include "ivr/validators.h"

namespace sb::ivr {

// What the call layer must do now. A step returns zero or more commands, in order.

// Play these prompts (names already ${}-expanded) in `language`, one after the other, then call
// on_prompts_done(). Interruptible (menus, collect): a digit stops playback; the flow then emits
// StopPrompts itself and on_prompts_done() is not expected.
struct PlayPrompts {
  std::vector<std::string> prompts;
  std::string language;
  bool interruptible = false;
};
// Stop the prompts that are playing (a digit interrupted them).
struct StopPrompts {};
// Make this HTTP request (url and body expanded) and report with on_lookup_result(); give up after
// `timeout` (the flow also stops waiting then).
struct HttpLookup {
  std::string method;
  std::string url;
  std::string body;
  Duration timeout{};
};
// Hand the call to the ACD. `attached` is the interaction's data, ${var} expanded.
struct RouteToQueue {
  std::string queue;
  int priority = 0;
  std::vector<std::pair<std::string, std::string>> attached;
  std::string language;
};
// Record a message for `mailbox` (after the beep) and call on_voicemail_done() at the end.
struct RecordVoicemail {
  std::string mailbox;
  Duration max_length{};
};
// Register a callback request in `queue` to `number` (the call itself ends with HangUp).
struct RequestCallback {
  std::string queue;
  std::string number;
};
// Blind transfer of the caller to `number`.
struct TransferOut {
  std::string number;
};
// End the call; `reason` goes to events and logs.
struct HangUp {
  std::string reason;
};

using Command = std::variant<PlayPrompts, StopPrompts, HttpLookup, RouteToQueue, RecordVoicemail,
                             RequestCallback, TransferOut, HangUp>;

struct Step {
  std::vector<Command> commands;
  // Call on_deadline() when the clock reaches it. A new deadline replaces the earlier one; an
  // earlier one that fires anyway is ignored, so timers need not be cancelled.
  std::optional<TimePoint> deadline;
  // The flow handed the call over (queue, transfer, hangup, callback done): no more input.
  bool finished = false;
};

// What the call layer's HTTP client got. ok=false: timeout or transport error.
struct LookupResult {
  bool ok = false;
  int status = 0;
  std::string body;
};

// Runs one flow for one call. Not thread-safe: one owner (the control thread). `flow` and `clock`
// must outlive it; `hours` is copied. Inputs that the current state does not expect (a digit during
// a play, a late lookup result, anything after the end) are ignored and give an empty Step.
class FlowRun {
 public:
  // At most this many node transitions per input; a flow that loops without waiting for the caller
  // is hung up with HangUp{"ivr loop"}.
  static constexpr int kMaxTransitions = 64;

  // `hours` maps calendar names to BusinessHours; `validators` adds named checksum hooks to the
  // built-in ones ("luhn"). `variables` seeds the flow's variables (caller, called number, ...).
  FlowRun(const Flow& flow, const Clock& clock,
          const std::map<std::string, BusinessHours, std::less<>>& hours,
          std::map<std::string, std::string> variables = {},
          std::map<std::string, Validator, std::less<>> validators = {});

  Step start();
  Step on_prompts_done();     // the last PlayPrompts finished (not called after StopPrompts)
  Step on_digit(char digit);  // '0'-'9', '*', '#', 'A'-'D'; anything else is ignored
  // The deadline of the last Step passed. Ignored when it has not passed yet or is stale (the Step
  // then repeats the deadline in force, if any).
  Step on_deadline();
  Step on_lookup_result(const LookupResult& result);
  Step on_voicemail_done();  // RecordVoicemail finished (caller hung up or max length)

  const std::map<std::string, std::string>& variables() const { return variables_; }
  // The node the flow is at (the last one entered), for events and logs; "" before start().
  std::string_view current_node() const;
  // The `language` variable when set, else the flow's language.
  std::string language() const;
  bool finished() const { return state_ == State::Finished; }
  // Why the flow ended: "queue", "transfer", "callback requested", a hang-up reason, or "too many
  // steps" when the loop guard stopped it; "" while it runs.
  std::string_view end_reason() const { return end_reason_; }
  // The deadline in force (waiting for input or a lookup), if any.
  std::optional<TimePoint> deadline() const;

 private:
  enum class State : uint8_t {
    NotStarted,
    Playing,    // non-interruptible prompts; what follows depends on the node kind
    Asking,     // menu/collect prompts, interruptible
    Input,      // waiting for a digit until deadline_
    Lookup,     // waiting for on_lookup_result until deadline_
    Recording,  // waiting for on_voicemail_done
    Finished,
  };
  enum class Failure : uint8_t { Invalid, NoInput };

  const Node& node() const { return flow_.nodes[node_]; }
  Step done(Step step) const;

  void enter(NodeIndex index, Step& step);
  void go(const Transition& transition, Step& step);
  void apply(const std::vector<Assignment>& assignments);
  std::vector<std::string> expanded(const std::vector<std::string>& prompts) const;
  void play(std::vector<std::string> prompts, bool interruptible, Step& step);
  void end(Command command, std::string reason, Step& step);
  void hang_up(std::string reason, Step& step);

  void enter_hours(Step& step);
  void ask(const std::vector<std::string>* before, Step& step);
  void wait_input(Duration timeout);
  void take_digit(char digit, Step& step);
  void complete_collect(Step& step);
  bool collected_is_valid() const;
  void fail(Failure failure, Step& step);
  void after_prompts(Step& step);
  void lookup_failed(Step& step);

  const Flow& flow_;
  const Clock& clock_;
  // A copy (small): a temporary map passed by the caller must not dangle.
  const std::map<std::string, BusinessHours, std::less<>> hours_;
  std::map<std::string, std::string> variables_;
  std::map<std::string, Validator, std::less<>> validators_;

  State state_ = State::NotStarted;
  NodeIndex node_ = kNoNode;
  int tries_ = 0;         // failed tries at the current menu/collect
  std::string digits_;    // collect: entered so far
  TimePoint deadline_{};  // Input and Lookup
  int transitions_ = 0;   // since the current input arrived
  std::string end_reason_;
};

}  // namespace sb::ivr
