#!/usr/bin/env python3
"""Call-center scenarios that had no end-to-end test: every way a REFER is refused, a blind
transfer to an outside number, max-wait overflow to another queue and to a callback, an agent
going not ready / ready / logged out from the keypad, a supervisor's barge, SIGTERM with a call
up, an IVR menu nobody answers, and an IVR voicemail box.

The harness (servers, phones, SIPp, the store) is call_center_integration.py's; this file adds
its own config (more flows and numbers), a phone that keeps what it hears (baresip's sndfile
module), and SIPp customers that wait for our BYE or try a REFER. What a test checks is what
people see and hear: SIP codes at the peer, rows and events in the store, the log, audio.
Run one test: call_scenarios_integration.py --switchboard build/switchboard CallScenarios.test_name
"""
import argparse
import glob
import json
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest
import warnings
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sip_integration as base  # noqa: E402
import call_center_integration as cc  # noqa: E402  (a module, so its tests are not collected here)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

SIPP_DIR = base.SIPP_DIR

# call_center_integration's queues and agents, with two more flows: a menu nobody answers
# (short prompts, 1 s timeouts) and a closed line that takes a voicemail.
CONFIG = (cc.CONFIG
          .replace('  - {{did: "+15550104", queue: billing, early_media: true}}\n',
                   '  - {{did: "+15550104", queue: billing, early_media: true}}\n'
                   '  - {{did: "+15550105", flow: quiet}}\n'
                   '  - {{did: "+15550106", flow: closed}}\n')
          .replace("ivr:\n", """ivr:
  quiet:
    start: menu
    nodes:
      menu: {{type: menu, prompts: [number-1], no_input: [no-input], timeout: {menu_timeout}, retries: 3,
              options: {{"1": sales}}, on_failure: no-answer}}
      sales: {{type: queue, queue: sales}}
      no-answer: {{type: hangup, prompts: [goodbye], reason: no input}}
  closed:
    start: closed
    nodes:
      closed: {{type: play, prompts: [number-2], next: mailbox}}
      mailbox: {{type: voicemail, mailbox: after-hours, max_length: {voicemail_max}, next: thanks}}
      thanks: {{type: hangup, prompts: [goodbye], reason: message taken}}
""")
          .replace('    - {{user: "1002", password: secret2}}\n',
                   '    - {{user: "1002", password: secret2}}\n    - {{user: "1003", password: secret3}}\n'))


class ScenarioServer(cc.CallCenterServer):
    """`switchboard serve` on this file's CONFIG (call_center_integration's, plus flows)."""

    def __init__(self, workdir, **options):
        super().__init__(workdir, template=CONFIG,
                         defaults=dict(cc.CallCenterServer.DEFAULTS, menu_timeout="1s", voicemail_max="3s"), **options)


