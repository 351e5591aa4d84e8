"""What the people on a call hear, for the end-to-end tests: an RTP end point the test owns (the
caller's or a carrier's side of the media: it sends the audio the test gives it, RFC 4733 digits,
and keeps every packet it receives), the audio a baresip phone decoded (its sndfile dumps), and
the detectors that tell what is in that audio (a tone by Goertzel, a prompt by correlation).

Not here: SIP. The signalling stays with SIPp and baresip; this module only carries and judges
media, on 127.0.0.1. All PCM is mono 16-bit little-endian at 8 kHz unless a name says otherwise.
"""
import array
import base64
import glob
import json
import math
import os
import re
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time
import warnings
import wave

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import audioop

RATE = 8000
FRAME = 160  # samples in 20 ms, the packetisation every G.711 peer here uses
ALAW_SILENCE = audioop.lin2alaw(b"\0\0" * FRAME, 2)
EVENT_PT = 101  # telephone-event, as the SIPp scenarios offer it


# --- Signals -------------------------------------------------------------------------------------

def tone(freq, seconds, amplitude=8000, rate=RATE):
    """A steady sine: 16-bit PCM."""
    return array.array("h", (int(amplitude * math.sin(2 * math.pi * freq * i / rate))
                             for i in range(int(seconds * rate)))).tobytes()


def write_wav(path, pcm, rate=RATE):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return path


def read_wav(path, rate=RATE, limit=None):
    """A WAV file (its first LIMIT seconds) as mono 16-bit PCM at RATE, low-pass filtered before
    any downsampling (as the server's speexdsp resampler does), so a correlation with what was
    heard is not spoiled by aliasing."""
    with wave.open(path) as w:
        channels, width, source_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
        frames = w.getnframes() if limit is None else min(w.getnframes(), int(limit * source_rate))
        pcm = w.readframes(frames)
    if width != 2:
        pcm = audioop.lin2lin(pcm, width, 2)
    if channels == 2:
        pcm = audioop.tomono(pcm, 2, 0.5, 0.5)
    return resample(pcm, source_rate, rate)


def resample(pcm, source_rate, rate=RATE):
    """Windowed-sinc resampling (Blackman, cut-off just under the lower Nyquist frequency)."""
    if source_rate == rate:
        return pcm
    x = array.array("h", pcm)
    ratio = source_rate / rate
    cutoff = 0.92 * min(1.0, 1.0 / ratio)  # of the source's Nyquist frequency
    half = int(math.ceil(8 / cutoff))
    out = array.array("h")
    n_out = int(len(x) / ratio)
    for n in range(n_out):
        centre = n * ratio
        first = max(0, int(centre) - half + 1)
        last = min(len(x) - 1, int(centre) + half)
        acc = 0.0
        for k in range(first, last + 1):
            t = k - centre
            if t == 0:
                s = cutoff
            else:
                s = math.sin(math.pi * cutoff * t) / (math.pi * t)
            w = 0.42 + 0.5 * math.cos(math.pi * t / half) + 0.08 * math.cos(2 * math.pi * t / half)
            acc += x[k] * s * w
        out.append(max(-32768, min(32767, int(acc))))
    return out.tobytes()


def seconds(pcm, rate=RATE):
    return len(pcm) / 2 / rate


# --- Detectors -----------------------------------------------------------------------------------

def tone_share(samples, freq, rate=RATE):
    """(amplitude of FREQ in SAMPLES, that amplitude relative to a pure tone of the same RMS):
    1.0 for a pure tone at FREQ, about 0.7 for it mixed with an equally loud other tone, about 0
    when FREQ is absent."""
    coeff = 2 * math.cos(2 * math.pi * freq / rate)
    s1 = s2 = 0.0
    for v in samples:
        s1, s2 = v + coeff * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2
    amplitude = 2 * math.sqrt(max(power, 0.0)) / len(samples)
    rms = math.sqrt(sum(v * v for v in samples) / len(samples))
    return amplitude, amplitude / (math.sqrt(2) * rms) if rms > 0 else 0.0


def tone_seconds(pcm, freq, window=0.1, rate=RATE, min_amplitude=300, min_share=0.3):
    """How many seconds of PCM carry an audible tone at FREQ (or at any of the frequencies in a
    tuple FREQ): 100 ms windows where it is both loud (MIN_AMPLITUDE) and a large part of what is
    heard (MIN_SHARE; a mix of three equally loud tones still gives each 0.58). Speech or music
    at other pitches scores ~0."""
    freqs = freq if isinstance(freq, tuple) else (freq,)
    n = int(window * rate)
    x = array.array("h", pcm)
    found = 0
    for start in range(0, len(x) - n + 1, n):
        for f in freqs:
            amplitude, share = tone_share(x[start:start + n], f, rate)
            if amplitude >= min_amplitude and share >= min_share:
                found += 1
                break
    return found * window


