"""The named character set the bundled card font is cut to, one code point a line.

GB2312 (every character of the standard, Simplified Chinese), Big5 level 1 (the 5,401 common
Traditional characters, 0xA440-0xC67E, and Big5's symbols, 0xA140-0xA3BF), and for Latin
text: Basic Latin, Latin-1, Latin Extended-A/B, General Punctuation, CJK Symbols and
Punctuation, Halfwidth and Fullwidth Forms, plus a few symbols (arrows, currency, maths).
"""
import sys


def gb2312():
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                yield bytes([hi, lo]).decode("gb2312")
            except UnicodeDecodeError:
                pass


def big5(first, last):
    for code in range(first, last + 1):
        hi, lo = code >> 8, code & 0xFF
        if not (0x40 <= lo <= 0x7E or 0xA1 <= lo <= 0xFE):
            continue
        try:
            yield bytes([hi, lo]).decode("big5")
        except UnicodeDecodeError:
            pass


RANGES = [
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1, Latin Extended-A and B
    (0x2000, 0x206F),  # General Punctuation (— – … ‘ ’ “ ” •)
    (0x20A0, 0x20BF),  # Currency symbols
    (0x2100, 0x214F),  # Letterlike symbols (™ №)
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators
    (0x2600, 0x26FF),  # Miscellaneous symbols (♥ ★), those the font has
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]


def charset():
    chars = set(gb2312())
    chars |= set(big5(0xA140, 0xA3BF))
    chars |= set(big5(0xA440, 0xC67E))
    for first, last in RANGES:
        chars |= {chr(c) for c in range(first, last + 1)}
    return sorted(ord(c) for c in chars if len(c) == 1)


if __name__ == "__main__":
    for c in charset():
        sys.stdout.write(f"U+{c:04X}\n")