class HearingPhone(cc.Phone):
    """A baresip phone that keeps what it hears: the sndfile module writes each call's decoded
    far-end audio to <dir>/dumps/dump-<time>-dec.wav (and what it sent to ...-enc.wav).
    `user` None: a customer's phone, registered nowhere, dialling our numbers directly."""

    def __init__(self, workdir, server, user, password=None, seconds=60, commands=(), answer="auto", audio=None,
                 number="+15557770000"):
        self.dir = os.path.join(workdir, "hearing" + (user or number))
        self.dumps = os.path.join(self.dir, "dumps")
        os.makedirs(self.dumps, exist_ok=True)
        template = os.path.join(base.BARESIP_PEER, "agent1001")
        with open(audio or os.path.join(template, "prompt_8k.wav"), "rb") as src, \
                open(os.path.join(self.dir, "prompt_8k.wav"), "wb") as dst:
            dst.write(src.read())
        rtp = base.free_port() & ~1
        self.ctrl_port = base.free_port(cc.socket.SOCK_STREAM)
        values = {"@DIR@": self.dir, "@SIP_PORT@": str(base.free_port()), "@CTRL_PORT@": str(self.ctrl_port),
                  "@RTP_LO@": str(rtp), "@RTP_HI@": str(rtp + 9), "@USER@": user or number,
                  "@PASS@": password or "", "@ANSWERMODE@": answer, "@REG_PORT@": str(server.port),
                  "@REGINT@": "60"}

        def filled(name):
            with open(os.path.join(template, name)) as f:
                text = f.read()
            for key, value in values.items():
                text = text.replace(key, value)
            return text

        with open(os.path.join(self.dir, "config"), "w") as f:
            f.write(filled("config.in") + f"module\t\t\tsndfile.so\nsnd_path\t\t{self.dumps}\n")
        with open(os.path.join(self.dir, "accounts"), "w") as f:
            if user:
                f.write(filled("accounts.in"))
            else:
                f.write(f"<sip:{number}@127.0.0.1>;regint=0;answermode={answer};audio_codecs=PCMA,PCMU;ptime=20\n")
        open(os.path.join(self.dir, "contacts"), "w").close()
        argv = ["baresip", "-f", self.dir, "-t", str(seconds)]
        for c in commands:
            argv += ["-e", c]
        self.out_path = os.path.join(workdir, f"baresip-hearing-{user or number}.log")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)

    def heard(self):
        """What the phone heard on its latest call: 16-bit mono PCM and its rate. The file may still
        be being written: the samples after the header are read as they are."""
        files = sorted(glob.glob(os.path.join(self.dumps, "dump-*-dec.wav")))
        if not files:
            return b"", 8000
        with open(files[-1], "rb") as f:
            data = f.read()
        rate = int.from_bytes(data[24:28], "little") if len(data) >= 44 else 8000
        start = data.find(b"data")
        pcm = data[start + 8:] if start >= 0 else b""
        return pcm[:len(pcm) // 2 * 2], rate or 8000


def tone_wav(path, hz, seconds=20, amplitude=8000):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(int(amplitude * math.sin(2 * math.pi * hz * i / 8000)).to_bytes(2, "little", signed=True)
                               for i in range(8000 * seconds)))
    return path


