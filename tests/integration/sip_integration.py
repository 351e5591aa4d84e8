#!/usr/bin/env python3
"""SIP integration tests: `switchboard serve` against real SIPp and baresip, on loopback only.

Each test starts its own server on free 127.0.0.1 ports with a config written for it, runs
the peer, and checks what the peer saw (SIPp's exit code and scenario checks, baresip's log)
and what the server logged. Every Via and Contact names 127.0.0.1, so nothing can leave the
machine. Run one test: sip_integration.py --switchboard build/switchboard TestName
"""
import argparse
import os
import struct
import wave
import warnings
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop  # deprecated in 3.11, still there; our CI runs 3.11

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SIPP_DIR = os.path.join(ROOT, "tests", "sipp")
BARESIP_PEER = os.path.join(ROOT, "tests", "integration", "baresip")
SWITCHBOARD = os.path.join(ROOT, "build", "switchboard")


def free_port(kind=socket.SOCK_DGRAM):
    """A port free for both UDP and TCP on 127.0.0.1."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t, \
                 socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
                t.bind(("127.0.0.1", port))
                u.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


class Server:
    """`switchboard serve` on its own config, or with `test_answer` the test peer
    (`switchboard-test-peer`, tests/peer/: the same SIP stack and media engine answering with
    test sessions); the log is kept for assertions."""

    def __init__(self, workdir, sip_yaml, test_answer=False):
        self.workdir = workdir
        self.port = free_port()
        self.config = os.path.join(workdir, "switchboard.yaml")
        self.recordings = os.path.join(workdir, "recordings")
        rtp_base = free_port() & ~1
        with open(self.config, "w") as f:
            f.write("media:\n  address: 127.0.0.1\n"
                    f"  rtp_port_min: {rtp_base}\n  rtp_port_max: {rtp_base + 99}\n"
                    f"  recordings_dir: {self.recordings}\n")
            # `sip_yaml` may start with more listener items ("    - {...}") before its own keys.
            f.write("sip:\n"
                    f"  listen:\n    - {{transport: udp, address: 127.0.0.1, port: {self.port}}}\n"
                    f"    - {{transport: tcp, address: 127.0.0.1, port: {self.port}}}\n" + sip_yaml)
        self.log_path = os.path.join(workdir, "serve.log")
        if test_answer:
            peer = os.path.join(os.path.dirname(SWITCHBOARD), "switchboard-test-peer")
            argv = [peer, "--config", self.config, "--log-level", "debug"]
        else:
            argv = [SWITCHBOARD, "serve", "--config", self.config, "--log-level", "debug"]
        self.log = open(self.log_path, "w")
        # In its own directory: the store (data/switchboard.db, with the bindings and logins that
        # survive a restart) and the admin socket are the test's own, never a neighbour's.
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                     cwd=workdir)
        deadline = time.monotonic() + 10
        while "serve: ready" not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("serve did not start:\n" + self.text())
            time.sleep(0.05)

    def text(self):
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def sipp(scenario, server_port, *extra, calls=1, transport="u1", timeout=30, workdir=None):
    """Runs a SIPp client scenario; returns (exit code, error log text)."""
    errors = os.path.join(workdir, f"sipp_errors_{time.monotonic_ns()}.log")
    argv = ["sipp", "-sf", scenario, f"127.0.0.1:{server_port}", "-i", "127.0.0.1",
            "-p", str(free_port()), "-t", transport, "-m", str(calls), "-nostdin",
            "-timeout", f"{timeout}s", "-timeout_error", "-trace_err", "-error_file", errors,
            "-max_recv_loops", "1000", *extra]
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=workdir,
                          timeout=timeout + 30)
    text = done.stderr.decode(errors="replace")
    if os.path.exists(errors):
        with open(errors) as f:
            text += f.read()
    return done.returncode, text


def pcap_alaw_audio(path):
    """The A-law RTP payloads of a pcap (Ethernet, IPv4, UDP) decoded to 8 kHz 16-bit PCM."""
    with open(path, "rb") as f:
        data = f.read()
    pcm, offset = b"", 24
    while offset + 16 <= len(data):
        length = struct.unpack("<I", data[offset + 8:offset + 12])[0]
        frame = data[offset + 16:offset + 16 + length]
        offset += 16 + length
        ip = frame[14:]
        rtp = ip[(ip[0] & 15) * 4 + 8:]
        if len(rtp) > 12 and rtp[1] & 0x7F == 8:
            pcm += audioop.alaw2lin(rtp[12:], 2)
    return pcm


def scenario_copy(workdir, name, replacements):
    """A copy of tests/sipp/NAME with text replaced, for variants (loss, wrong password)."""
    with open(os.path.join(SIPP_DIR, name)) as f:
        text = f.read()
    for old, new in replacements:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    path = os.path.join(workdir, "variant_" + name)
    with open(path, "w") as f:
        f.write(text)
    return path


class RawUdp:
    """A bare UDP client on loopback for requests no SIP tool would send; every Via carries
    rport, so answers come back to this socket whatever host the Via names."""

    def __init__(self, server_port, family=socket.AF_INET, host="127.0.0.1"):
        self.sock = socket.socket(family, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(5)
        self.port = self.sock.getsockname()[1]
        self.server = (host, server_port)

    def ask(self, text):
        """Sends TEXT (\\n line ends become CRLF, Content-Length is filled in); returns the first
        final response's text (1xx are skipped)."""
        head, _, body = text.replace("\r\n", "\n").partition("\n\n")
        head = head.replace("\n", "\r\n") + f"\r\nContent-Length: {len(body.encode())}\r\n\r\n"
        self.sock.sendto((head + body).encode(), self.server)
        while True:
            answer = self.sock.recv(65536).decode(errors="replace")
            if not re.match(r"SIP/2.0 1\d\d ", answer):
                return answer

    def close(self):
        self.sock.close()


