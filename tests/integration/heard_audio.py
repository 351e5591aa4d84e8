"""What the people on a call hear, for the end-to-end tests: an RTP end point the test owns (the
caller's or a carrier's side of the media: it sends the audio the test gives it, RFC 4733 digits,
and keeps every packet it receives), the audio a baresip phone decoded (its sndfile dumps), and
the detectors that tell what is in that audio (a tone by Goertzel, a prompt by correlation).

Not here: SIP. The signalling stays with SIPp and baresip; this module only carries and judges
media, on 127.0.0.1. All PCM is mono 16-bit little-endian at 8 kHz unless a name says otherwise.
"""
import array
import glob
import math
import os
import re
import select
import socket
import struct
import threading
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
    """How many seconds of PCM carry an audible tone at FREQ: 100 ms windows where FREQ is both
    loud (MIN_AMPLITUDE) and a large part of what is heard (MIN_SHARE; a mix of three equally
    loud tones still gives each 0.58). Speech or music at other pitches scores ~0."""
    n = int(window * rate)
    x = array.array("h", pcm)
    found = 0
    for start in range(0, len(x) - n + 1, n):
        amplitude, share = tone_share(x[start:start + n], freq, rate)
        if amplitude >= min_amplitude and share >= min_share:
            found += 1
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
    before any came, to the address in the far end's SDP (learn_remote_from_trace())."""

    def __init__(self, name="peer"):
        self.name = name
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.remote = None
        self._trace = None
        self._lock = threading.Lock()
        self._received = []  # (monotonic time, pcm)
        self._playing, self._loop, self._position = b"", False, 0
        self._digits, self._event, self._event_ts = [], [], 0
        self._seq, self._ts, self._ssrc = 1000, 160000, 0x5B000000 | (self.port & 0xFFFF)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rtp-{name}", daemon=True)
        self._thread.start()

    # What it sends.
    def play(self, pcm, loop=False):
        """Sends PCM from the next 20 ms on (instead of what was playing); silence after it
        unless LOOP."""
        with self._lock:
            self._playing, self._loop, self._position = pcm, loop, 0

    def press(self, digit):
        """An RFC 4733 event for DIGIT (100 ms, three end packets), in the RTP stream."""
        with self._lock:
            self._digits.append("0123456789*#".index(digit))

    # What it hears.
    def heard(self, since=None, until=None):
        """The decoded audio received (PCM), of packets that came between SINCE and UNTIL
        (time.monotonic() values), in arrival order."""
        with self._lock:
            return b"".join(pcm for at, pcm in self._received
                            if (since is None or at >= since) and (until is None or at < until))

    def heard_seconds(self, since=None):
        return seconds(self.heard(since))

    def learn_remote_from_trace(self, path):
        """Sends, until packets come, to the SDP address of the last message received in a SIPp
        -trace_msg file (the server's 200 OK or INVITE): read on each tick until known."""
        self._trace = path

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    def _remote_from_trace(self):
        try:
            with open(self._trace, errors="replace") as f:
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

    def _packet(self, pt, payload, marker=False, timestamp=None):
        self._seq = (self._seq + 1) & 0xFFFF
        return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, self._seq,
                           (self._ts if timestamp is None else timestamp) & 0xFFFFFFFF, self._ssrc) + payload

    def _next_packets(self):
        """What goes out in this 20 ms: an audio frame or a digit's packets."""
        with self._lock:
            if not self._event and self._digits:
                # 100 ms of the event, one packet each 20 ms with the duration so far, then its
                # end packet three times (RFC 4733 §2.5.1.4); all with the event's timestamp.
                event = self._digits.pop(0)
                self._event_ts = self._ts
                self._event = [[(struct.pack("!BBH", event, 10, FRAME * k), k == 1)] for k in range(1, 5)]
                self._event.append([(struct.pack("!BBH", event, 0x80 | 10, FRAME * 5), False)] * 3)
            if self._event:
                tick = self._event.pop(0)
                packets = [self._packet(EVENT_PT, payload, marker, self._event_ts) for payload, marker in tick]
                if not self._event:
                    self._ts = self._event_ts + FRAME * 5
                return packets
            chunk = b""
            if self._playing:
                chunk = self._playing[self._position * 2:(self._position + FRAME) * 2]
                self._position += FRAME
                if self._position * 2 >= len(self._playing):
                    if self._loop:
                        self._position = 0
                    else:
                        self._playing = b""
            chunk = chunk.ljust(FRAME * 2, b"\0")
            packet = self._packet(8, audioop.lin2alaw(chunk, 2) if chunk.strip(b"\0") else ALAW_SILENCE)
            self._ts += FRAME
            return [packet]

    def _run(self):
        next_tick = time.monotonic()
        while not self._stop.is_set():
            wait = max(0.0, next_tick - time.monotonic())
            readable, _, _ = select.select([self.sock], [], [], wait)
            if readable:
                data, source = self.sock.recvfrom(2048)
                self._receive(data, source)
                continue
            next_tick += 0.02
            if self.remote is None and self._trace:
                self.remote = self._remote_from_trace()
            if self.remote is None:
                continue
            for packet in self._next_packets():
                try:
                    self.sock.sendto(packet, self.remote)
                except OSError:
                    pass

    def _receive(self, data, source):
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
        with self._lock:
            self.remote = source  # symmetric RTP, as the server does
            self._received.append((time.monotonic(), pcm))


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