def tone_seconds(pcm, rate, hz, window_s=0.1):
    """How many seconds of `pcm` are dominated by a tone of `hz` (Goertzel power at hz at least
    half the window's energy, and loud enough to be heard)."""
    n = int(rate * window_s)
    k = 2 * math.cos(2 * math.pi * hz / rate)
    count = 0
    for start in range(0, len(pcm) // 2 - n, n):
        samples = memoryview(pcm)[start * 2:(start + n) * 2].cast("h")
        s1 = s2 = 0.0
        energy = 0.0
        for x in samples:
            s0 = x + k * s1 - s2
            s2, s1 = s1, s0
            energy += x * x
        power = (s1 * s1 + s2 * s2 - k * s1 * s2) * 2 / n
        if energy / n > 300 ** 2 and power >= 0.5 * energy:
            count += 1
    return count * window_s


def prompt_seconds(name):
    with wave.open(os.path.join(cc.PROMPTS, "en", name + ".wav")) as w:
        return w.getnframes() / w.getframerate()


class CallScenarios(cc.CallCenter):
    def start(self, **options):
        self.server = ScenarioServer(self.workdir, **options)
        return self.server

    def customer(self, scenario, did, *extra, timeout=60):
        """A SIPp customer running tests/sipp/SCENARIO against DID; returns (rc, errors)."""
        return base.sipp(os.path.join(SIPP_DIR, scenario), self.server.port, "-s", did,
                         "-mp", str(base.free_port() & ~1), *extra, workdir=self.workdir, timeout=timeout)

    def in_background(self, run):
        """run() on a thread; the returned join() waits and asserts SIPp's exit code 0."""
        result = {}
        thread = threading.Thread(target=lambda: result.update(rc=run()))
        thread.start()

        def join():
            thread.join(90)
            rc, errors = result.get("rc", (-1, "SIPp did not finish"))
            self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + self.server.text()[-4000:])
        return join

    def wait_until(self, condition, what, seconds=15):
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                log = self.server.text()[-3000:] if self.server else self.stopped_log[-3000:]
                self.fail(f"{what}: not after {seconds} s\n--- serve ---\n" + log)
            time.sleep(0.05)

    def wait_in_phone(self, phone, text, count=1, seconds=15):
        self.wait_until(lambda: phone.text().count(text) >= count, f"'{text}' x{count} in {phone.out_path}:\n"
                        + phone.text()[-2000:], seconds)

    def feature(self, phone, code):
        """The phone dials a feature code (*2, *31, *0 ...) on a line of its own."""
        phone.command("dial", f"sip:{code}@127.0.0.1:{self.server.port}")

    # --- REFER -------------------------------------------------------------------------------

    def test_every_refused_refer_leaves_the_caller_with_the_agent(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")
        time.sleep(1)  # alice idle the longest: the queue's choice
        bob = self.login("1002", "secret2", "bob", answer="manual")
        self.feature(bob, "*31")
        server.wait_for("agent bob: not-ready (break)")
        port = server.port
        # Each REFER on a caller's line, and what alice's phone is told (RFC 3515 §2.4.2). One
        # per call: baresip 1.0 sends no second REFER on a call whose first one failed.
        refusals = [
            (f"sip:@127.0.0.1:{port}", "400 Bad Refer-To"),                  # no user part
            (f"<sip:bob@127.0.0.1:{port}?Replaces=nodialog>", "400 Bad Refer-To"),  # Replaces without tags
            (f"sip:nobody@127.0.0.1:{port}", "404 Unknown Transfer Target"),  # no queue, agent or number
            (f"sip:alice@127.0.0.1:{port}", "480 Agent Not Available"),      # herself
            (f"sip:bob@127.0.0.1:{port}", "480 Agent Not Available"),        # not ready
            (f"<sip:bob@127.0.0.1:{port}?Replaces=nosuchcall%3Bto-tag%3Da1%3Bfrom-tag%3Db2>",
             "481 Replaced Dialog Does Not Exist"),
        ]
        for n, (target, answer) in enumerate(refusals, 1):
            join = self.in_background(lambda: self.customer("caller_until_bye.xml", "+15550199"))
            self.wait_until(lambda: server.text().count("answered by alice") >= n, "the caller with alice")
            alice.command("transfer", target)
            self.wait_in_phone(alice, "transfer failed", n)
            failures = re.findall(r"call: transfer failed: (\d+ [^\r\n]*)", alice.text())
            self.assertEqual(failures[n - 1].strip(), answer, f"REFER to {target}")
            alice.command("hangup")  # the caller was still hers: she ends it
            join()
            self.wait_until(lambda: server.text().count("agent alice: available") >= n + 1, "alice's wrap-up")
        self.assertIn("REFER refused: ", server.text())
        self.assertIn("transfer to agent alice refused: not available", server.text())
        self.assertIn("transfer to agent bob refused: not available", server.text())
        # An attended transfer before the consulted agent answers: bob ready, his phone rings.
        self.feature(bob, "*2")
        server.wait_for("agent bob: available")
        join = self.in_background(lambda: self.customer("caller_until_bye.xml", "+15550199"))
        self.wait_until(lambda: server.text().count("answered by alice") > len(refusals), "the caller with alice")
        alice.command("hold")
        server.wait_for("alice held the caller")
        alice.command("dial", f"sip:bob@127.0.0.1:{port}")
        server.wait_for("consultation from 1001 (alice) to agent bob")
        server.wait_for("agent bob: offered")
        self.transfer_with_replaces(alice, "bob")
        self.wait_in_phone(alice, "transfer failed", len(refusals) + 1)
        self.assertEqual(re.findall(r"call: transfer failed: (\d+ [^\r\n]*)", alice.text())[-1].strip(),
                         "480 Consultation Not Answered")
        # Alice gives up the consultation, then ends the caller's call she still has.
        alice.command("line", "2")
        alice.command("hangup")
        server.wait_for("ended (caller hung up)")  # the consultation's caller is alice's phone
        alice.command("line", "1")
        alice.command("hangup")
        join()
        self.wait_until(lambda: server.text().count("agent alice: available") >= len(refusals) + 2, "alice's wrap-up")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        self.assertNotIn("transferred the caller", self.stopped_log)
        callers = rows(server.db, "SELECT * FROM interactions WHERE caller = '+15551230000' ORDER BY arrived_us")
        self.assertEqual([(c["queue"], c["agent"], c["outcome"]) for c in callers],
                         [("billing", "alice", "answered")] * (len(refusals) + 1))
        self.assertEqual(rows(server.db, "SELECT * FROM interaction_events WHERE kind = 'transferred'"), [])
        ended = [json.loads(r["data"])["reason"] for r in rows(
            server.db, "SELECT data FROM interaction_events WHERE kind = 'ended' AND agent = 'alice' ORDER BY seq")]
        self.assertEqual(ended, ["agent hung up"] * (len(refusals) + 1))
        # Bob's phone rang for the consultation but only its own feature calls (*1bob, *31, *2) were set up.
        self.assertIn("Incoming call from: 1001", bob.text())
        self.assertEqual(bob.text().count("Call established"), 3, bob.text())

    def test_a_customers_refer_is_refused(self):
        # Only an agent's phone transfers; a customer's REFER (inside its dialog, or naming no
        # dialog at all) is refused and the call goes on in the queue.
        server = self.start()
        rc, errors = self.customer("caller_refer.xml", "+15550199", "-d", "1000")
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-3000:])
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["outcome"]), ("billing", "abandoned"))
        self.assertEqual([e[0] for e in self.events(server.db)], ["arrived", "queued", "abandoned", "ended"])

    # --- transfers and overflow ---------------------------------------------------------------

    def test_agent_blind_transfers_the_caller_to_an_outside_number(self):
        server, carrier = self.start_with_carrier()
        alice = self.login("1001", "secret1", "alice")
        join = self.caller_in_background(8000)
        server.wait_for("answered by alice")
        alice.command("transfer", f"sip:5559876543@127.0.0.1:{server.port}")  # national: +1 555 987 6543
        server.wait_for("+15559876543 answered the transfer")
        join()  # the caller talks to the far end and hangs up
        server.wait_for("ended (caller hung up)")
        _, carrier_errors = carrier.communicate(timeout=30)  # our BYE reached the far end
        self.assertEqual(carrier.returncode, 0, carrier_errors.decode(errors="replace")[-2000:] + server.text()[-3000:])
        server.wait_for("agent alice: available")  # after her wrap-up
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        with open(os.path.join(self.workdir, "carrier.log"), errors="replace") as f:
            self.assertIn("INVITE sip:+15559876543@127.0.0.1 SIP/2.0", f.read())
        self.assertIn("Call established", alice.text())
        events = self.events(server.db)
        kinds = [e[0] for e in events if e[0] != "wrap-up-done"]
        self.assertEqual(kinds[kinds.index("answered"):], ["answered", "transferred", "answered", "ended"])
        answered = [e[3] for e in events if e[0] == "answered"]
        self.assertEqual(answered[-1]["number"], "+15559876543")
        self.assertEqual([e[2] for e in events if e[0] == "wrap-up-done"], ["alice"])
        self.assertEqual([e[3]["reason"] for e in events if e[0] == "ended"], ["caller hung up"])
        # The transfer names the number dialled, in E.164 as the attended transfer and the
        # answer do (not the digits the phone sent).
        [transferred] = [e[3] for e in events if e[0] == "transferred"]
        self.assertEqual(transferred, {"to": "number", "number": "+15559876543", "from_agent": "alice",
                                       "kind": "blind"})

    def test_max_wait_overflows_the_caller_to_the_sales_queue(self):
        server = self.start(max_wait="2s", overflow="queue:sales")
        self.login("1003", "secret3", "sam")  # sales only; nobody for billing
        self.assert_caller(5000)  # presses 2 (billing) at 1.5 s, overflows at ~3.5 s
        server.wait_for("ended (caller hung up)")
        self.wait_until(lambda: server.text().count("agent sam: available") >= 2, "sam's wrap-up done")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("sales", "sam", "answered"))
        self.assertGreaterEqual(row["wait_ms"], 2000)
        events = self.events(server.db)
        self.assertEqual([(e[0], e[1], e[2]) for e in events], [
            ("arrived", "", ""), ("ivr-exit", "", ""), ("queued", "billing", ""), ("transferred", "billing", ""),
            ("queued", "sales", ""), ("offered", "sales", "sam"), ("answered", "sales", "sam"),
            ("ended", "sales", "sam"), ("wrap-up-done", "sales", "sam")])
        self.assertEqual(events[3][3], {"overflow": "queue", "why": "max-wait"})

    def test_max_wait_overflows_to_a_callback_dialled_when_an_agent_is_free(self):
        server, carrier = self.start_with_carrier(max_wait="2s", overflow="callback")
        # Nobody logged in: after 2 s the caller hears the confirmation and we hang up.
        rc, errors = self.customer("caller_until_bye.xml", "+15550199")
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-3000:])
        self.assertNotIn("callback to", server.text())
        alice = self.login("1001", "secret1", "alice")  # reserved for the kept place, then the customer is dialled
        server.wait_for("callback to +15551230000 answered")
        alice.command("hangup")
        server.wait_for("ended (agent hung up)")
        _, carrier_errors = carrier.communicate(timeout=30)
        self.assertEqual(carrier.returncode, 0, carrier_errors.decode(errors="replace")[-2000:] + server.text()[-3000:])
        with open(os.path.join(self.workdir, "carrier.log"), errors="replace") as f:
            self.assertIn("INVITE sip:+15551230000@127.0.0.1 SIP/2.0", f.read())
        self.wait_until(lambda: server.text().count("agent alice: available") >= 2, "alice's wrap-up done")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"]), ("billing", "alice"))
        events = self.events(server.db)
        self.assertEqual([e[0] for e in events], ["arrived", "queued", "transferred", "offered", "answered",
                                                  "answered", "ended", "wrap-up-done"])
        self.assertEqual(events[2][3], {"overflow": "callback", "why": "max-wait"})
        self.assertTrue(events[5][3]["callback"])
        self.assertEqual(events[5][3]["number"], "+15551230000")
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)

    # --- agents and supervisors ---------------------------------------------------------------

    def test_agent_goes_not_ready_ready_and_logs_out_from_the_phone(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")
        self.feature(alice, "*31")
        server.wait_for("agent alice: not-ready (break)")
        # A caller arrives while alice is on a break: queued, offered to nobody.
        join = self.caller_in_background(3000)
        self.wait_until(lambda: rows(server.db, "SELECT 1 FROM interaction_events WHERE kind = 'queued'"),
                        "the caller queued")
        queued_at = time.monotonic()
        self.assertNotIn("agent alice: offered", server.text())
        self.feature(alice, "*2")  # ready: the waiting caller is hers at once
        server.wait_for("agent alice: available")
        ready_after = time.monotonic() - queued_at
        server.wait_for("answered by alice")
        join()
        server.wait_for("ended (caller hung up)")
        server.wait_for("agent alice: available")
        self.wait_until(lambda: server.text().count("agent alice: available") >= 3, "alice back from wrap-up")
        self.feature(alice, "*0")
        server.wait_for("agent alice: logged-out")
        # Logged out: the next caller is offered to nobody and gives up.
        self.assert_caller(1000)
        self.wait_until(lambda: server.text().count("ended (caller hung up)") >= 2, "the second call ended")
        self.server_stopped()
        self.assertIn("agents: none logged in", self.stopped_log)
        first, second = rows(server.db, "SELECT * FROM interactions ORDER BY arrived_us")
        self.assertEqual((first["agent"], first["outcome"]), ("alice", "answered"))
        self.assertGreaterEqual(first["wait_ms"], int(ready_after * 1000) - 500)  # waited for the *2
        self.assertEqual((second["agent"], second["outcome"]), ("", "abandoned"))
        kinds = [r["kind"] for r in rows(server.db, "SELECT kind FROM interaction_events WHERE interaction_id = ? "
                                                    "ORDER BY seq", second["interaction_id"])]
        self.assertEqual(kinds, ["arrived", "ivr-exit", "queued", "abandoned", "ended"])
        # Each feature code was confirmed on a call of its own: *1alice, *31, *2, *0.
        for code in ("login alice", "not-ready 1", "ready", "logout"):
            self.assertIn(f"(1001): {code}", self.stopped_log)
        self.assertEqual(alice.text().count("Call established"), 5, alice.text())  # 4 codes and the caller

    def test_supervisor_barge_is_heard_by_caller_and_agent(self):
        server = self.start()
        silence = tone_wav(os.path.join(self.workdir, "silence.wav"), 0, amplitude=0)
        alice = HearingPhone(self.workdir, server, "1001", "secret1", audio=silence)
        self.phones.append(alice)
        server.wait_for("registered sip:1001@127.0.0.1")
        self.feature(alice, "*1alice")
        server.wait_for("agent alice: available")
        # The supervisor's phone speaks a steady 1 kHz tone; alice and the customer say nothing,
        # so a 1 kHz tone in what either hears can only come from the supervisor.
        supervisor = cc.Phone(self.workdir, server, "1002", "secret2",
                              audio=tone_wav(os.path.join(self.workdir, "tone.wav"), 1000))
        self.phones.append(supervisor)
        server.wait_for("registered sip:1002@127.0.0.1")
        self.wait_until(lambda: glob.glob(os.path.join(alice.dumps, "*-dec.wav")), "alice's login call heard")
        second = int(time.time())
        self.wait_until(lambda: int(time.time()) != second, "the next second")  # sndfile names files by second
        customer = HearingPhone(self.workdir, server, None, audio=silence,
                                commands=[f"/dial sip:+15550199@127.0.0.1:{server.port}"])
        self.phones.append(customer)
        server.wait_for("answered by alice")
        self.wait_until(lambda: len(customer.heard()[0]) > 8000 * 2 * 2, "two seconds of the call")
        self.assertEqual(tone_seconds(*customer.heard(), 1000), 0, "a 1 kHz tone before the barge")
        supervisor.command("dial", f"sip:*7alice@127.0.0.1:{server.port}")
        server.wait_for("1002 barge agent alice")
        self.wait_until(lambda: tone_seconds(*customer.heard(), 1000) >= 2, "the supervisor heard by the customer")
        self.wait_until(lambda: tone_seconds(*alice.heard(), 1000) >= 2, "the supervisor heard by alice")
        customer.command("hangup")
        server.wait_for("ended (caller hung up)")
        server.wait_for("1002 left")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        row = self.interaction(server.db)
        self.assertEqual((row["agent"], row["outcome"]), ("alice", "answered"))

    # --- operations ---------------------------------------------------------------------------

    def test_sigterm_with_a_call_up_hangs_up_both_sides_and_closes_the_interaction(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")
        self.wait_in_phone(alice, "Call with sip:*1alice@127.0.0.1:%d terminated" % server.port)  # the login's
        join = self.in_background(lambda: self.customer("caller_until_bye.xml", "+15550199"))
        server.wait_for("answered by alice")
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=15)
        join()  # the customer got our BYE (caller_until_bye.xml waits for it)
        self.server_stopped()  # exit status 0
        log = self.stopped_log
        # Our BYE reached alice's phone (libre reports a BYE received as "Connection reset by peer").
        self.wait_in_phone(alice, "sip:+15551230000@127.0.0.1: session closed: Connection reset by peer")
        # The state when the signal came, then every call ended by us.
        self.assertIn("at stop: 1 call(s) active, 2 RTP port pair(s) in use", log)
        self.assertIn("agents: alice busy", log)
        self.assertIn("ended (server shutting down)", log)
        self.assertIn("after shutdown: 0 call(s) active, 0 RTP port pair(s) in use", log)
        self.assertNotIn("spilled", log)
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("billing", "alice", "answered"))
        self.assertIsNotNone(row["ended_us"])
        self.assertGreater(row["talk_ms"], 0)
        events = self.events(server.db)
        self.assertEqual([e[0] for e in events], ["arrived", "queued", "offered", "answered", "ended"])
        self.assertEqual(events[-1][3]["reason"], "server shutting down")
        self.assertTrue(os.path.exists(events[-1][3]["recording"]))

    # --- IVR ----------------------------------------------------------------------------------

    def test_a_caller_who_presses_nothing_gets_the_retries_then_the_failure_route(self):
        server = self.start(menu_timeout="1s")
        rc, errors = self.customer("caller_until_bye.xml", "+15550105")
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-3000:])
        server.wait_for("ended (no input)")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("", "", "ivr"))
        events = rows(server.db, "SELECT kind, at_us, data FROM interaction_events ORDER BY seq")
        self.assertEqual([e["kind"] for e in events], ["arrived", "ivr-exit", "ended"])
        self.assertEqual(cc.json.loads(events[1]["data"]), {"node": "no-answer", "to": "hangup", "reason": "no input"})
        self.assertEqual(cc.json.loads(events[2]["data"])["reason"], "no input")
        # Three asks (the menu, then twice no-input and the menu again), each followed by the
        # 1 s timeout, then goodbye: no sooner, and not a fourth round.
        menu, no_input, goodbye = prompt_seconds("number-1"), prompt_seconds("no-input"), prompt_seconds("goodbye")
        asks = 3 * (menu + 1) + 2 * no_input
        took = (events[2]["at_us"] - events[0]["at_us"]) / 1e6
        self.assertGreaterEqual(took, asks + goodbye - 0.3)
        self.assertLess(took, asks + goodbye + no_input + menu + 1)

    def test_a_closed_line_takes_a_voicemail_of_max_length_then_says_goodbye(self):
        server = self.start(voicemail_max="3s")
        rc, errors = self.customer("caller_until_bye.xml", "+15550106")
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-3000:])
        server.wait_for("ended (message taken)")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("", "", "voicemail"))
        self.assertEqual(row["recording"], os.path.join(self.workdir, "data", "voicemail", "after-hours",
                                                        row["interaction_id"] + ".wav"))
        events = self.events(server.db)
        self.assertEqual([e[0] for e in events], ["arrived", "ivr-exit", "ivr-exit", "ended"])
        self.assertEqual(events[1][3], {"node": "mailbox", "to": "voicemail"})
        self.assertEqual(events[2][3], {"node": "thanks", "to": "hangup", "reason": "message taken"})
        self.assertEqual((events[3][3]["voicemail"], events[3][3]["caller"]), (row["recording"], "+15551230000"))
        # The message is the caller's speech, cut at max_length.
        with wave.open(row["recording"]) as w:
            rate = w.getframerate()
            seconds = w.getnframes() / rate
            message = audioop.tomono(w.readframes(w.getnframes()), 2, 1, 0) if w.getnchannels() == 2 \
                else w.readframes(w.getnframes())
        self.assertGreater(seconds, 2.5)
        self.assertLess(seconds, 3.5)
        speech = base.pcap_alaw_audio("/usr/share/sip-tester/g711a.pcap")
        # number-2 (~0.7 s) then the beep: the message starts ~1 s into the caller's speech.
        reference = audioop.ratecv(speech[8000 * 2 * 1:8000 * 2 * 2], 2, 1, 8000, rate, None)[0]
        self.assertGreater(cc.correlation_with(message, reference)[0], 0.8,
                           "the caller's speech is not in the voicemail")


rows = cc.rows

# The CallCenter cases belong to call_center_integration.py: not run again from here.
for _name in dir(cc.CallCenter):
    if _name.startswith("test_") and _name not in CallScenarios.__dict__:
        setattr(CallScenarios, _name, None)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--switchboard", default=base.SWITCHBOARD)
    args, rest = parser.parse_known_args()
    base.SWITCHBOARD = os.path.abspath(args.switchboard)
    prompts = os.path.join(os.path.dirname(base.SWITCHBOARD), "prompts")
    cc.PROMPTS = prompts if os.path.isdir(prompts) else cc.PROMPTS
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
