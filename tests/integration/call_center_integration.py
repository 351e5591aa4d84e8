#!/usr/bin/env python3
"""The call center end to end: `switchboard serve` with an IVR, queues and agents, SIPp as the
customer (audio and RFC 4733 digits from pcaps) and baresip as the agents' phones (registered
with digest auth, logging in with a feature code, auto-answering). Loopback only: every Via,
Contact and SDP address is 127.0.0.1.

What a test checks is what an operator would look at: the interaction rows and events in the
SQLite store, the recording's two channels, the server's log; and what the people on the call
hear: the customer's media is then carried by the test itself (heard_audio.RtpPeer, SIPp doing
only the signalling) and an agent's phone dumps what it decodes (baresip's sndfile). Run one test:
call_center_integration.py --switchboard build/switchboard CallCenter.test_name
"""
import argparse
import http.server
import json
import math
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import warnings
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sip_integration as base  # noqa: E402  (free ports, SIPp runner, pcap decoding)
import heard_audio as heard  # noqa: E402  (the test's own RTP end point, tone and prompt detectors)

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

ROOT = base.ROOT
SIPP_DIR = base.SIPP_DIR
PROMPTS = os.path.join(ROOT, "build", "prompts")

# Queues, agents and a one-menu IVR; {placeholders} are filled per test.
CONFIG = """
routing:
  reason_codes: [break, lunch]
  missed: {{penalty: 2s, auto_not_ready_after: 0}}
skills: [billing, sales]
queues:
  billing:
    skills: {{billing: 1}}
    wrap_up: 2s
    ring_timeout: {ring_timeout}
    max_wait: {max_wait}
    overflow: {overflow}
    announce_every: {announce_every}
    recording: {{mode: all}}
{billing_extra}
  sales:
    skills: {{sales: 1}}
    wrap_up: 1s
    recording: {{mode: all}}
agents:
  - {{name: alice, skills: {{billing: 3}}}}
  - {{name: bob, skills: {{billing: 2}}}}
  - {{name: sam, skills: {{sales: 3}}}}
prompts: {{dir: {prompts}, languages: [en]}}
inbound:
  - {{did: "+15550100", flow: main}}
  - {{did: "+15550199", queue: billing}}
  - {{did: "+15550102", flow: crm}}
  - {{did: "+15550103", flow: away}}
  - {{did: "+15550104", queue: billing, early_media: true}}
ivr:
  main:
    start: menu
    nodes:
      menu: {{type: menu, prompts: [main-menu], timeout: 6s, retries: 2,
              options: {{"1": sales, "2": billing}}, on_failure: billing}}
      sales: {{type: queue, queue: sales}}
      billing: {{type: queue, queue: billing, data: {{reason: billing}}}}
  crm:
    start: lookup
    nodes:
      lookup: {{type: lookup, url: "http://127.0.0.1:{crm_port}/customers/${{caller}}", timeout: 1s,
                assign: {{tier: /tier, customer: /name}}, next: tier, on_failure: unknown}}
      tier: {{type: branch, variable: tier, cases: {{gold: vip}}, otherwise: unknown}}
      vip: {{type: queue, queue: billing, priority: 5, data: {{tier: "${{tier}}", customer: "${{customer}}"}}}}
      unknown: {{type: queue, queue: sales, data: {{tier: none}}}}
  away:
    start: out
    nodes:
      out: {{type: transfer, number: "+15559876543"}}
store: {{path: {workdir}/data/switchboard.db, voicemail_dir: {workdir}/data/voicemail}}
media:
  address: 127.0.0.1
  rtp_port_min: {rtp_min}
  rtp_port_max: {rtp_max}
  media_timeout: {media_timeout}
  recordings_dir: {workdir}/data/recordings
sip:
  listen:
    - {{transport: udp, address: 127.0.0.1, port: {port}}}
  realm: cc.test
  digest_algorithms: [MD5]
  accounts:
    - {{user: "1001", password: secret1}}
    - {{user: "1002", password: secret2}}
{sip_extra}
"""


class CallCenterServer(base.Server):
    """`switchboard serve` on a whole config of its own (not the SIP-only one of base.Server):
    TEMPLATE (CONFIG by default) filled with DEFAULTS, then OPTIONS."""

    DEFAULTS = dict(ring_timeout="10s", max_wait="5m", overflow="hangup", billing_extra="", sip_extra="", crm_port=9,
                    media_timeout="30s", announce_every="30s")

    def __init__(self, workdir, template=None, defaults=None, **options):
        self.workdir = workdir
        self.port = base.free_port()
        rtp = base.free_port() & ~1
        values = dict(self.DEFAULTS if defaults is None else defaults)
        values.update(options)
        self.config = os.path.join(workdir, "switchboard.yaml")
        with open(self.config, "w") as f:
            f.write((template or CONFIG).format(port=self.port, rtp_min=rtp, rtp_max=rtp + 199, workdir=workdir,
                                                prompts=PROMPTS, **values))
        self.db = os.path.join(workdir, "data", "switchboard.db")
        self.log_path = os.path.join(workdir, "serve.log")
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([base.SWITCHBOARD, "serve", "--config", self.config, "--log-level", "debug"],
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True, cwd=workdir)
        deadline = time.monotonic() + 10
        while "serve: ready" not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve did not start:\n" + self.text())
            time.sleep(0.05)

    def wait_for(self, text, seconds=15, count=1):
        """Polls the log until TEXT is in it (COUNT times)."""
        deadline = time.monotonic() + seconds
        while self.text().count(text) < count:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"'{text}' not {count} time(s) in the log after {seconds} s:\n"
                                     + self.text()[-4000:])
            time.sleep(0.05)


class Phone:
    """A baresip agent phone: registers USER with digest auth, auto-answers (or rings until
    accept()), speaks a WAV (10 s of tones by default: 440 and 660 Hz by turns, half a second
    each; the phone hangs up when it ends); driven through baresip's ctrl_tcp. With HEAR, the
    phone keeps what it hears on each call (heard())."""

    def __init__(self, workdir, server, user, password, seconds=60, commands=(), answer="auto", audio=None,
                 hear=False):
        self.dir = os.path.join(workdir, "phone" + user)
        env = dict(os.environ, USER_ID=user, PASS=password, REG_PORT=str(server.port),
                   SIP_PORT=str(base.free_port()), CTRL_PORT=str(base.free_port(socket.SOCK_STREAM)),
                   ANSWERMODE=answer)
        if audio:
            env["AUDIO"] = audio
        self.heard_dir = os.path.join(self.dir, "heard") if hear else None
        if hear:
            env["HEAR_DIR"] = self.heard_dir
        rtp = base.free_port() & ~1
        env.update(RTP_LO=str(rtp), RTP_HI=str(rtp + 9))
        self.ctrl_port = int(env["CTRL_PORT"])
        argv = ["sh", os.path.join(base.BARESIP_PEER, "run_agent.sh"), self.dir, str(seconds)]
        for c in commands:
            argv += ["-e", c]
        self.out_path = os.path.join(workdir, f"baresip{user}.log")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen(argv, env=env, stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True)

    def text(self):
        with open(self.out_path, errors="replace") as f:
            return f.read()

    def command(self, command, params=""):
        """One baresip command (as typed after '/') through ctrl_tcp; returns its answer."""
        body = json.dumps({"command": command, "params": params, "token": "t"}).encode()
        with socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=5) as s:
            s.sendall(str(len(body)).encode() + b":" + body + b",")
            answer = b""
            while not answer.endswith(b","):
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        return answer.decode(errors="replace")

    def heard(self):
        """What the phone heard on its latest call so far (PCM, 8 kHz): a phone made with HEAR."""
        return heard.phone_heard(self.heard_dir)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.out.close()