def header(message, name):
    """The first value of header NAME in a SIP message's text, or None."""
    m = re.search(rf"^{re.escape(name)}:[ \t]*(.*?)\r$", message, re.M | re.I)
    return m.group(1) if m else None


def in_own_network_namespace():
    """True when this process runs in a network namespace that has nothing but loopback."""
    return [name for _, name in socket.if_nameindex()] == ["lo"]


ACCOUNT_1001 = ("  realm: cc.test\n"
                "  accounts: [{user: \"1001\", password: secret}]\n")


class SipIntegration(unittest.TestCase):
    def setUp(self):
        self.workdir = tempfile.mkdtemp(prefix="sb-sipit-")
        self.server = None

    def tearDown(self):
        if self.server:
            rc = self.server.stop()
            self.assertEqual(rc, 0, "serve did not stop cleanly:\n" + self.server.text()[-2000:])
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self, sip_yaml=ACCOUNT_1001, test_answer=False):
        self.server = Server(self.workdir, sip_yaml, test_answer)
        return self.server

    def assert_sipp(self, scenario, *extra, **kw):
        rc, errors = sipp(scenario, self.server.port, *extra, workdir=self.workdir, **kw)
        self.assertEqual(rc, 0, f"SIPp {os.path.basename(scenario)} failed (rc {rc}):\n{errors[-3000:]}\n"
                                f"--- serve log ---\n{self.server.text()[-3000:]}")

    def test_options_over_udp_and_tcp(self):
        self.start()
        self.assert_sipp(os.path.join(SIPP_DIR, "options.xml"), calls=20)
        self.assert_sipp(os.path.join(SIPP_DIR, "options.xml"), calls=20, transport="t1")

    def test_options_and_register_over_ipv6(self):
        v6_port = free_port()
        # An IPv6 listener next to the IPv4 ones. Registration without auth here: SIPp 3.6
        # computes the digest over "sip:::1:port" (brackets dropped), which no registrar accepts.
        self.server = Server(self.workdir, f"    - {{transport: udp, address: \"::1\", port: {v6_port}}}\n"
                             "  require_auth: false\n")
        for scenario in ("options.xml", "register_noauth.xml"):
            argv = ["sipp", "-sf", os.path.join(SIPP_DIR, scenario), f"[::1]:{v6_port}", "-i", "::1",
                    "-p", str(free_port()), "-m", "2", "-nostdin", "-timeout", "20s", "-timeout_error"]
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.workdir, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace")[-2000:] + self.server.text()[-2000:])
        self.assertIn("registered sip:u1@[::1] from [::1]:", self.server.text())

    def test_register_with_digest_auth(self):
        # SIPp answers the first challenge only and knows MD5 only: offer MD5 first.
        self.start(ACCOUNT_1001 + "  digest_algorithms: [MD5, SHA-256]\n")
        self.assert_sipp(os.path.join(SIPP_DIR, "register_digest.xml"), "-s", "1001", calls=3)
        self.assertIn("registered sip:1001@127.0.0.1 from 127.0.0.1:", self.server.text())

    def test_wrong_password_is_refused_then_the_source_is_blocked(self):
        self.start(ACCOUNT_1001 + "  digest_algorithms: [MD5]\n"
                   "  protection: {auth_failures: 3, auth_block: 1m}\n")
        wrong = scenario_copy(self.workdir, "register_digest.xml", [
            ("password=secret", "password=guess"),
            ('<recv response="200">', '<recv response="401" auth="true">'),
            ('check_it="true"', 'check_it="false"')])
        self.assert_sipp(wrong, "-s", "1001", calls=3)
        log = self.server.text()
        self.assertEqual(log.count("authentication failed"), 3, log)
        self.assertIn("blocking 127.0.0.1 (3 failed authentications)", log)
        # Blocked now: even a correct REGISTER gets no answer at all.
        rc, _ = sipp(scenario_copy(self.workdir, "register_digest.xml", []), self.server.port, "-s", "1001",
                     workdir=self.workdir, timeout=3)
        self.assertNotEqual(rc, 0)
        self.assertNotIn("registered sip:1001", self.server.text())

    def test_invite_dialog_with_switchboard_as_uas(self):
        self.start(test_answer=True)
        self.assert_sipp(os.path.join(SIPP_DIR, "invite_answer.xml"), calls=10)
        self.assert_sipp(os.path.join(SIPP_DIR, "invite_answer.xml"), calls=5, transport="t1")

    def test_reinvite_info_update_and_old_cseq_inside_a_dialog(self):
        self.start(test_answer=True)
        self.assert_sipp(os.path.join(SIPP_DIR, "invite_in_dialog.xml"), calls=3)

    def test_reliable_early_media_prack_and_update_with_switchboard_as_uas(self):
        self.start(test_answer=True)
        self.assert_sipp(os.path.join(SIPP_DIR, "invite_prack_update.xml"), calls=5)
        self.assert_sipp(os.path.join(SIPP_DIR, "invite_prack_update.xml"), calls=3, transport="t1")

    def test_retransmissions_absorbed_when_sipp_drops_packets(self):
        self.start(test_answer=True)
        lossy = scenario_copy(self.workdir, "invite_answer.xml", [('lost="0"', 'lost="25"')])
        # 25 % of every INVITE, 200, ACK, BYE and BYE response is dropped by SIPp on receipt or
        # before sending; only retransmissions on both sides bring all 20 calls through.
        self.assert_sipp(lossy, "-l", "5", calls=20, timeout=120)

    def test_cancel_before_answer_gets_487(self):
        self.start(test_answer=True)
        self.assert_sipp(os.path.join(SIPP_DIR, "invite_cancel.xml"), calls=5)

    def test_bye_for_an_unknown_dialog_gets_481(self):
        self.start(test_answer=True)
        self.assert_sipp(os.path.join(SIPP_DIR, "bye_unknown_dialog.xml"), calls=5)

    def test_invite_to_an_unknown_number_gets_404(self):
        # No inbound route for sip:ring@ (and no "*" route): the call center answers 404.
        self.start()
        scenario = scenario_copy(self.workdir, "invite_cancel.xml", [
            ('<recv response="180" />', '<recv response="404" />\n  <send>\n    <![CDATA[\n'
             '      ACK sip:ring@[remote_ip]:[remote_port] SIP/2.0\n      [last_Via:]\n'
             '      From: <sip:caller@[local_ip]:[local_port]>;tag=[pid]C[call_number]\n'
             '      To: <sip:ring@[remote_ip]:[remote_port]>[peer_tag_param]\n      Call-ID: [call_id]\n'
             '      CSeq: 1 ACK\n      Max-Forwards: 70\n      Content-Length: 0\n    ]]>\n  </send>\n'
             '  <label id="end" />\n  <nop next="done" />\n')])
        # Cut the scenario after the 480 and its ACK.
        with open(scenario) as f:
            text = f.read()
        text = text[:text.index('  <nop next="done" />')] + "</scenario>\n"
        with open(scenario, "w") as f:
            f.write(text)
        self.assert_sipp(scenario, calls=3)

    def test_malformed_request_gets_400_naming_the_problem(self):
        self.start()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.settimeout(5)
            port = s.getsockname()[1]
            s.sendto((f"OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bKm\r\n"
                      "From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:sb@127.0.0.1>\r\nCall-ID: m1\r\n"
                      "CSeq: 1 OPTIONS\r\nContent-Length: 40000\r\n\r\n").encode(), ("127.0.0.1", self.server.port))
            answer = s.recv(65536).decode()
        self.assertTrue(answer.startswith("SIP/2.0 400 "), answer)
        self.assertIn("Content-Length", answer.split("\r\n")[0])
        self.assertIn("Call-ID: m1\r\n", answer)

    def test_bodies_we_cannot_read_get_415_and_an_accept_without_sdp_gets_406(self):
        self.start(test_answer=True)
        ua = RawUdp(self.server.port)
        self.addCleanup(ua.close)

        def invite(call_id, extra="", body=""):
            return ua.ask(f"INVITE sip:answer@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{ua.port};rport;"
                          f"branch=z9hG4bK{call_id}\nFrom: <sip:c@127.0.0.1>;tag=1\nTo: <sip:answer@127.0.0.1>\n"
                          f"Call-ID: {call_id}\nCSeq: 1 INVITE\nMax-Forwards: 70\nContact: <sip:c@127.0.0.1:{ua.port}>\n"
                          f"{extra}\n{body}")

        isup = invite("isup", "Content-Type: application/isup\n", "\x01\x00\x49")
        self.assertTrue(isup.startswith("SIP/2.0 415 "), isup)
        self.assertEqual(header(isup, "Accept"), "application/sdp")
        gzip = invite("gz", "Content-Type: application/sdp\nContent-Encoding: gzip\n", "xx")
        self.assertTrue(gzip.startswith("SIP/2.0 415 "), gzip)
        self.assertEqual(header(gzip, "Accept-Encoding"), "identity")
        html = invite("html", "Accept: text/html\n")
        self.assertTrue(html.startswith("SIP/2.0 406 "), html)
        info = ua.ask(f"INFO sip:answer@127.0.0.1 SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{ua.port};rport;branch=z9hG4bKi\n"
                      "From: <sip:c@127.0.0.1>;tag=1\nTo: <sip:answer@127.0.0.1>;tag=2\nCall-ID: info\n"
                      "CSeq: 1 INFO\nContent-Type: application/json\n\n{}")
        self.assertTrue(info.startswith("SIP/2.0 415 "), info)
        self.assertEqual(header(info, "Accept"), "application/dtmf-relay, application/dtmf")
        # The same INVITE with SDP and a fitting Accept is answered.
        sdp = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n"
        ok = invite("ok", "Accept: application/*\nContent-Type: application/sdp\n", sdp.replace("\n", "\r\n"))
        self.assertTrue(ok.startswith("SIP/2.0 200 "), ok)

    def test_a_request_whose_via_does_not_parse_gets_400_at_its_source(self):
        self.start()
        ua = RawUdp(self.server.port)
        self.addCleanup(ua.close)
        for method, via in (("OPTIONS", "SIP/2.0/UDP 127.0.0.1:99999;branch=z9hG4bKv1"),
                            ("INVITE", "SIP/2.0/UDP 2001:db8::9:1;branch=z9hG4bKv2"),  # RFC 5118 §4.2
                            ("REGISTER", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKv3;ttl=300")):
            answer = ua.ask(f"{method} sip:sb@127.0.0.1 SIP/2.0\nVia: {via}\nFrom: <sip:a@127.0.0.1>;tag=1\n"
                            f"To: <sip:sb@127.0.0.1>\nCall-ID: via-{method}\nCSeq: 1 {method}\n\n")
            self.assertTrue(answer.startswith("SIP/2.0 400 "), answer)
            self.assertIn("Via", answer.split("\r\n")[0])
            self.assertIn(f"Call-ID: via-{method}\r\n", answer)

    def test_our_contact_is_our_address_not_the_host_the_caller_dialled(self):
        # A wildcard listener, as a real deployment has: the run is in a namespace of its own
        # (ctest starts it under `unshare -n`), so 0.0.0.0 is loopback alone.
        self.assertTrue(in_own_network_namespace(), "run under unshare -n (see tests/CMakeLists.txt)")
        wild = free_port()
        self.server = Server(self.workdir, f"    - {{transport: udp, address: 0.0.0.0, port: {wild}}}\n",
                             test_answer=True)
        ua = RawUdp(wild)
        self.addCleanup(ua.close)
        sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
        via = f"SIP/2.0/UDP 127.0.0.1:{ua.port};rport;branch=z9hG4bKc1"
        ok = ua.ask(f"INVITE sip:answer@pbx.dialled.example.org SIP/2.0\nVia: {via}\n"
                    "From: <sip:c@127.0.0.1>;tag=1\nTo: <sip:answer@pbx.dialled.example.org>\nCall-ID: contact-1\n"
                    f"CSeq: 1 INVITE\nMax-Forwards: 70\nContact: <sip:c@127.0.0.1:{ua.port}>\n"
                    f"Content-Type: application/sdp\n\n{sdp}")
        self.assertTrue(ok.startswith("SIP/2.0 200 "), ok)
        self.assertEqual(header(ok, "Contact"), f"<sip:sb@127.0.0.1:{wild}>")
        to = header(ok, "To")
        ua.sock.sendto((f"ACK sip:sb@127.0.0.1:{wild} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{ua.port};rport;branch=z9hG4bKc2\r\n"
                        f"From: <sip:c@127.0.0.1>;tag=1\r\nTo: {to}\r\nCall-ID: contact-1\r\nCSeq: 1 ACK\r\n"
                        "Content-Length: 0\r\n\r\n").encode(), ua.server)
        bye = ua.ask(f"BYE sip:sb@127.0.0.1:{wild} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:{ua.port};rport;branch=z9hG4bKc3\n"
                     f"From: <sip:c@127.0.0.1>;tag=1\nTo: {to}\nCall-ID: contact-1\nCSeq: 2 BYE\n\n")
        self.assertTrue(bye.startswith("SIP/2.0 200 "), bye)

    def test_ipv6_references_are_taken_and_refused_as_rfc_5118_says(self):
        # The messages name documentation addresses (2001:db8::/32): run in a namespace of its own.
        self.assertTrue(in_own_network_namespace(), "run under unshare -n (see tests/CMakeLists.txt)")
        v6 = free_port()
        self.server = Server(self.workdir, f"    - {{transport: udp, address: \"::1\", port: {v6}}}\n"
                             "  require_auth: false\n")
        ua = RawUdp(v6, socket.AF_INET6, "::1")
        self.addCleanup(ua.close)
        cases = [  # (RFC 5118 section, Request-URI, To/From host, Contact, top Via sent-by and params, status)
            ("4.1 valid IPv6 reference", "sip:[2001:db8::10]", "[2001:db8::10]", "<sip:caller@[2001:db8::1]>", "[::1]", 200),
            ("4.2 no brackets in the Request-URI", "sip:2001:db8::10", "2001:db8::10", "<sip:caller@[2001:db8::1]>", "[::1]", 400),
            ("4.3 port-ambiguous (no port)", "sip:[2001:db8::10:5070]", "[2001:db8::10:5070]", "<sip:caller@[2001:db8::1]>", "[::1]", 200),
            ("4.4 port outside the brackets", "sip:[2001:db8::10]:5070", "[2001:db8::10]", "<sip:caller@[2001:db8::1]:5070>", "[::1]", 200),
            ("4.5 received with brackets", "sip:[2001:db8::10]", "[2001:db8::10]", "<sip:caller@[2001:db8::1]>",
             "[::1];received=[2001:db8::9:255]", 200),
            ("4.5 received without brackets", "sip:[2001:db8::10]", "[2001:db8::10]", "<sip:caller@[2001:db8::1]>",
             "[::1];received=2001:db8::9:255", 200),
            ("4.7 several addresses", "sip:[2001:db8::10]", "[2001:db8::10]",
             "<sip:caller@[2001:db8::1]>, <sip:caller@192.0.2.1>", "[::1]", 200),
            ("4.9 IPv4-mapped IPv6", "sip:[::ffff:192.0.2.10]", "[::ffff:192.0.2.10]", "<sip:caller@[::ffff:192.0.2.11]>", "[::1]", 200),
            ("4.10 dotted quad after ::", "sip:[2001:db8::192.0.2.1]", "[2001:db8::192.0.2.1]", "<sip:caller@[2001:db8::1]>", "[::1]", 200),
            ("4.10 three colons", "sip:[2001:db8:::192.0.2.1]", "[2001:db8:::192.0.2.1]", "<sip:caller@[2001:db8::1]>", "[::1]", 400),
            ("bare IPv6 sent-by in Via", "sip:[2001:db8::10]", "[2001:db8::10]", "<sip:caller@[2001:db8::1]>", "::1", 400),
            ("4.2 no brackets in the Contact", "sip:[2001:db8::10]", "[2001:db8::10]", "<sip:caller@2001:db8::1>", "[::1]", 400),
            ("4.2 no brackets in To and From", "sip:[2001:db8::10]", "2001:db8::10", "<sip:caller@[2001:db8::1]>", "[::1]", 400),
        ]
        for n, (name, uri, host, contact, via, status) in enumerate(cases):
            with self.subTest(name):
                answer = ua.ask(f"REGISTER {uri} SIP/2.0\nVia: SIP/2.0/UDP {via};rport;branch=z9hG4bK5118-{n}\n"
                                f"Max-Forwards: 70\nTo: <sip:user@{host}>\nFrom: <sip:user@{host}>;tag=81x2\n"
                                f"Call-ID: rfc5118-{n}\nCSeq: 1 REGISTER\nContact: {contact}\nExpires: 60\n\n")
                self.assertTrue(answer.startswith(f"SIP/2.0 {status} "), f"{name}: {answer}")

    def test_options_flood_is_throttled_and_logged(self):
        self.start(ACCOUNT_1001 + "  protection: {requests_per_second: 20, request_burst: 40}\n")
        answered = 0
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            for i in range(300):
                s.sendto((f"OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bKf{i}\r\n"
                          f"From: <sip:scan@127.0.0.1>;tag={i}\r\nTo: <sip:sb@127.0.0.1>\r\nCall-ID: f{i}\r\n"
                          "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(),
                         ("127.0.0.1", self.server.port))
            s.settimeout(1)
            try:
                while True:
                    s.recv(65536)
                    answered += 1
            except socket.timeout:
                pass
        # The burst of 40 plus what 20/s refills while the 300 go out, and nothing after the block.
        self.assertGreaterEqual(answered, 40)
        self.assertLess(answered, 60)
        self.assertIn("blocking 127.0.0.1 (flood", self.server.text())

    def test_a_carriers_network_is_never_throttled(self):
        # The same flood as above, from a network a trunk names: every request is answered.
        self.start(ACCOUNT_1001 + "  protection: {requests_per_second: 20, request_burst: 40}\n"
                   "  trunks:\n    carrier: {registrar: \"sip:127.0.0.1:9\", user: c, password: p, register: false,"
                   " allow: [127.0.0.0/8]}\n")
        answered = 0
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            s.settimeout(2)
            for i in range(300):
                s.sendto((f"OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{port};branch=z9hG4bKt{i}\r\n"
                          f"From: <sip:carrier@127.0.0.1>;tag={i}\r\nTo: <sip:sb@127.0.0.1>\r\nCall-ID: t{i}\r\n"
                          "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(),
                         ("127.0.0.1", self.server.port))
                s.recv(65536)  # one at a time, so the socket buffer never drops one
                answered += 1
        self.assertEqual(answered, 300)
        self.assertNotIn("blocking 127.0.0.1", self.server.text())

    def trunk_registrar(self, port, calls):
        errors = os.path.join(self.workdir, "trunk_errors.log")
        argv = ["sipp", "-sf", os.path.join(SIPP_DIR, "trunk_registrar.xml"), "-i", "127.0.0.1", "-p", str(port),
                "-m", str(calls), "-deadcall_wait", "0", "-nostdin", "-timeout", "20s", "-timeout_error",
                "-trace_err", "-error_file", errors]
        return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.workdir)

    def wait_for_log(self, text, seconds=10):
        deadline = time.monotonic() + seconds
        while text not in self.server.text():
            if time.monotonic() > deadline:
                self.fail(f"{text!r} not logged:\n{self.server.text()[-3000:]}")
            time.sleep(0.05)

    def test_trunk_registration_answers_the_carriers_digest_challenge(self):
        port = free_port()
        carrier = self.trunk_registrar(port, calls=2)  # the REGISTER, then the un-REGISTER
        time.sleep(0.3)
        self.start("  require_auth: false\n  trunks:\n"
                   f"    carrier: {{registrar: \"sip:127.0.0.1:{port}\", user: acme, password: trunkpw, expires: 10m}}\n")
        self.wait_for_log("trunk carrier: registered until")
        self.assertEqual(self.server.stop(), 0)
        self.assertIn("trunk carrier: unregistered", self.server.text())
        _, err = carrier.communicate(timeout=30)
        self.assertEqual(carrier.returncode, 0, err.decode(errors="replace")[-2000:])
        self.server = None

    def test_trunk_with_a_wrong_password_is_reported_failed(self):
        port = free_port()
        carrier = self.trunk_registrar(port, calls=1)
        time.sleep(0.3)
        self.start("  require_auth: false\n  trunks:\n"
                   f"    carrier: {{registrar: \"sip:127.0.0.1:{port}\", user: acme, password: wrong, expires: 10m}}\n")
        self.wait_for_log("trunk carrier: failed")
        self.assertNotIn("trunk carrier: registered", self.server.text())
        carrier.communicate(timeout=30)

    def test_sipp_plays_audio_and_digits_into_a_recorded_media_session(self):
        self.start(test_answer=True)
        self.assert_sipp(os.path.join(SIPP_DIR, "media_record.xml"), "-mp", str(free_port() & ~1),
                         timeout=40)
        call_ids = [f[:-len(".digits")] for f in os.listdir(self.server.recordings) if f.endswith(".digits")]
        self.assertEqual(len(call_ids), 1, os.listdir(self.server.recordings))
        base = os.path.join(self.server.recordings, call_ids[0])
        with open(base + ".digits") as f:
            self.assertEqual(f.read(), "1#4", self.server.text()[-3000:])
        # The recording is finalised on the writer thread shortly after the BYE.
        self.wait_for_log("media: recorded " + base + ".wav")
        with wave.open(base + ".wav") as w:
            self.assertEqual((w.getnchannels(), w.getframerate(), w.getsampwidth()), (2, 16000, 2))
            frames = w.readframes(w.getnframes())
        seconds = len(frames) / 4 / 16000
        self.assertGreater(seconds, 8.0)
        self.assertLess(seconds, 12.0)
        caller = audioop.ratecv(audioop.tomono(frames, 2, 1, 0), 2, 1, 16000, 8000, None)[0]
        agent = audioop.tomono(frames, 2, 0, 1)
        self.assertEqual(audioop.max(agent, 2), 0, "nobody spoke on the agent side")
        # The caller channel holds the pcap's speech: find one second of it in the recording.
        reference = pcap_alaw_audio("/usr/share/sip-tester/g711a.pcap")[8000:16000]
        offset, factor = audioop.findfit(caller, reference)
        aligned = caller[offset * 2:offset * 2 + len(reference)]
        correlation = factor * audioop.rms(reference, 2) / max(1, audioop.rms(aligned, 2))
        self.assertGreater(correlation, 0.9, f"offset {offset}, factor {factor}")
        self.assertAlmostEqual(factor, 1.0, delta=0.2)

    def test_baresip_registers_with_digest_auth(self):
        if not shutil.which("baresip"):
            self.fail("baresip not installed: run scripts/install-deps.sh")
        self.start(ACCOUNT_1001 + "  digest_algorithms: [MD5]\n")
        agent = os.path.join(self.workdir, "agent1001")
        env = dict(os.environ, REG_PORT=str(self.server.port), SIP_PORT=str(free_port()),
                   CTRL_PORT=str(free_port(socket.SOCK_STREAM)))
        out = subprocess.run(["sh", os.path.join(BARESIP_PEER, "run_agent.sh"), agent, "3"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30).stdout.decode(errors="replace")
        self.assertRegex(out, r"1001@127\.0\.0\.1: \{0/UDP/v4\} 200 OK \(\) \[1 binding\]", out)
        log = self.server.text()
        self.assertIn("registered sip:1001@127.0.0.1 from 127.0.0.1:", log)
        # baresip unregisters when it quits (-t 3): the binding is removed again.
        deadline = time.monotonic() + 5
        while "removed sip:1001@127.0.0.1" not in self.server.text() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertIn("removed sip:1001@127.0.0.1", self.server.text())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--switchboard", default=SWITCHBOARD)
    args, rest = parser.parse_known_args()
    SWITCHBOARD = os.path.abspath(args.switchboard)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