def loud_seconds(pcm, window=0.1, rate=RATE, min_rms=200):
    """Seconds of PCM that are not silence (100 ms windows with an RMS of at least MIN_RMS)."""
    n = int(window * rate) * 2
    return sum(window for start in range(0, len(pcm) - n + 1, n) if audioop.rms(pcm[start:start + n], 2) >= min_rms)


def similarity(haystack, needle):
    """How well NEEDLE (PCM) is found somewhere in HAYSTACK, normalised to 0..1: above 0.8 it is
    there (through G.711 twice and a resampler), unrelated audio scores below 0.4."""
    if len(haystack) < len(needle) or audioop.rms(needle, 2) == 0:
        return 0.0
    offset, factor = audioop.findfit(haystack, needle)
    aligned = haystack[offset * 2:offset * 2 + len(needle)]
    return factor * audioop.rms(needle, 2) / max(1, audioop.rms(aligned, 2))


def wait_until(condition, timeout, what, details=lambda: ""):
    """Polls CONDITION (every 100 ms) until it holds; fails the test naming WHAT otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s\n{details()}")
        time.sleep(0.1)


# --- The test's own RTP end point ----------------------------------------------------------------

class RtpPeer:
    """One side of a call's media, played and heard by the test: a UDP socket on 127.0.0.1 that
    sends PCMA every 20 ms (the audio given to play(), silence otherwise, digits given to
    press()) and keeps the PCMA/PCMU it receives, with the time each packet came. It sends from
    the port it receives on (symmetric RTP), to where the far end's packets come from, or
    before any came, to the address in the far end's SDP (learn_remote_from_trace()).

    The socket lives in a child process (this file run as `peer`): the test's own analysis
    (findfit, Goertzel) holds the interpreter for whole tenths of a second, which in a thread
    would make the sending late and the far end's jitter buffer slip frames. The child appends
    what it receives to a file; heard() reads it."""

    def __init__(self, name="peer"):
        self.name = name
        handle, self._received_path = tempfile.mkstemp(prefix=f"rtp-{name}-", suffix=".bin")
        os.close(handle)
        self._proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "peer", self._received_path],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self._proc.stdout.readline())
        self._cache, self._cache_size, self._closed = [], 0, False

    def _tell(self, **command):
        if self._proc.poll() is None:
            self._proc.stdin.write(json.dumps(command) + "\n")
            self._proc.stdin.flush()

    # What it sends.
    def play(self, pcm, loop=False):
        """Sends PCM from the next 20 ms on (instead of what was playing); silence after it
        unless LOOP."""
        self._tell(play=base64.b64encode(pcm).decode(), loop=loop)

    def press(self, digit):
        """An RFC 4733 event for DIGIT (100 ms, then three end packets), in the RTP stream."""
        assert digit in "0123456789*#", digit
        self._tell(press=digit)

    def learn_remote_from_trace(self, path):
        """Sends, until packets come, to the SDP address of the last message received in a SIPp
        -trace_msg file (the server's 200 OK or INVITE): read on each tick until known."""
        self._tell(trace=path)

    # What it hears.
    def _packets(self):
        if self._closed:
            return self._cache
        with open(self._received_path, "rb") as f:
            f.seek(self._cache_size)
            data = f.read()
        at = 0
        while at + 10 <= len(data):
            when, length = struct.unpack_from("<dH", data, at)
            if at + 10 + length > len(data):
                break  # being written
            self._cache.append((when, data[at + 10:at + 10 + length]))
            at += 10 + length
        self._cache_size += at
        return self._cache

    def heard(self, since=None, until=None):
        """The decoded audio received (PCM), of packets that came between SINCE and UNTIL
        (time.monotonic() values: one clock for all processes), in arrival order."""
        return b"".join(pcm for when, pcm in self._packets()
                        if (since is None or when >= since) and (until is None or when < until))

    def heard_seconds(self, since=None):
        return seconds(self.heard(since))

    def close(self):
        """Stops sending and receiving; what was heard stays readable."""
        if self._proc.poll() is None:
            self._tell(stop=True)
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._closed:
            return
        self._packets()
        self._closed = True
        for f in (self._proc.stdin, self._proc.stdout):
            f.close()
        if os.path.exists(self._received_path):
            os.unlink(self._received_path)


class _PeerProcess:
    """The child behind RtpPeer: its socket, the 20 ms sending clock, the received file."""

    def __init__(self, received_path):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.out = open(received_path, "ab", buffering=0)
        self.remote, self.trace = None, None
        self.playing, self.loop, self.position = b"", False, 0
        self.digits, self.event, self.event_ts = [], [], 0
        self.seq, self.ts = 1000, 160000
        self.ssrc = 0x5B000000 | self.sock.getsockname()[1]
        self.commands = b""

    def run(self):
        print(self.sock.getsockname()[1], flush=True)
        next_tick = time.monotonic()
        stdin = sys.stdin.fileno()
        while True:
            wait = max(0.0, next_tick - time.monotonic())
            readable, _, _ = select.select([self.sock, stdin], [], [], wait)
            if self.sock in readable:
                data, source = self.sock.recvfrom(2048)
                self.receive(data, source)
            if stdin in readable:
                chunk = os.read(stdin, 1 << 20)
                if not chunk:
                    return
                self.commands += chunk
                while b"\n" in self.commands:
                    line, self.commands = self.commands.split(b"\n", 1)
                    if not self.command(json.loads(line)):
                        return
            if readable:
                continue
            next_tick += 0.02
            if self.remote is None and self.trace:
                self.remote = remote_from_trace(self.trace)
            if self.remote is None:
                continue
            for packet in self.next_packets():
                try:
                    self.sock.sendto(packet, self.remote)
                except OSError:
                    pass

    def command(self, c):
        if "play" in c:
            self.playing, self.loop, self.position = base64.b64decode(c["play"]), c["loop"], 0
        elif "press" in c:
            self.digits.append("0123456789*#".index(c["press"]))
        elif "trace" in c:
            self.trace = c["trace"]
        elif "stop" in c:
            return False
        return True

    def packet(self, pt, payload, marker=False, timestamp=None):
        self.seq = (self.seq + 1) & 0xFFFF
        return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, self.seq,
                           (self.ts if timestamp is None else timestamp) & 0xFFFFFFFF, self.ssrc) + payload

    def next_packets(self):
        """What goes out in this 20 ms: an audio frame, or a digit's packets."""
        if not self.event and self.digits:
            # 100 ms of the event, one packet each 20 ms with the duration so far, then its end
            # packet three times (RFC 4733 §2.5.1.4); all with the event's timestamp.
            event = self.digits.pop(0)
            self.event_ts = self.ts
            self.event = [[(struct.pack("!BBH", event, 10, FRAME * k), k == 1)] for k in range(1, 5)]
            self.event.append([(struct.pack("!BBH", event, 0x80 | 10, FRAME * 5), False)] * 3)
        if self.event:
            tick = self.event.pop(0)
            packets = [self.packet(EVENT_PT, payload, marker, self.event_ts) for payload, marker in tick]
            if not self.event:
                self.ts = self.event_ts + FRAME * 5
            return packets
        chunk = b""
        if self.playing:
            chunk = self.playing[self.position * 2:(self.position + FRAME) * 2]
            self.position += FRAME
            if self.position * 2 >= len(self.playing):
                if self.loop:
                    self.position = 0
                else:
                    self.playing = b""
        chunk = chunk.ljust(FRAME * 2, b"\0")
        packet = self.packet(8, audioop.lin2alaw(chunk, 2) if chunk.strip(b"\0") else ALAW_SILENCE)
        self.ts += FRAME
        return [packet]

    def receive(self, data, source):
        if len(data) < 12 or data[0] >> 6 != 2:
            return
        pt = data[1] & 0x7F
        offset = 12 + 4 * (data[0] & 0x0F)
        if data[0] & 0x10 and len(data) >= offset + 4:
            offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
        payload = data[offset:]
        if data[0] & 0x20 and payload:
            payload = payload[:-payload[-1]]
        if pt == 8:
            pcm = audioop.alaw2lin(payload, 2)
        elif pt == 0:
            pcm = audioop.ulaw2lin(payload, 2)
        else:
            return
        self.remote = source  # symmetric RTP, as the server does
        self.out.write(struct.pack("<dH", time.monotonic(), len(pcm)) + pcm)


def remote_from_trace(path):
    """The SDP address (host, port) in the last message received in a SIPp -trace_msg file."""
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    found = None
    for block in re.split(r"\n-{10,}", text):
        if "message received" not in block:
            continue
        m, c = re.search(r"m=audio (\d+)", block), re.search(r"c=IN IP4 (\S+)", block)
        if m and c and m.group(1) != "0":
            found = (c.group(1), int(m.group(1)))
    return found


# --- What a baresip phone heard ------------------------------------------------------------------

def phone_heard(directory):
    """The audio a baresip phone decoded on its latest call: its sndfile module's newest
    dump-<time>-dec.wav in DIRECTORY, read while it may still be written (the header's sizes are
    set only at the end, so the data chunk is taken to the end of the file). b"" if none."""
    dumps = sorted(glob.glob(os.path.join(directory, "dump-*-dec.wav")))
    if not dumps:
        return b""
    with open(dumps[-1], "rb") as f:
        data = f.read()
    at = data.find(b"data", 12)
    if at < 0:
        return b""
    pcm = data[at + 8:]
    return pcm[:len(pcm) & ~1]


if __name__ == "__main__":
    if sys.argv[1:2] == ["peer"]:
        _PeerProcess(sys.argv[2]).run()