def carrier_trunk(port):
    """The sip: lines of a trunk to a carrier at 127.0.0.1:PORT taking PCMA only."""
    return (f"  trunks:\n    carrier: {{registrar: \"sip:127.0.0.1:{port}\", "
            "user: center, password: trunkpw, register: false, codecs: [PCMA]}")


def gold_customer_crm(seen):
    """An HTTP handler class for a CRM that knows every caller as Ada Lovelace, a gold
    customer; the paths asked go into SEEN."""

    class Crm(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            body = json.dumps({"name": "Ada Lovelace", "tier": "gold"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Crm


def rows(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


AGENT_TONES = (440, 660)  # the phones' default WAV
SPEECH = base.pcap_alaw_audio("/usr/share/sip-tester/g711a.pcap")  # 8 kHz: what customers say


def prompt(name, start=0.0, length=None):
    """A prompt of the server's (PROMPTS/en/NAME.wav) at 8 kHz as the server plays it, from its
    first sound + START seconds, LENGTH seconds of it (all with None)."""
    pcm = heard.read_wav(os.path.join(PROMPTS, "en", name + ".wav"), limit=None if length is None else start + length + 2)
    first = 0
    while first + 160 <= len(pcm) // 2 and audioop.rms(pcm[first * 2:(first + 160) * 2], 2) < 300:
        first += 160
    pcm = pcm[(first + int(start * 8000)) * 2:]
    return pcm if length is None else pcm[:int(length * 8000) * 2]


def agent_tone_seconds(pcm):
    """Seconds of PCM in which the phones' default WAV (440 / 660 Hz) is heard."""
    return heard.tone_seconds(pcm, AGENT_TONES)


def hears_the_callers_speech(pcm):
    """Whether PCM (what an agent heard, from the answer on) holds the customer's speech: at
    least three of its four half-seconds from 0.5 s to 2.5 s, each found with a fit above 0.9
    (unrelated audio fits below 0.5; pieces, so one frame slipped by a jitter buffer does not
    spoil the fit)."""
    pieces = [SPEECH[int(at * 16000):int((at + 0.5) * 16000)] for at in (0.5, 1.0, 1.5, 2.0)]
    return sum(heard.similarity(pcm[:4 * 16000], piece) > 0.9 for piece in pieces) >= 3


def tone_wav(workdir, freq, seconds=40):
    """A WAV of a steady tone at FREQ in WORKDIR: a phone's voice that no other party has."""
    return heard.write_wav(os.path.join(workdir, f"tone_{freq}.wav"), heard.tone(freq, seconds))


def correlation_with(channel, reference):
    """How well `reference` (16-bit PCM) is found somewhere in `channel`: normalised, 0..1."""
    offset, factor = audioop.findfit(channel, reference)
    aligned = channel[offset * 2:offset * 2 + len(reference)]
    return factor * audioop.rms(reference, 2) / max(1, audioop.rms(aligned, 2)), factor


class CallCenter(unittest.TestCase):
    def setUp(self):
        if not shutil.which("baresip") or not shutil.which("sipp"):
            self.fail("baresip and SIPp are needed: run scripts/install-deps.sh")
        if not os.path.isdir(os.path.join(PROMPTS, "en")):
            self.fail(f"no prompts in {PROMPTS}: build the 'prompts' target")
        self.workdir = tempfile.mkdtemp(prefix="sb-cc-")
        self.server = None
        self.phones = []
        self.peers = []

    def tearDown(self):
        for p in self.phones:
            p.stop()
        for p in self.peers:
            p.close()
            if os.environ.get("SB_KEEP") is not None:  # what each peer heard, to listen to
                heard.write_wav(os.path.join(self.workdir, f"heard_{p.name}.wav"), p.heard())
        if self.server:
            rc = self.server.stop()
            self.assertEqual(rc, 0, "serve did not stop cleanly:\n" + self.server.text()[-3000:])
        if os.environ.get("SB_KEEP") is None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self, **options):
        self.server = CallCenterServer(self.workdir, **options)
        return self.server

    def login(self, user, password, agent, **phone_options):
        """A phone that registers and logs `agent` in with *1<agent>; waits until it is available."""
        phone = Phone(self.workdir, self.server, user, password,
                      commands=[f"/dial sip:*1{agent}@127.0.0.1:{self.server.port}"], **phone_options)
        self.phones.append(phone)
        self.server.wait_for(f"registered sip:{user}@127.0.0.1")
        self.server.wait_for(f"agent {agent}: available")
        # The login call (its prompt, about 2 s) is over before the phone takes a customer's: a
        # phone with the login call still up holds, resumes or transfers the wrong line (baresip
        # resumes a held call when the other one ends), and a hearing phone's dump, named by the
        # second its call started in, is a file of its own.
        heard.wait_until(lambda: "terminated (duration" in phone.text(), 10, "the login call ends", phone.text)
        return phone

    def caller(self, talk_ms, *extra, timeout=60):
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_menu.xml"), self.server.port, "-s", "+15550100",
                               "-d", str(talk_ms), "-mp", str(base.free_port() & ~1), *extra,
                               workdir=self.workdir, timeout=timeout)
        return rc, errors

    def caller_in_background(self, talk_ms):
        """The caller on a thread, so the test can act while the call goes on; join() it."""
        result = {}
        thread = threading.Thread(target=lambda: result.update(rc=self.caller(talk_ms)))
        thread.start()
        def join():
            thread.join(90)
            rc, errors = result.get("rc", (-1, "SIPp did not finish"))
            self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + self.server.text()[-4000:])
        return join

    def customer(self, did="+15550199", hang_up_after_ms=30000, name="caller"):
        """A customer calling DID whose media the test carries: SIPp signals
        (caller_media_by_test.xml), a heard_audio.RtpPeer sends what the test plays and keeps what
        the customer hears. The call ends with the center's BYE, or ours HANG_UP_AFTER_MS after the
        answer. Returns (peer, join); join() waits for SIPp, asserts it succeeded and stops the
        peer (what it heard stays readable)."""
        peer = heard.RtpPeer(name)
        self.peers.append(peer)
        with open(os.path.join(SIPP_DIR, "caller_media_by_test.xml")) as f:
            text = f.read()
        for old, new in (("m=audio [media_port]", f"m=audio {peer.port}"),
                         ('timeout="30000"', f'timeout="{hang_up_after_ms}"')):
            assert old in text, old
            text = text.replace(old, new)
        scenario = os.path.join(self.workdir, f"{name}_scenario.xml")
        with open(scenario, "w") as f:
            f.write(text)
        trace = os.path.join(self.workdir, f"{name}_sip.log")
        peer.learn_remote_from_trace(trace)
        result = {}
        thread = threading.Thread(target=lambda: result.update(rc=base.sipp(
            scenario, self.server.port, "-s", did, "-mp", str(base.free_port() & ~1), "-trace_msg",
            "-message_file", trace, workdir=self.workdir, timeout=hang_up_after_ms // 1000 + 30)))
        thread.start()

        def join():
            thread.join(hang_up_after_ms / 1000 + 60)
            rc, errors = result.get("rc", (-1, "SIPp did not finish"))
            peer.close()
            self.assertEqual(rc, 0, f"{name}: " + errors[-3000:] + "\n--- serve ---\n" + self.server.text()[-4000:])
        return peer, join

    def wait_after(self, first, then, seconds=15):
        """Polls the log until THEN is in it after the last FIRST (an agent available again
        after its wrap-up, not from its login)."""
        def found():
            text = self.server.text()
            at = text.rfind(first)
            return at >= 0 and text.find(then, at) >= 0
        heard.wait_until(found, seconds, f"'{then}' after '{first}'", lambda: self.server.text()[-3000:])

    def wrapped_up(self, *agents):
        """Waits until each agent's last wrap-up has ended."""
        for agent in agents:
            self.wait_after(f"agent {agent}: wrap-up", f"agent {agent}: available")

    def in_call(self, phone, calls=2):
        """Waits until PHONE has CALLS established calls (its login call is the first): the
        call is up on the phone's side too, so a command it sends goes to that call."""
        heard.wait_until(lambda: phone.text().count("Call established") >= calls, 15,
                         f"the phone's call {calls} is established", phone.text)

    def hears(self, condition, what, timeout=15):
        """Polls CONDITION (what someone has heard so far) until it holds; fails naming WHAT."""
        return heard.wait_until(condition, timeout, what, lambda: self.server.text()[-3000:])

    def press_after_the_menu(self, caller, digit):
        """The caller listens to the menu prompt for a second, as a person would, then presses
        DIGIT; asserts it was the menu that was heard."""
        self.hears(lambda: heard.loud_seconds(caller.heard()) >= 1.0, "the caller hears the menu")
        menu = heard.similarity(caller.heard(), prompt("main-menu", 0.1, 0.6))
        self.assertGreater(menu, 0.8, "what the caller heard first is not the menu prompt")
        caller.press(digit)

    def assert_caller(self, talk_ms):
        rc, errors = self.caller(talk_ms)
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + self.server.text()[-4000:])

    def interaction(self, db):
        [row] = rows(db, "SELECT * FROM interactions")
        return row

    def events(self, db):
        return [(r["kind"], r["queue"], r["agent"], json.loads(r["data"]))
                for r in rows(db, "SELECT kind, queue, agent, data FROM interaction_events ORDER BY seq")]

    def test_caller_presses_2_and_talks_to_the_billing_agent(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice", hear=True)
        # The customer listens to the menu, presses 2, speaks (the pcap's 7 s) once answered and
        # hangs up 9 s after our answer.
        caller, join = self.customer("+15550100", hang_up_after_ms=9000)
        self.press_after_the_menu(caller, "2")
        server.wait_for("answered by alice")
        answered = time.monotonic()
        caller.play(SPEECH)
        # What each side hears, while the call goes on: the caller the agent's phone (its tones),
        # the agent the caller's speech.
        self.hears(lambda: agent_tone_seconds(caller.heard(since=answered)) >= 2.0, "the caller hears the agent")
        self.hears(lambda: hears_the_callers_speech(alice.heard()), "the agent hears the caller")
        self.assertLess(agent_tone_seconds(caller.heard(until=answered)), 0.3,
                        "the caller heard the agent before the agent answered")
        join()
        server.wait_for("ended (caller hung up)")
        server.wait_for("agent alice: available", 10, count=2)  # after the 2 s wrap-up
        self.server_stopped()
        [row] = rows(server.db, "SELECT * FROM interactions")
        self.assertEqual(row["queue"], "billing")
        self.assertEqual(row["agent"], "alice")
        self.assertEqual(row["outcome"], "answered")
        self.assertEqual(row["caller"], "+15551230000")
        self.assertEqual(row["did"], "+15550100")
        self.assertLess(row["wait_ms"], 3000)      # queued at the digit, answered by auto-answer
        self.assertGreater(row["talk_ms"], 6000)   # the caller hangs up 9 s after the IVR answered
        self.assertLess(row["talk_ms"], 9000)
        self.assertIsNotNone(row["wrap_up_done_us"])
        kinds = [r["kind"] for r in rows(server.db, "SELECT kind FROM interaction_events ORDER BY seq")]
        self.assertEqual(kinds, ["arrived", "ivr-exit", "queued", "offered", "answered", "ended", "wrap-up-done"])
        # The same log holds alice's agent events, the offer and the call naming the interaction,
        # and each leg's call quality as the engine measured it.
        agent = rows(server.db, "SELECT kind, interaction_id, queue, data FROM events WHERE topic = 'agent' "
                                "AND agent = 'alice' ORDER BY seq")
        self.assertEqual([a["kind"] for a in agent], ["agent-login", "agent-ready", "agent-offered", "agent-busy",
                                                      "agent-wrap-up", "agent-ready"])
        self.assertEqual(json.loads(agent[0]["data"])["phone"].split("@")[0], "sip:1001")
        for a in agent[2:5]:
            self.assertEqual((a["interaction_id"], a["queue"]), (row["interaction_id"], "billing"))
        quality = {json.loads(q["data"])["leg"]: json.loads(q["data"])
                   for q in rows(server.db, "SELECT data FROM events WHERE kind = 'leg-quality' AND interaction_id = ?",
                                 row["interaction_id"])}
        self.assertEqual(sorted(quality), ["agent", "caller"])
        for leg in quality.values():
            self.assertGreater(leg["packets_received"], 200)  # several seconds of 20 ms packets
            self.assertGreater(leg["mos"], 3.5)               # loopback: no loss, little jitter
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        self.assertIn("agents: alice available", self.stopped_log)
        # Both sides were heard: the caller's channel holds the pcap's speech, the agent's the
        # phone's WAV.
        with wave.open(row["recording"]) as w:
            self.assertEqual(w.getnchannels(), 2)
            rate = w.getframerate()
            frames = w.readframes(w.getnframes())
        caller = audioop.tomono(frames, 2, 1, 0)
        agent = audioop.tomono(frames, 2, 0, 1)
        speech = audioop.ratecv(base.pcap_alaw_audio("/usr/share/sip-tester/g711a.pcap")[16000:32000], 2, 1, 8000,
                                rate, None)[0]
        corr, _ = correlation_with(caller, speech)
        self.assertGreater(corr, 0.8, "the caller's speech is not in the caller channel")
        with wave.open(os.path.join(base.BARESIP_PEER, "agent1001", "prompt_8k.wav")) as w:
            phone_audio = w.readframes(w.getnframes())
        reference = audioop.ratecv(phone_audio[8000:24000], 2, 1, 8000, rate, None)[0]
        corr, _ = correlation_with(agent, reference)
        self.assertGreater(corr, 0.8, "the agent's phone audio is not in the agent channel")

    def test_caller_who_hangs_up_in_queue_is_recorded_as_abandoned(self):
        server = self.start()
        # Nobody is logged in: the caller waits in billing (music) and gives up.
        self.assert_caller(1000)
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("billing", "", "abandoned"))
        self.assertGreater(row["wait_ms"], 500)
        self.assertLess(row["wait_ms"], 5000)
        self.assertIsNone(row["talk_ms"])
        kinds = [e[0] for e in self.events(server.db)]
        self.assertEqual(kinds, ["arrived", "ivr-exit", "queued", "abandoned", "ended"])
        self.assertIn("0 connected to agents, 1 abandoned", self.stopped_log)
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)

    def test_caller_who_hangs_up_in_the_ivr_is_recorded_there(self):
        server = self.start()
        # Answered, then BYE a second later, while the menu is still being said.
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_hangs_up.xml"), server.port, "-s", "+15550100",
                               "-d", "1000", "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=30)
        self.assertEqual(rc, 0, errors[-3000:] + server.text()[-3000:])
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["outcome"]), ("", "ivr"))
        events = self.events(server.db)
        self.assertEqual([e[0] for e in events], ["arrived", "abandoned", "ended"])
        self.assertEqual(events[1][3], {"node": "menu"})

    def test_max_wait_overflows_to_voicemail_with_the_callers_message(self):
        server = self.start(max_wait="2s", overflow="{to: voicemail, message: leave-a-message}")
        # Queued at ~1.5 s, overflow at ~3.5 s, the message (~2 s) and the beep, then the
        # caller's speech (from 2.5 s to 9.5 s) is recorded until the hang-up at ~8.5 s.
        self.assert_caller(6000)
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["outcome"]), ("billing", "voicemail"))
        self.assertIn("/data/voicemail/billing/", row["recording"])
        events = self.events(server.db)
        self.assertEqual([e[0] for e in events], ["arrived", "ivr-exit", "queued", "transferred", "ended"])
        self.assertEqual(events[3][3], {"overflow": "voicemail", "why": "max-wait"})
        self.assertEqual(events[4][3]["caller"], "+15551230000")
        with wave.open(row["recording"]) as w:
            rate = w.getframerate()
            frames = w.readframes(w.getnframes())
        message = audioop.tomono(frames, 2, 1, 0)
        # One second of the caller's speech from near the end of the message: the recording
        # ends with the caller's BYE (SIPp's clock, like the speech), but starts after the
        # prompt and the beep, later on a loaded machine; about 2.5 s are recorded.
        speech = audioop.ratecv(base.pcap_alaw_audio("/usr/share/sip-tester/g711a.pcap")[78000:86000], 2, 1, 8000,
                                rate, None)[0]
        corr, _ = correlation_with(message, speech)
        self.assertGreater(corr, 0.8, "the caller's speech is not in the voicemail")

    def test_an_agent_who_does_not_answer_is_skipped_for_the_next(self):
        server = self.start(ring_timeout="3s")
        # Alice logs in first (idle longest, offered first) but her phone only rings.
        self.login("1001", "secret1", "alice", answer="manual")
        self.login("1002", "secret2", "bob")
        self.assert_caller(6000)
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["agent"], row["outcome"]), ("bob", "answered"))
        self.assertGreaterEqual(row["wait_ms"], 3000)  # alice's ring timeout first
        offers = [(e[0], e[2]) for e in self.events(server.db) if e[0] in ("offered", "answered")]
        self.assertEqual(offers, [("offered", "alice"), ("offered", "bob"), ("answered", "bob")])
        self.assertIn("agent alice: missed", self.stopped_log)

    def test_agent_holds_and_resumes_the_caller(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice", audio=self.long_agent_wav())
        caller, join = self.customer()  # straight to billing
        server.wait_for("answered by alice")
        answered = time.monotonic()
        self.hears(lambda: agent_tone_seconds(caller.heard(since=answered)) >= 1.0, "the caller hears the agent")
        alice.command("hold")
        server.wait_for("alice held the caller")
        held = time.monotonic()
        self.hears(lambda: caller.heard_seconds(since=held) >= 3.0, "the caller hears something while held")
        alice.command("resume")
        server.wait_for("alice resumed the caller")
        resumed = time.monotonic()
        self.hears(lambda: agent_tone_seconds(caller.heard(since=resumed)) >= 1.0,
                   "the caller hears the agent again after the resume")
        alice.command("hangup")
        server.wait_for("ended (agent hung up)")
        join()
        # While held (the re-INVITE's round trip aside): the queue's music from its start, and
        # nothing of the agent; a caller left in silence, or still bridged, fails here.
        on_hold = caller.heard(since=held + 0.3, until=resumed)
        music = heard.similarity(on_hold, prompt("music-on-hold", 1.0, 1.0))
        self.assertGreater(music, 0.8, "the caller did not hear the music on hold")
        self.assertLess(agent_tone_seconds(on_hold), 0.3, "the caller heard the agent while held")
        self.assertGreater(heard.loud_seconds(on_hold), 2.0)
        self.server_stopped()
        kinds = [e[0] for e in self.events(server.db)]
        self.assertEqual(kinds[kinds.index("answered"):kinds.index("ended")], ["answered", "held", "resumed"])

    def test_agent_blind_transfers_the_caller_to_the_sales_queue(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")
        self.login("1002", "secret2", "sam")
        join = self.caller_in_background(9000)
        server.wait_for("answered by alice")
        self.in_call(alice)
        alice.command("transfer", f"sip:sales@127.0.0.1:{server.port}")
        server.wait_for("alice transferred the caller to queue sales")
        server.wait_for("answered by sam")
        join()
        server.wait_for("ended (caller hung up)")
        self.wrapped_up("alice", "sam")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("sales", "sam", "answered"))
        events = [(e[0], e[1], e[2]) for e in self.events(server.db)]
        # Alice's wrap-up (2 s) ends while the caller talks to Sam, Sam's after the hang-up.
        calls = [e for e in events if e[0] != "wrap-up-done"]
        self.assertEqual(calls[calls.index(("answered", "billing", "alice")):], [
            ("answered", "billing", "alice"), ("transferred", "billing", "alice"), ("queued", "sales", ""),
            ("offered", "sales", "sam"), ("answered", "sales", "sam"), ("ended", "sales", "sam")])
        self.assertEqual([e for e in events if e[0] == "wrap-up-done"],
                         [("wrap-up-done", "billing", "alice"), ("wrap-up-done", "sales", "sam")])

    def test_agent_blind_transfers_the_caller_to_agent_bob(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")  # idle the longest: the queue's choice
        bob = self.login("1002", "secret2", "bob")
        join = self.caller_in_background(8000)  # phones hang up when their 10 s of audio ends
        server.wait_for("answered by alice")
        self.in_call(alice)
        alice.command("transfer", f"sip:bob@127.0.0.1:{server.port}")
        server.wait_for("alice transferred the caller to agent bob")
        server.wait_for("answered by bob")
        join()
        server.wait_for("ended (caller hung up)")
        self.wrapped_up("alice", "bob")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("billing", "bob", "answered"))
        events = [(e[0], e[1], e[2]) for e in self.events(server.db) if e[0] != "wrap-up-done"]
        self.assertEqual(events[events.index(("answered", "billing", "alice")):], [
            ("answered", "billing", "alice"), ("transferred", "billing", "alice"), ("queued", "billing", ""),
            ("offered", "billing", "bob"), ("answered", "billing", "bob"), ("ended", "billing", "bob")])
        transferred = [e[3] for e in self.events(server.db) if e[0] == "transferred"]
        self.assertEqual(transferred, [{"to": "agent", "agent": "bob", "from_agent": "alice", "kind": "blind"}])
        queued = [e[3] for e in self.events(server.db) if e[0] == "queued"]
        self.assertEqual(queued[-1].get("agent"), "bob")
        self.assertEqual(bob.text().count("Call established"), 2, bob.text())  # login and the caller

    def test_caller_who_hangs_up_during_a_transfer_leaves_nothing_behind(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")  # idle the longest: the queue's choice
        bob = self.login("1002", "secret2", "bob", answer="manual")
        join = self.caller_in_background(5000)
        server.wait_for("answered by alice")
        alice.command("transfer", f"sip:bob@127.0.0.1:{server.port}")
        server.wait_for("alice transferred the caller to agent bob")
        join()  # the caller hangs up while bob's phone rings
        server.wait_for("ended (caller hung up)")
        self.wait_after("agent bob: offered", "agent bob: available")  # no longer ringing
        self.wrapped_up("alice")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        agents = next(line for line in self.stopped_log.splitlines() if "agents:" in line)
        self.assertIn("alice available", agents)
        self.assertIn("bob available", agents)
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("billing", "alice", "abandoned"))
        kinds = [e[0] for e in self.events(server.db) if e[0] != "wrap-up-done"]
        self.assertEqual(kinds[kinds.index("transferred"):], ["transferred", "queued", "offered", "abandoned", "ended"])
        self.assertEqual([(e[0], e[2]) for e in self.events(server.db) if e[0] == "wrap-up-done"],
                         [("wrap-up-done", "alice")])
        self.assertIn("Incoming call from: +15551230000", bob.text())
        self.assertEqual(bob.text().count("Call established"), 1, bob.text())  # its login call only

    def test_agent_consults_bob_then_transfers_the_caller_to_him(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")  # idle the longest: the queue's choice
        bob = self.login("1002", "secret2", "bob")
        join = self.caller_in_background(9000)
        server.wait_for("answered by alice")
        alice.command("hold")
        server.wait_for("alice held the caller")
        alice.command("dial", f"sip:bob@127.0.0.1:{server.port}")  # the consultation
        server.wait_for("consultation from 1001 (alice) to agent bob")
        server.wait_for("answered by bob")
        self.transfer_with_replaces(alice, "bob")
        server.wait_for("alice transferred the caller to agent bob after consulting")
        join()
        server.wait_for("ended (caller hung up)")
        self.wrapped_up("alice", "bob")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        [caller] = rows(server.db, "SELECT * FROM interactions WHERE caller = '+15551230000'")
        [consultation] = rows(server.db, "SELECT * FROM interactions WHERE caller = '1001'")
        self.assertEqual((caller["queue"], caller["agent"], caller["outcome"]), ("billing", "bob", "answered"))
        self.assertEqual((caller["direction"], consultation["direction"]), ("inbound", "internal"))
        events = [e for e in self.events(server.db)]
        def kinds_of(interaction):
            return [(r["kind"], r["agent"]) for r in rows(server.db, "SELECT kind, agent FROM interaction_events "
                                                          "WHERE interaction_id = ? ORDER BY seq", interaction)]
        mine = [e for e in kinds_of(caller["interaction_id"]) if e[0] != "wrap-up-done"]
        self.assertEqual(mine[mine.index(("answered", "alice")):], [
            ("answered", "alice"), ("held", "alice"), ("transferred", "alice"), ("answered", "bob"), ("ended", "bob")])
        # Both agents' wrap-ups close the caller's interaction, none the consultation.
        self.assertEqual(sorted(e for e in kinds_of(caller["interaction_id"]) if e[0] == "wrap-up-done"),
                         [("wrap-up-done", "alice"), ("wrap-up-done", "bob")])
        self.assertEqual([e[0] for e in kinds_of(consultation["interaction_id"])],
                         ["arrived", "queued", "offered", "answered", "ended"])
        [transferred] = [e[3] for e in events if e[0] == "transferred"]
        self.assertEqual((transferred["kind"], transferred["agent"], transferred["from_agent"]), ("attended", "bob", "alice"))
        self.assertEqual(transferred["consultation"], consultation["interaction_id"])
        self.assertEqual(bob.text().count("Call established"), 2, bob.text())  # login and the consultation
        # The caller's second recording (with bob) holds the caller's speech.
        [ended] = [e[3] for e in events if e[0] == "ended" and e[2] == "bob" and "recordings" in e[3]]
        self.assertEqual(len(ended["recordings"]), 2)
        with wave.open(ended["recordings"][1]) as w:
            frames = w.readframes(w.getnframes())
        self.assertGreater(audioop.rms(audioop.tomono(frames, 2, 1, 0), 2), 300)

    def test_agent_consults_the_sales_queue_then_transfers_the_caller(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")
        self.login("1002", "secret2", "sam")
        join = self.caller_in_background(8000)
        server.wait_for("answered by alice")
        alice.command("hold")
        server.wait_for("alice held the caller")
        alice.command("dial", f"sip:sales@127.0.0.1:{server.port}")  # whoever sales has free
        server.wait_for("consultation from 1001 (alice) to queue sales")
        server.wait_for("answered by sam")
        self.transfer_with_replaces(alice, "sales")
        server.wait_for("alice transferred the caller to agent sam after consulting")
        join()
        server.wait_for("ended (caller hung up)")
        self.wrapped_up("alice", "sam")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        self.assertIn("agents: ", self.stopped_log)
        [caller] = rows(server.db, "SELECT * FROM interactions WHERE caller = '+15551230000'")
        self.assertEqual((caller["queue"], caller["agent"], caller["outcome"]), ("billing", "sam", "answered"))
        [consultation] = rows(server.db, "SELECT * FROM interactions WHERE caller = '1001'")
        self.assertEqual(consultation["queue"], "sales")
        wrap_ups = rows(server.db, "SELECT agent FROM interaction_events WHERE kind = 'wrap-up-done' "
                                   "AND interaction_id = ? ORDER BY agent", caller["interaction_id"])
        self.assertEqual([w["agent"] for w in wrap_ups], ["alice", "sam"])

    def test_agent_consults_an_outside_number_then_transfers_the_caller_there(self):
        server, carrier = self.start_with_carrier()
        alice = self.login("1001", "secret1", "alice")
        join = self.caller_in_background(8000)
        server.wait_for("answered by alice")
        alice.command("hold")
        server.wait_for("alice held the caller")
        alice.command("dial", f"sip:5559876543@127.0.0.1:{server.port}")
        server.wait_for("+15559876543 answered")
        self.transfer_with_replaces(alice, "5559876543")
        server.wait_for("alice transferred the caller to number +15559876543 after consulting")
        join()
        server.wait_for("ended (caller hung up)")
        _, carrier_errors = carrier.communicate(timeout=30)  # the carrier got our BYE after the caller's
        self.assertEqual(carrier.returncode, 0, carrier_errors.decode(errors="replace")[-2000:])
        self.wrapped_up("alice")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        [transferred] = [e[3] for e in self.events(server.db) if e[0] == "transferred"]
        self.assertEqual((transferred["kind"], transferred["number"], transferred["from_agent"]),
                         ("attended", "+15559876543", "alice"))
        [caller] = rows(server.db, "SELECT * FROM interactions WHERE caller = '+15551230000'")
        self.assertEqual((caller["agent"], caller["outcome"]), ("alice", "answered"))
        ended = [e[3]["reason"] for e in self.events(server.db) if e[0] == "ended"]
        self.assertEqual(sorted(ended), ["caller hung up", "transferred"])

    def test_early_media_line_is_answered_only_when_the_agent_answers(self):
        server = self.start(billing_extra="    music_on_hold: ringback")
        alice = self.login("1001", "secret1", "alice", answer="manual")
        # The caller's media is the test's: SIPp (without its speech) answers nothing itself.
        caller = heard.RtpPeer("caller")
        self.peers.append(caller)
        scenario = base.scenario_copy(self.workdir, "caller_early_media.xml", [
            ("m=audio [media_port]", f"m=audio {caller.port}"),
            ('<nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap" /></action></nop>', "")])
        caller.learn_remote_from_trace(os.path.join(self.workdir, "caller.log"))
        result = {}
        thread = threading.Thread(target=lambda: result.update(rc=base.sipp(
            scenario, server.port, "-s", "+15550104", "-d", "3000",
            "-mp", str(base.free_port() & ~1), "-trace_msg", "-message_file",
            os.path.join(self.workdir, "caller.log"), workdir=self.workdir, timeout=60)))
        thread.start()
        server.wait_for("agent alice: offered")
        # Unanswered, the caller hears the queue in early media: ringback here (US: 440 + 480
        # Hz; 480 is in no phone's audio).
        self.hears(lambda: heard.tone_seconds(caller.heard(), 480) >= 1.5, "the caller hears ringback in early media")
        self.assertNotIn("answered (after early media)", server.text())
        alice.command("accept")
        server.wait_for("answered (after early media)")
        accepted = time.monotonic()
        # Then the agent (660 Hz is the agent's alone), and the ringback stops.
        self.hears(lambda: heard.tone_seconds(caller.heard(since=accepted), 660) >= 1.0, "the caller hears the agent")
        thread.join(60)
        rc, errors = result.get("rc", (-1, "SIPp did not finish"))
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-4000:])
        server.wait_for("ended (caller hung up)")
        self.assertLess(heard.tone_seconds(caller.heard(since=accepted + 0.3), 480), 0.3,
                        "the caller still hears ringback after the answer")
        self.server_stopped()
        with open(os.path.join(self.workdir, "caller.log"), errors="replace") as f:
            trace = f.read()
        self.assertLess(trace.index("SIP/2.0 183 Session Progress"), trace.index("SIP/2.0 200 OK"))
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("billing", "alice", "answered"))
        self.assertGreater(row["wait_ms"], 1500)  # the time in early media was the caller's wait

    def test_caller_who_cancels_in_early_media_leaves_nothing_behind(self):
        server = self.start()
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_early_cancel.xml"), server.port, "-s", "+15550104",
                               "-d", "2000", "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=30)
        self.assertEqual(rc, 0, errors[-3000:] + server.text()[-3000:])
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["outcome"]), ("billing", "abandoned"))

    def test_supervisor_whisper_stays_out_of_the_callers_channel(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice", hear=True, audio=self.long_agent_wav())
        # The supervisor's phone speaks a steady 1 kHz tone (no one else's audio has it); it
        # registers but takes no calls.
        tone = tone_wav(self.workdir, 1000)
        supervisor = Phone(self.workdir, server, "1002", "secret2", audio=tone)
        self.phones.append(supervisor)
        server.wait_for("registered sip:1002@127.0.0.1")
        caller, join = self.customer()
        server.wait_for("answered by alice")
        caller.play(SPEECH)
        self.hears(lambda: hears_the_callers_speech(alice.heard()), "the agent hears the caller")
        supervisor.command("dial", f"sip:*6alice@127.0.0.1:{server.port}")
        server.wait_for("1002 whisper agent alice")
        whispering = time.monotonic()
        # The agent hears the whisper; meanwhile the caller goes on hearing the agent, and never
        # the supervisor. Were whisper a barge, the caller would hear the 1 kHz tone mixed with
        # the agent's (a share of about 0.8 in every 100 ms window: seconds of it), and the
        # assertion below would fail; a caller hearing nothing at all fails the one before it.
        self.hears(lambda: heard.tone_seconds(alice.heard(), 1000) >= 1.5, "the agent hears the whisper")
        self.hears(lambda: agent_tone_seconds(caller.heard(since=whispering)) >= 2.0,
                   "the caller hears the agent during the whisper")
        # A second line on the same call, named by its interaction id: listen only.
        interaction = re.search(r"call (\w+): answered by alice", server.text()).group(1)
        supervisor.command("dial", f"sip:*5{interaction}@127.0.0.1:{server.port}")
        server.wait_for(f"call {interaction}: 1002 monitor agent alice")
        alice.command("hangup")
        server.wait_for("ended (agent hung up)")
        join()
        during = caller.heard(since=whispering)
        self.assertLess(heard.tone_seconds(during, 1000), 0.3, "the caller heard the supervisor's whisper")
        self.server_stopped()
        row = self.interaction(server.db)
        with wave.open(row["recording"]) as w:
            rate = w.getframerate()
            frames = w.readframes(w.getnframes())
        caller_channel = audioop.tomono(frames, 2, 1, 0)
        with wave.open(tone) as w:
            reference = audioop.ratecv(w.readframes(w.getnframes())[16000:32000], 2, 1, 8000, rate, None)[0]
        whisper_in_caller, _ = correlation_with(caller_channel, reference)
        self.assertLess(whisper_in_caller, 0.3, "the supervisor's whisper leaked into the caller's channel")
        speech = audioop.ratecv(SPEECH[16000:32000], 2, 1, 8000, rate, None)[0]
        self.assertGreater(correlation_with(caller_channel, speech)[0], 0.8)

    def test_callers_waiting_hear_music_and_their_place_in_the_queue(self):
        # Nobody is logged in: two callers wait in billing, hear the music, and every 4 s their
        # place ("you are caller number" and the number); at the 9 s max wait we let them go.
        server = self.start(announce_every="4s", max_wait="9s")
        first, join_first = self.customer(name="first")
        server.wait_for("-> +15550199")
        second, join_second = self.customer(name="second")
        server.wait_for("-> +15550199", count=2)
        announcement = prompt("your-position", 0.1, 0.6)

        def announced(caller):
            return heard.similarity(caller.heard()[-64000:], announcement) > 0.8
        self.hears(lambda: announced(first), "the first caller hears the announcement")
        self.hears(lambda: announced(second), "the second caller hears the announcement")
        join_first()
        join_second()
        server.wait_for("ended (", count=2)
        music = prompt("music-on-hold", 1.0, 1.0)
        for caller, place, other in ((first, 1, 2), (second, 2, 1)):
            audio = caller.heard()
            self.assertGreater(heard.similarity(audio[:4 * 16000], music), 0.8, f"{caller.name}: no music while waiting")
            # The number said right after "you are caller number" is the caller's own place.
            offset, _ = audioop.findfit(audio, announcement)
            said = prompt("your-position")
            end = offset + (len(said) - int(0.1 * 8000) * 2) // 2
            number = audio[(end - 1600) * 2:(end + 8000) * 2]
            mine = heard.similarity(number, prompt(f"number-{place}", 0, 0.4))
            theirs = heard.similarity(number, prompt(f"number-{other}", 0, 0.4))
            self.assertGreater(mine, 0.8, f"{caller.name} did not hear its place, {place}")
            self.assertLess(theirs, mine - 0.2, f"{caller.name} heard {other} as its place")
        self.server_stopped()

    def test_callback_is_offered_kept_and_dialled_when_an_agent_is_free(self):
        # The carrier's side of the callback: SIPp answers the INVITE to the customer's number.
        server, carrier = self.start_with_carrier(billing_extra="    callback_after: 2s")
        # Straight to billing: offered the callback at ~2 s, presses 1 at ~3 s; hung up by us.
        # (The pcaps' RTP sequence numbers rise from digit 1 to 9: a 1 after a 2 would be
        # taken for a stale packet, rightly, so this line skips the menu.)
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_callback.xml"), server.port, "-s", "+15550199",
                               "-d", "3000", "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=60)
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-4000:])
        # The place is kept; alice logs in, is reserved for it, answers, and the customer is dialled.
        alice = self.login("1001", "secret1", "alice")
        server.wait_for("callback to +15551230000 answered")
        self.in_call(alice)
        alice.command("hangup")
        server.wait_for("ended (agent hung up)")
        _, carrier_errors = carrier.communicate(timeout=30)
        self.assertEqual(carrier.returncode, 0, carrier_errors.decode(errors="replace")[-2000:])
        with open(os.path.join(self.workdir, "carrier.log"), errors="replace") as f:
            carrier_log = f.read()
        self.assertIn("INVITE sip:+15551230000@127.0.0.1 SIP/2.0", carrier_log)
        # The trunk takes PCMA only: that is all we offered it (and telephone-event).
        self.assertRegex(carrier_log, r"m=audio \d+ RTP/AVP 8 101\r?\n")
        self.wrapped_up("alice")
        self.server_stopped()
        row = self.interaction(server.db)
        self.assertEqual((row["queue"], row["agent"], row["outcome"]), ("billing", "alice", "answered"))
        events = self.events(server.db)
        kinds = [e[0] for e in events]
        self.assertEqual(kinds, ["arrived", "queued", "queued", "offered", "answered", "answered",
                                 "ended", "wrap-up-done"])
        self.assertEqual(events[2][3], {"callback": True, "number": "+15551230000"})
        self.assertTrue(events[5][3]["callback"])

    def test_caller_who_hangs_up_while_the_agent_rings_leaves_nothing_behind(self):
        server = self.start()
        self.login("1001", "secret1", "alice", answer="manual")
        # Queued at ~1.5 s, alice's phone rings at once; the caller gives up at ~3.5 s.
        self.assert_caller(1000)
        server.wait_for("ended (caller hung up)")
        # Not stuck ringing: available again after the offer (missed penalty 2 s at most).
        self.wait_after("agent alice: offered", "agent alice: available")
        self.server_stopped()
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)
        self.assertIn("agents: alice available", self.stopped_log)
        row = self.interaction(server.db)
        self.assertEqual((row["agent"], row["outcome"]), ("", "abandoned"))
        kinds = [e[0] for e in self.events(server.db)]
        self.assertEqual(kinds, ["arrived", "ivr-exit", "queued", "offered", "abandoned", "ended"])
        # The phone rang and saw the INVITE cancelled: only its own login call was established.
        phone = self.phones[0].text()
        self.assertIn("Incoming call from: +15551230000", phone)
        self.assertEqual(phone.count("Call established"), 1, phone)

    def test_crm_lookup_routes_a_gold_customer_and_a_dead_crm_falls_back(self):
        seen = []
        crm = http.server.HTTPServer(("127.0.0.1", 0), gold_customer_crm(seen))
        threading.Thread(target=crm.serve_forever, daemon=True).start()
        try:
            server = self.start(crm_port=crm.server_address[1])
            rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_menu.xml"), server.port, "-s", "+15550102",
                                   "-d", "500", "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=60)
            self.assertEqual(rc, 0, errors[-3000:] + server.text()[-3000:])
            server.wait_for("ended (caller hung up)")
        finally:
            crm.shutdown()
            crm.server_close()
        self.assertEqual(seen, ["/customers/+15551230000"])
        self.server_stopped()
        exits = [e for e in self.events(server.db) if e[0] == "ivr-exit"]
        self.assertEqual(exits[0][3]["queue"], "billing")
        self.assertEqual(exits[0][3]["priority"], 5)
        self.assertEqual(exits[0][3]["data"], {"tier": "gold", "customer": "Ada Lovelace"})

        # The same flow with the CRM gone (connection refused): the fallback branch, at once.
        shutil.rmtree(os.path.join(self.workdir, "data"))
        server = self.start(crm_port=crm.server_address[1])
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_menu.xml"), server.port, "-s", "+15550102",
                               "-d", "500", "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=60)
        self.assertEqual(rc, 0, errors[-3000:])
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        exits = [e for e in self.events(server.db) if e[0] == "ivr-exit"]
        self.assertEqual((exits[0][3]["queue"], exits[0][3]["data"]), ("sales", {"tier": "none"}))

    def test_a_caller_whose_session_timer_runs_out_is_hung_up(self):
        # SIPp sends no RTP here; only the timers count.
        # The line's flow sends the caller through the trunk to a carrier that makes us the
        # refresher (90 s): our re-INVITE must reach it at 45 s (carrier_session_timer.xml).
        server, carrier = self.start_with_carrier("carrier_session_timer.xml", media_timeout="0s")
        # RFC 4028: the caller asks 90 s and is the refresher, but never refreshes: BYE at 60 s.
        started = time.monotonic()
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_session_timer.xml"), server.port, "-s", "+15550103",
                               "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=100)
        self.assertEqual(rc, 0, errors[-3000:] + server.text()[-3000:])
        self.assertGreater(time.monotonic() - started, 55)
        server.wait_for("ended (session timer expired)")
        _, carrier_errors = carrier.communicate(timeout=30)
        self.assertEqual(carrier.returncode, 0, carrier_errors.decode(errors="replace")[-2000:] + server.text()[-3000:])
        self.server_stopped()
        self.assertEqual(self.events(server.db)[-1][3]["reason"], "session timer expired")
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)

    def test_a_caller_whose_media_stops_is_hung_up(self):
        server = self.start(media_timeout="3s")
        started = time.monotonic()
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_session_timer.xml"), server.port, "-s", "+15550199",
                               "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=100)
        self.assertEqual(rc, 0, errors[-3000:] + server.text()[-3000:])
        self.assertLess(time.monotonic() - started, 20)
        server.wait_for("ended (media timeout)")
        self.server_stopped()
        self.assertEqual(self.events(server.db)[-1][3]["reason"], "media timeout")
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)

    def test_admin_reload_and_sighup_change_new_calls_only(self):
        server = self.start()
        self.login("1001", "secret1", "alice")
        join = self.caller_in_background(6000)
        server.wait_for("answered by alice")
        status = self.admin("status")
        self.assertEqual(status.returncode, 0, status.stdout + status.stderr)
        self.assertIn("ok: 1 call(s) active, 2 RTP port pair(s) in use; agents: alice busy", status.stdout)
        # The menu's 2 now means sales; a broken file first, which must change nothing: the
        # admin command says why, with the file and line.
        with open(server.config) as f:
            good = f.read()
        with open(server.config, "w") as f:
            f.write(good.replace("retries: 2,", "retries: many,"))
        refused = self.admin("reload")
        self.assertEqual(refused.returncode, 1, refused.stdout + refused.stderr)
        self.assertIn("error: reload refused (1 error(s)); the running configuration stays", refused.stdout)
        line = 1 + good[:good.index("retries: 2,")].count("\n")
        self.assertIn(f"{server.config}:{line}:", refused.stdout)
        server.wait_for("reload refused")
        with open(server.config, "w") as f:
            f.write(good.replace('options: {"1": sales, "2": billing}', 'options: {"1": billing, "2": sales}'))
        reloaded = self.admin("reload")
        self.assertEqual((reloaded.returncode, reloaded.stdout.strip()), (0, f"ok: reloaded {server.config}"))
        server.proc.send_signal(signal.SIGHUP)  # the same again, by signal
        server.wait_for("configuration reloaded", 10, count=2)
        self.assertEqual(server.text().count("configuration reloaded"), 2)
        join()  # the call in progress carried on to its normal end
        server.wait_for("ended (caller hung up)")
        self.assert_caller(500)  # presses 2 again: now sales, where nobody is logged in
        server.wait_for("ended (caller hung up)", 10, count=2)
        self.server_stopped()
        calls = rows(server.db, "SELECT queue, agent, outcome FROM interactions ORDER BY arrived_us")
        self.assertEqual([(c["queue"], c["agent"], c["outcome"]) for c in calls],
                         [("billing", "alice", "answered"), ("sales", "", "abandoned")])

    def test_calls_from_outside_the_carriers_networks_are_refused(self):
        server = self.start(sip_extra="  trunks:\n    carrier: {registrar: \"sip:127.0.0.1:9\", user: center, "
                                      "password: x, register: false, allow: [192.0.2.0/24]}")
        scenario = base.scenario_copy(self.workdir, "caller_callback.xml", [
            ('<recv response="200" rtd="true" rrs="true">', '<recv response="403" next="end">'),
            ('<ereg regexp="m=audio [0-9]+ RTP/AVP 8 101" search_in="body" check_it="true" assign_to="media" />', ''),
            ('<Reference variables="media" />', '<label id="end" />\n</scenario>\n<!--')])
        with open(scenario, "a") as f:
            f.write("-->\n")
        rc, errors = base.sipp(scenario, server.port, "-s", "+15550100", workdir=self.workdir)
        self.assertEqual(rc, 0, errors[-3000:] + server.text()[-2000:])
        server.wait_for("not a carrier's address")
        self.server_stopped()
        self.assertFalse(os.path.exists(server.db) and rows(server.db, "SELECT * FROM interactions"))

    def test_agent_pauses_the_recording_from_the_keypad(self):
        server = self.start()
        alice = self.login("1001", "secret1", "alice")
        join = self.caller_in_background(8000)
        server.wait_for("answered by alice")
        self.in_call(alice)
        alice.command("sndcode", "*8")
        server.wait_for("recording paused")
        time.sleep(2)  # not a wait for something: the length of the pause, measured below
        alice.command("sndcode", "*9")
        server.wait_for("recording resumed")
        join()
        server.wait_for("ended (caller hung up)")
        self.server_stopped()
        ended = self.events(server.db)[-2][3] if self.events(server.db)[-1][0] == "wrap-up-done" else self.events(server.db)[-1][3]
        [(start, end)] = ended["recording_pauses"]
        self.assertAlmostEqual((end - start) / 1000, 2.0, delta=0.6)
        self.assertEqual(ended["participants"], [{"role": "caller", "number": "+15551230000"},
                                                 {"role": "agent", "name": "alice"}])
        with wave.open(ended["recording"]) as w:
            rate = w.getframerate()
            frames = w.readframes(w.getnframes())
        caller = audioop.tomono(frames, 2, 1, 0)
        # Silence while paused (well inside the gap), speech around it.
        inside = caller[(start + 300) * rate // 1000 * 2:(end - 300) * rate // 1000 * 2]
        self.assertEqual(audioop.max(inside, 2), 0)
        self.assertGreater(audioop.rms(caller[(end + 200) * rate // 1000 * 2:(end + 1200) * rate // 1000 * 2], 2), 100)

    def test_agent_adds_an_outside_party_for_a_three_way_call(self):
        # Each party speaks its own tone: the caller 650 Hz, the agent 1250 Hz, the outside
        # party (the carrier's side, carried by the test) 2050 Hz.
        outside = heard.RtpPeer("outside")
        self.peers.append(outside)
        outside.play(heard.tone(2050, 1.0), loop=True)
        server, carrier = self.start_with_carrier(media=outside)
        alice = self.login("1001", "secret1", "alice", hear=True, audio=tone_wav(self.workdir, 1250))
        caller, join = self.customer()
        caller.play(heard.tone(650, 1.0), loop=True)
        server.wait_for("answered by alice")
        answered = time.monotonic()
        self.hears(lambda: heard.tone_seconds(caller.heard(since=answered), 1250) >= 0.5, "the caller hears the agent")
        alice.command("sndcode", "*45559876543#")  # a national number: +1 555 987 6543
        server.wait_for("three-way call with +15559876543")
        joined = time.monotonic()
        # Each party hears the other two (a two-party bridge left in place, or a party left out
        # of the mix, fails one of these).
        self.hears(lambda: min(heard.tone_seconds(caller.heard(since=joined), 1250),
                               heard.tone_seconds(caller.heard(since=joined), 2050)) >= 1.0,
                   "the caller hears the agent and the outside party")
        self.hears(lambda: min(heard.tone_seconds(outside.heard(), 650),
                               heard.tone_seconds(outside.heard(), 1250)) >= 1.0,
                   "the outside party hears the caller and the agent")
        self.hears(lambda: min(heard.tone_seconds(alice.heard(), 650), heard.tone_seconds(alice.heard(), 2050)) >= 1.0,
                   "the agent hears the caller and the outside party")
        # Nobody hears themselves (a mix that echoed would pass the checks above).
        self.assertLess(heard.tone_seconds(caller.heard(), 650), 0.3, "the caller hears its own voice")
        self.assertLess(heard.tone_seconds(outside.heard(), 2050), 0.3, "the outside party hears its own voice")
        self.assertLess(heard.tone_seconds(alice.heard(), 1250), 0.3, "the agent hears its own voice")
        alice.command("hangup")
        server.wait_for("ended (agent hung up)")
        join()
        _, carrier_errors = carrier.communicate(timeout=30)
        self.assertEqual(carrier.returncode, 0, carrier_errors.decode(errors="replace")[-2000:])
        self.server_stopped()
        conference = [e for e in self.events(server.db) if e[0] == "transferred"]
        self.assertEqual(conference[0][3]["kind"], "conference")
        self.assertEqual(conference[0][3]["number"], "+15559876543")
        self.assertIn("at stop: 0 call(s) active, 0 RTP port pair(s) in use", self.stopped_log)

    def long_agent_wav(self, seconds=40):
        """The phones' default WAV (440 / 660 Hz by turns) made SECONDS long, for calls that last
        longer than its 10 s."""
        with wave.open(os.path.join(base.BARESIP_PEER, "agent1001", "prompt_8k.wav")) as w:
            pcm = w.readframes(w.getnframes())
        return heard.write_wav(os.path.join(self.workdir, "agent_long.wav"),
                               (pcm * (seconds // 10 + 1))[:seconds * 8000 * 2])

    def admin(self, command):
        """`switchboard admin --config <the server's> COMMAND`, from the server's directory."""
        return subprocess.run([base.SWITCHBOARD, "admin", "--config", self.server.config, command], cwd=self.workdir,
                              capture_output=True, text=True, timeout=20)

    def start_with_carrier(self, scenario="carrier_uas.xml", media=None, **options):
        """The server with a trunk to a SIPp carrier (started, answering one call); MEDIA: see
        carrier()."""
        port = base.free_port()
        server = self.start(sip_extra=carrier_trunk(port), **options)
        return server, self.carrier(port, scenario, media)

    def carrier(self, port, scenario="carrier_uas.xml", media=None):
        """SIPp as the carrier behind the trunk: answers one call with PCMA, waits for our BYE.
        MEDIA (a heard_audio.RtpPeer): the far end's audio is carried by the test there (its port
        in the SDP answer) instead of going to SIPp, which sends none."""
        path = os.path.join(SIPP_DIR, scenario)
        if media is not None:
            with open(path) as f:
                text = f.read()
            assert "m=audio [media_port]" in text, scenario
            path = os.path.join(self.workdir, "carrier_" + scenario)
            with open(path, "w") as f:
                f.write(text.replace("m=audio [media_port]", f"m=audio {media.port}"))
            media.learn_remote_from_trace(os.path.join(self.workdir, "carrier.log"))
        return subprocess.Popen(["sipp", "-sf", path, "-i", "127.0.0.1",
                                 "-p", str(port), "-m", "1", "-nostdin", "-timeout", "90s", "-timeout_error",
                                 "-mp", str(base.free_port() & ~1), "-trace_msg",
                                 "-message_file", os.path.join(self.workdir, "carrier.log")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.workdir)

    def transfer_with_replaces(self, phone, user):
        """The phone's REFER on the caller's line (line 1), Refer-To USER with Replaces naming its
        consultation (RFC 5589 §7). baresip 1.0 has no attended-transfer command, so the test
        builds the Replaces from the consultation's Call-ID and tags as the server logs them."""
        found = re.findall(r"consultation dialog Call-ID (\S+) \(our tag (\S+), phone's tag (\S+)\)", self.server.text())
        self.assertTrue(found, self.server.text()[-3000:])
        callid, ours, phones = found[-1]
        phone.command("line", "1")
        phone.command("transfer", f"<sip:{user}@127.0.0.1:{self.server.port}?Replaces={callid}%3Bto-tag%3D{ours}"
                                  f"%3Bfrom-tag%3D{phones}>")

    def server_stopped(self):
        rc = self.server.stop()
        self.assertEqual(rc, 0, self.server.text()[-3000:])
        log = self.server.text()
        self.assertNotIn("spilled", log)
        self.assertNotIn("illegal move", log)  # call/call_state.h refused a call's state change
        self.server = None
        self.stopped_log = log


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--switchboard", default=base.SWITCHBOARD)
    args, rest = parser.parse_known_args()
    base.SWITCHBOARD = os.path.abspath(args.switchboard)
    PROMPTS = os.path.join(os.path.dirname(base.SWITCHBOARD), "prompts")
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
