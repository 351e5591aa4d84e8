#!/usr/bin/env python3
"""The call center end to end: `switchboard serve` with an IVR, queues and agents, SIPp as the
customer (audio and RFC 4733 digits from pcaps) and baresip as the agents' phones (registered
with digest auth, logging in with a feature code, auto-answering). Loopback only: every Via,
Contact and SDP address is 127.0.0.1.

What a test checks is what an operator would look at: the interaction rows and events in the
SQLite store, the recording's two channels, the server's log. Run one test:
call_center_integration.py --switchboard build/switchboard CallCenter.test_name
"""
import argparse
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
import warnings
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sip_integration as base  # noqa: E402  (free ports, SIPp runner, pcap decoding)

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
    announce_every: 30s
    recording: {{mode: all}}
  sales:
    skills: {{sales: 1}}
    wrap_up: 1s
agents:
  - {{name: alice, skills: {{billing: 3}}}}
  - {{name: bob, skills: {{billing: 2}}}}
  - {{name: sam, skills: {{sales: 3}}}}
prompts: {{dir: {prompts}, languages: [en]}}
inbound:
  - {{did: "+15550100", flow: main}}
ivr:
  main:
    start: menu
    nodes:
      menu: {{type: menu, prompts: [main-menu], timeout: 6s, retries: 2,
              options: {{"1": sales, "2": billing}}, on_failure: billing}}
      sales: {{type: queue, queue: sales}}
      billing: {{type: queue, queue: billing, data: {{reason: billing}}}}
store: {{path: {workdir}/data/switchboard.db, voicemail_dir: {workdir}/data/voicemail}}
media:
  address: 127.0.0.1
  rtp_port_min: {rtp_min}
  rtp_port_max: {rtp_max}
  recordings_dir: {workdir}/data/recordings
sip:
  listen:
    - {{transport: udp, address: 127.0.0.1, port: {port}}}
  realm: cc.test
  digest_algorithms: [MD5]
  accounts:
    - {{user: "1001", password: secret1}}
    - {{user: "1002", password: secret2}}
"""


class CallCenterServer(base.Server):
    """`switchboard serve` on a whole config of its own (not the SIP-only one of base.Server)."""

    def __init__(self, workdir, **options):
        self.workdir = workdir
        self.port = base.free_port()
        rtp = base.free_port() & ~1
        values = dict(ring_timeout="10s", max_wait="5m", overflow="hangup")
        values.update(options)
        self.config = os.path.join(workdir, "switchboard.yaml")
        with open(self.config, "w") as f:
            f.write(CONFIG.format(port=self.port, rtp_min=rtp, rtp_max=rtp + 199, workdir=workdir,
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

    def wait_for(self, text, seconds=15):
        deadline = time.monotonic() + seconds
        while text not in self.text():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"'{text}' not in the log after {seconds} s:\n" + self.text()[-4000:])
            time.sleep(0.05)


class Phone:
    """A baresip agent phone: registers USER with digest auth, auto-answers, speaks a 10 s WAV."""

    def __init__(self, workdir, server, user, password, seconds=60, commands=()):
        self.dir = os.path.join(workdir, "phone" + user)
        env = dict(os.environ, USER_ID=user, PASS=password, REG_PORT=str(server.port),
                   SIP_PORT=str(base.free_port()), CTRL_PORT=str(base.free_port(socket.SOCK_STREAM)))
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

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.out.close()


def rows(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        con.row_factory = sqlite3.Row
        return [dict(r) for r in con.execute(sql, args)]
    finally:
        con.close()


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

    def tearDown(self):
        for p in self.phones:
            p.stop()
        if self.server:
            rc = self.server.stop()
            self.assertEqual(rc, 0, "serve did not stop cleanly:\n" + self.server.text()[-3000:])
        if os.environ.get("SB_KEEP") is None:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self, **options):
        self.server = CallCenterServer(self.workdir, **options)
        return self.server

    def login(self, user, password, agent):
        """A phone that registers and logs `agent` in with *1<agent>; waits until it is available."""
        phone = Phone(self.workdir, self.server, user, password,
                      commands=[f"/dial sip:*1{agent}@127.0.0.1:{self.server.port}"])
        self.phones.append(phone)
        self.server.wait_for(f"registered sip:{user}@127.0.0.1")
        self.server.wait_for(f"agent {agent}: available")
        return phone

    def caller(self, talk_ms, *extra, timeout=60):
        rc, errors = base.sipp(os.path.join(SIPP_DIR, "caller_menu.xml"), self.server.port, "-s", "+15550100",
                               "-d", str(talk_ms), "-mp", str(base.free_port() & ~1), *extra,
                               workdir=self.workdir, timeout=timeout)
        return rc, errors

    def test_caller_presses_2_and_talks_to_the_billing_agent(self):
        server = self.start()
        self.login("1001", "secret1", "alice")
        rc, errors = self.caller(6000)
        self.assertEqual(rc, 0, errors[-3000:] + "\n--- serve ---\n" + server.text()[-4000:])
        server.wait_for("agent alice: available", 10)  # after the 2 s wrap-up
        server.wait_for("ended (caller hung up)")
        time.sleep(2.5)  # wrap-up done
        self.server_stopped()
        [row] = rows(server.db, "SELECT * FROM interactions")
        self.assertEqual(row["queue"], "billing")
        self.assertEqual(row["agent"], "alice")
        self.assertEqual(row["outcome"], "answered")
        self.assertEqual(row["caller"], "+15551230000")
        self.assertEqual(row["did"], "+15550100")
        self.assertLess(row["wait_ms"], 3000)      # queued at the digit, answered by auto-answer
        self.assertGreater(row["talk_ms"], 6000)   # SIPp talks 7 s of speech + the -d pause
        self.assertLess(row["talk_ms"], 15000)
        self.assertIsNotNone(row["wrap_up_done_us"])
        kinds = [r["kind"] for r in rows(server.db, "SELECT kind FROM interaction_events ORDER BY seq")]
        self.assertEqual(kinds, ["arrived", "ivr-exit", "queued", "offered", "answered", "ended", "wrap-up-done"])
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

    def server_stopped(self):
        rc = self.server.stop()
        self.assertEqual(rc, 0, self.server.text()[-3000:])
        log = self.server.text()
        self.assertNotIn("spilled", log)
        self.server = None
        self.stopped_log = log


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--switchboard", default=base.SWITCHBOARD)
    args, rest = parser.parse_known_args()
    base.SWITCHBOARD = os.path.abspath(args.switchboard)
    PROMPTS = os.path.join(os.path.dirname(base.SWITCHBOARD), "prompts")
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
