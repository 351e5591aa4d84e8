#!/usr/bin/env python3
"""Speaks the demo's prompts with espeak-ng into <out>/<language>/<name>.wav.

Reads demo/prompts/<language>.txt ("name|text" lines), adds the numbers 0-59 that queue
announcements use ("number-N") and a music-on-hold loop synthesised here. A prompt is made
again only when its text changed, so a rebuild costs nothing. Python standard library only.
"""
import argparse
import math
import os
import struct
import subprocess
import sys
import wave

VOICES = {"en": "en-us", "es": "es"}


def read_prompts(path):
    prompts = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if "|" not in line:
                sys.exit(f"{path}:{number}: expected name|text")
            name, text = line.split("|", 1)
            prompts[name.strip()] = text.strip()
    return prompts


def speak(voice, text, out):
    stamp = out + ".txt"
    if os.path.exists(out) and os.path.exists(stamp) and open(stamp, encoding="utf-8").read() == text:
        return
    subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", out, text], check=True)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(text)


def music_on_hold(out, seconds=16, rate=16000):
    """A slow arpeggio over four chords: recognisable as music, easy on a G.711 line."""
    if os.path.exists(out):
        return
    chords = [(261.63, 329.63, 392.00), (220.00, 261.63, 329.63), (174.61, 220.00, 261.63), (196.00, 246.94, 293.66)]
    frames = bytearray()
    note = 0.25
    total = int(seconds * rate)
    for i in range(total):
        t = i / rate
        chord = chords[int(t / 4) % len(chords)]
        freq = chord[int(t / note) % 3]
        phase_in_note = (t % note) / note
        envelope = min(1.0, phase_in_note * 20) * (1.0 - 0.6 * phase_in_note)
        sample = 0.25 * envelope * math.sin(2 * math.pi * freq * t) + 0.08 * math.sin(2 * math.pi * chord[0] / 2 * t)
        frames += struct.pack("<h", int(max(-1.0, min(1.0, sample)) * 32767))
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="demo/prompts")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    for file in sorted(os.listdir(args.source)):
        if not file.endswith(".txt"):
            continue
        language = file[:-4]
        voice = VOICES.get(language, language)
        folder = os.path.join(args.out, language)
        os.makedirs(folder, exist_ok=True)
        prompts = read_prompts(os.path.join(args.source, file))
        for n in range(60):
            prompts.setdefault(f"number-{n}", str(n))
        for name, text in prompts.items():
            speak(voice, text, os.path.join(folder, name + ".wav"))
        music_on_hold(os.path.join(folder, "music-on-hold.wav"))


if __name__ == "__main__":
    main()
