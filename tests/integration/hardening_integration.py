#!/usr/bin/env python3
"""Hardening end to end: what black-box runs found, each with the test that keeps it fixed.
Agents whose phone cannot ring are never available; phones' bindings and agents' logins
survive a kill -9; CRM lookups over https check the certificate; the router's self-check runs in `serve`; idle admin clients and running out of
descriptors leave SIP, media and the admin socket working. Reuses the call-center harness (call_center_integration.py). Run one test:
hardening_integration.py --switchboard build/switchboard Hardening.test_name
"""
import argparse
import http.server
import os
import re
import resource
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import call_center_integration as cc  # noqa: E402
import sip_integration as base  # noqa: E402

# The call-center config with a reason for phone-less agents, room for routing options of the
# test's own, and a TCP listener next to the UDP one.
cc.CONFIG = (cc.CONFIG
             .replace("  reason_codes: [break, lunch]\n", "  reason_codes: [break, lunch, no-phone]\n{routing_extra}")
             .replace("    - {{transport: udp, address: 127.0.0.1, port: {port}}}\n",
                      "    - {{transport: udp, address: 127.0.0.1, port: {port}}}\n"
                      "    - {{transport: tcp, address: 127.0.0.1, port: {port}}}\n")
             .replace('url: "http://127.0.0.1:{crm_port}/', 'url: "{crm_scheme}://{crm_host}:{crm_port}/'))

NOT_READY_WITHOUT_PHONE = "  without_phone: {state: not-ready, reason: no-phone}\n"


def cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def options_over_udp(port):
    """An OPTIONS over UDP; True when it is answered 200 within 3 s."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        s.settimeout(3)
        me = s.getsockname()[1]
        s.sendto((f"OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{me};rport;branch=z9hG4bK{time.time_ns()}\r\n"
                  f"From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:sb@127.0.0.1>\r\nCall-ID: {time.time_ns()}\r\n"
                  "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode(), ("127.0.0.1", port))
        try:
            return s.recv(65536).startswith(b"SIP/2.0 200 ")
        except socket.timeout:
            return False


class Hardening(cc.CallCenter):
    def start(self, **options):
        options.setdefault("routing_extra", "")
        options.setdefault("crm_scheme", "http")
        options.setdefault("crm_host", "127.0.0.1")
        return super().start(**options)

    def https_crm(self, name):
        """A CRM on https://localhost with a certificate of its own for NAME (made here with
        openssl); returns (port, certificate path, paths asked). Stopped at cleanup."""
        cert, key = os.path.join(self.workdir, name + ".pem"), os.path.join(self.workdir, name + ".key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}", "-days", "2",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        seen = []
        crm = http.server.HTTPServer(("127.0.0.1", 0), cc.gold_customer_crm(seen))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        crm.socket = context.wrap_socket(crm.socket, server_side=True)
        threading.Thread(target=crm.serve_forever, daemon=True).start()
        self.addCleanup(crm.server_close)
        self.addCleanup(crm.shutdown)
        return crm.server_address[1], cert, seen

    def crm_call(self):
        """A caller on the CRM line; returns its ivr-exit event's data once the store has it."""
        rc, errors = base.sipp(os.path.join(cc.SIPP_DIR, "caller_menu.xml"), self.server.port, "-s", "+15550102",
                               "-d", "500", "-mp", str(base.free_port() & ~1), workdir=self.workdir, timeout=60)
        self.assertEqual(rc, 0, errors[-3000:] + self.server.text()[-3000:])
        self.wait_for_event("ivr-exit")
        return [e for e in self.events(self.server.db) if e[0] == "ivr-exit"][0][3]

    def wait_for_count(self, text, count, seconds=15):
        """Polls the log until TEXT appears COUNT times."""
        deadline = time.monotonic() + seconds
        while self.server.text().count(text) < count:
            if time.monotonic() > deadline or self.server.proc.poll() is not None:
                self.fail(f"{text!r} not {count} times in the log after {seconds} s:\n" + self.server.text()[-4000:])
            time.sleep(0.05)

    def wait_for_event(self, kind, seconds=10):
        """Polls the store (written behind, in batches) until an event of KIND is there; returns
        every event kind so far."""
        deadline = time.monotonic() + seconds
        while True:
            kinds = [e[0] for e in self.events(self.server.db)]
            if kind in kinds:
                return kinds
            if time.monotonic() > deadline:
                self.fail(f"no {kind} event after {seconds} s: {kinds}")
            time.sleep(0.1)

    def phone_without_registration(self, user, password, agent):
        """A phone that never registers (regint=0) and logs AGENT in with *1<agent>."""
        os.environ["REGINT"] = "0"
        try:
            phone = cc.Phone(self.workdir, self.server, user, password,
                             commands=[f"/dial sip:*1{agent}@127.0.0.1:{self.server.port}"])
        finally:
            del os.environ["REGINT"]
        self.phones.append(phone)
        return phone

    def test_an_agent_whose_phone_unregisters_is_not_ready_until_it_registers_again(self):
        server = self.start(routing_extra=NOT_READY_WITHOUT_PHONE)
        alice = self.login("1001", "secret1", "alice")
        alice.stop()  # baresip unregisters as it quits
        server.wait_for("removed sip:1001@127.0.0.1")
        server.wait_for("agent alice: not-ready (no-phone)")
        # A caller now waits in billing and gives up: nobody was offered the call.
        self.assert_caller(1500)
        kinds = self.wait_for_event("ended")
        self.assertIn("abandoned", kinds)
        self.assertNotIn("offered", kinds)
        # The phone registers again (no new login): alice is available once more.
        self.phones.append(cc.Phone(self.workdir, server, "1001", "secret1"))
        server.wait_for("agent alice: the phone can ring again")
        self.wait_for_count("agent alice: available", 2)

    def test_a_login_from_a_phone_that_never_registered_is_not_ready(self):
        server = self.start(routing_extra=NOT_READY_WITHOUT_PHONE)
        self.phone_without_registration("1002", "secret2", "bob")
        server.wait_for("agent bob: not ready until the phone can ring: logged in from a phone that is not registered")
        server.wait_for("agent bob: not-ready (no-phone)")
        self.assertNotIn("agent bob: available", server.text())
        self.assert_caller(1500)
        self.assertNotIn("offered", self.wait_for_event("ended"))

    def test_with_logged_out_as_the_policy_a_phone_less_login_is_refused(self):
        server = self.start(routing_extra="  without_phone: {state: logged-out}\n")
        phone = self.phone_without_registration("1002", "secret2", "bob")
        server.wait_for("phone sip:1002@127.0.0.1 (1002): login bob")
        deadline = time.monotonic() + 10
        while "480 Phone Not Registered" not in phone.text() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn("480 Phone Not Registered", phone.text())
        self.assertNotIn("agent bob:", server.text())

    def test_crm_lookups_over_https_check_the_certificate(self):
        port, cert, seen = self.https_crm("localhost")
        # Trusted (the test's certificate is the CA OpenSSL reads): the gold customer's route.
        os.environ["SSL_CERT_FILE"] = cert
        try:
            self.start(crm_port=port, crm_scheme="https", crm_host="localhost")
        finally:
            del os.environ["SSL_CERT_FILE"]
        exit_data = self.crm_call()
        self.assertEqual((exit_data["queue"], exit_data["priority"]), ("billing", 5))
        self.assertEqual(exit_data["data"], {"tier": "gold", "customer": "Ada Lovelace"})
        self.assertEqual(seen, ["/customers/+15551230000"])
        self.server_stopped()
        # Not trusted (the system's CAs only): the handshake fails and the flow falls back,
        # without a request reaching the CRM.
        shutil.rmtree(os.path.join(self.workdir, "data"))
        self.start(crm_port=port, crm_scheme="https", crm_host="localhost")
        exit_data = self.crm_call()
        self.assertEqual((exit_data["queue"], exit_data["data"]), ("sales", {"tier": "none"}))
        self.assertEqual(len(seen), 1)
        self.assertIn("call lookup https://localhost:%d/customers/+15551230000: failed" % port, self.server.text())

    def kill9_and_restart(self):
        """SIGKILL the server, then start it again on the same config, port and store; waits
        until it is ready. The old log is kept beside the new one."""
        server = self.server
        server.proc.kill()
        server.proc.wait()
        server.log.close()
        os.rename(server.log_path, server.log_path + ".before-kill")
        server.log = open(server.log_path, "w")
        server.proc = subprocess.Popen([base.SWITCHBOARD, "serve", "--config", server.config, "--log-level", "debug"],
                                       stdout=server.log, stderr=subprocess.STDOUT, start_new_session=True,
                                       cwd=self.workdir)
        server.wait_for("serve: ready")

    def runtime_state(self, prefix):
        """Keys of the store's runtime_state table under PREFIX."""
        try:
            return [r["key"] for r in cc.rows(self.server.db, "SELECT key FROM runtime_state WHERE key LIKE ?",
                                                 prefix + "%")]
        except Exception:  # the table is made at start-up; a read racing a write may fail once
            return []

    def test_phones_and_agents_survive_a_kill_9(self):
        server = self.start()
        self.login("1001", "secret1", "alice")
        bob = self.login("1002", "secret2", "bob")
        bob.command("dial", f"sip:*31@127.0.0.1:{server.port}")  # not ready: break
        server.wait_for("agent bob: not-ready (break)")
        deadline = time.monotonic() + 10
        while len(self.runtime_state("agent/")) < 2 or len(self.runtime_state("binding/")) < 2:
            self.assertLess(time.monotonic(), deadline, "the logins and bindings were not written")
            time.sleep(0.05)
        self.kill9_and_restart()
        server.wait_for("serve: restored 2 phone binding(s) and 2 agent login(s)")
        server.wait_for("agent alice: login restored on sip:1001@127.0.0.1 (ready)")
        server.wait_for("agent bob: login restored on sip:1002@127.0.0.1 (not ready, break)")
        # No phone re-registered and nobody logged in again: the first caller reaches alice.
        self.assertNotIn("registered sip:100", server.text())
        self.assert_caller(3000)
        server.wait_for("answered by alice")
        self.server_stopped()
        self.assertRegex(self.stopped_log, r"agents: .*bob not-ready")
        self.assertRegex(self.stopped_log, r"agents: .*alice (available|wrap-up)")

    def test_a_registration_with_bytes_that_are_not_utf8_is_kept_and_harms_nothing(self):
        server = self.start(sip_extra="  require_auth: false\n")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.settimeout(5)
            me = s.getsockname()[1]
            s.sendto((f"REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{me};rport;branch=z9hG4bKutf\r\n"
                      "From: <sip:1001@127.0.0.1>;tag=1\r\nTo: <sip:1001@127.0.0.1>\r\nCall-ID: utf8\r\n"
                      f"CSeq: 1 REGISTER\r\nContact: <sip:1001@127.0.0.1:{me}>\r\nExpires: 600\r\n").encode()
                     + b"User-Agent: phone \xff\xfe\xc3\r\nContent-Length: 0\r\n\r\n", ("127.0.0.1", server.port))
            self.assertTrue(s.recv(65536).startswith(b"SIP/2.0 200 "))
        # Stored as it came; the server goes on serving.
        deadline = time.monotonic() + 10
        while "binding/sip:1001@127.0.0.1" not in self.runtime_state("binding/"):
            self.assertLess(time.monotonic(), deadline, "the binding was not written")
            time.sleep(0.05)
        self.assertTrue(options_over_udp(server.port))

    def test_a_call_whose_call_id_and_caller_are_not_utf8_is_logged_and_harms_nothing(self):
        # (A URI with such bytes gets 400; a Call-ID and a display name may carry them.)
        # Event data is JSON: bytes from the network that are not UTF-8 must be replaced, not
        # make the encoder throw on the control thread.
        server = self.start()
        sdp = b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(("127.0.0.1", 0))
            s.settimeout(5)
            me = s.getsockname()[1]
            s.sendto(b"INVITE sip:+15550100@127.0.0.1 SIP/2.0\r\n"
                     + f"Via: SIP/2.0/UDP 127.0.0.1:{me};rport;branch=z9hG4bKutf8call\r\n".encode()
                     + b"From: \"Caf\xe9\" <sip:+15551234@127.0.0.1>;tag=1\r\nTo: <sip:+15550100@127.0.0.1>\r\n"
                     + b"Call-ID: bad\xff\xc3call\r\nCSeq: 1 INVITE\r\n"
                     + f"Contact: <sip:caller@127.0.0.1:{me}>\r\nMax-Forwards: 70\r\n".encode()
                     + b"Content-Type: application/sdp\r\n"
                     + f"Content-Length: {len(sdp)}\r\n\r\n".encode() + sdp, ("127.0.0.1", server.port))
            answer = b""
            while not answer.startswith(b"SIP/2.0 200 "):
                answer = s.recv(65536)
                self.assertFalse(re.match(rb"SIP/2.0 [3-6]", answer), answer)
        self.wait_for_event("arrived")
        self.assertTrue(options_over_udp(server.port))
        self.server_stopped()
        [arrived] = [e for e in self.events(server.db) if e[0] == "arrived"]
        self.assertEqual(arrived[3]["sip_call_id"], "bad\ufffd\ufffdcall")

    def test_serve_runs_the_routers_self_check_and_reports_it(self):
        self.start(routing_extra="  self_check_every: 200ms\n")
        self.login("1001", "secret1", "alice")
        deadline = time.monotonic() + 10
        while True:
            status = self.admin("status")
            self.assertEqual(status.returncode, 0, status.stdout + status.stderr)
            runs = int(status.stdout.split("router self-check: ")[1].split(" run(s)")[0])
            if runs >= 3 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertGreaterEqual(runs, 3, status.stdout)
        self.assertIn(" 0 violation(s); 0 illegal call move(s)", status.stdout)
        self.assertNotIn("router self-check:", self.server.text())  # only violations are logged

    def test_idle_admin_clients_are_capped_and_timed_out(self):
        server = self.start()
        socket_path = os.path.join(self.workdir, "data", "switchboard.sock")
        idle = []
        for _ in range(300):  # more than the ~240 that used to take every descriptor
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(socket_path)
            idle.append(s)
        self.addCleanup(lambda: [s.close() for s in idle])
        status = self.admin("status")
        self.assertEqual(status.returncode, 0, status.stdout + status.stderr)
        self.assertTrue(options_over_udp(server.port))
        self.assert_caller(1000)  # a call still gets its RTP ports, IVR and queue
        # Idle clients are closed by the server: each sees end of file within the timeout.
        for s in idle:
            s.settimeout(10)
            self.assertEqual(s.recv(16), b"")

    def test_out_of_descriptors_the_accept_loops_back_off_and_recover(self):
        server = self.start()
        limit = 160
        subprocess.run(["prlimit", f"--nofile={limit}:{limit}", "--pid", str(server.proc.pid)], check=True)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2048), max(hard, 2048)))
        conns = []
        self.addCleanup(lambda: [c.close() for c in conns])
        for _ in range(limit + 40):  # every descriptor the server has left, and more waiting
            conns.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        server.wait_for("accept on 127.0.0.1:%d failed" % server.port)
        # Out of descriptors the server waits instead of spinning: well under a core.
        before = cpu_seconds(server.proc.pid)
        time.sleep(2)
        self.assertLess(cpu_seconds(server.proc.pid) - before, 0.5, "serve spins while out of descriptors")
        self.assertTrue(options_over_udp(server.port), "UDP SIP stopped working")
        # Descriptors come back: the admin socket and TCP are served again.
        for c in conns:
            c.close()
        conns.clear()
        deadline = time.monotonic() + 10
        while True:
            status = self.admin("status")
            if status.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(status.returncode, 0, status.stdout + status.stderr)
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as t:
            t.sendall((f"OPTIONS sip:sb@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKtcp1\r\n"
                       "From: <sip:probe@127.0.0.1>;tag=1\r\nTo: <sip:sb@127.0.0.1>\r\nCall-ID: tcp-after\r\n"
                       "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode())
            self.assertTrue(t.recv(65536).startswith(b"SIP/2.0 200 "))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--switchboard", default=base.SWITCHBOARD)
    args, rest = parser.parse_known_args()
    base.SWITCHBOARD = os.path.abspath(args.switchboard)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
