#!/usr/bin/env python3
"""Makes the copy-attention demo task (issue 22, lever 5): punctuation restoration of English Bible verses.

Input: the English verse (column 2 of bible-es-en/*.tsv) with every punctuation mark at the edge of a word removed
(commas, full stops, colons, semicolons, question and exclamation marks, quotes, brackets, dashes); marks inside a word
stay (God's, re-enter). Output: the verse as written. Most of the output is a copy of the input; the model must put the
marks back. Deterministic: no randomness, one output line per input line.

usage: copy_task.py SRC_DIR OUT_DIR   (writes OUT_DIR/{train,dev,test}.tsv as `stripped<TAB>original`,
       and OUT_DIR/test.src, OUT_DIR/test.ref for scoring)
"""
import os
import sys
import unicodedata


def is_mark(ch):
    # Unicode punctuation (P*) plus the dash-like symbols the WEB uses; letters, digits and symbols such as § stay.
    return unicodedata.category(ch).startswith("P")


def strip_marks(text):
    words = []
    for word in text.split():
        start, end = 0, len(word)
        while start < end and is_mark(word[start]):
            start += 1
        while end > start and is_mark(word[end - 1]):
            end -= 1
        inner = word[start:end]
        # A word joined by a dash (word—word) loses the dash too: split it into its parts.
        for part in inner.replace("\u2014", " ").replace("\u2013", " ").split():
            while part and is_mark(part[0]):
                part = part[1:]
            while part and is_mark(part[-1]):
                part = part[:-1]
            if part:
                words.append(part)
    return " ".join(words)


def main():
    src_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for split in ("train", "dev", "test"):
        pairs = []
        with open(os.path.join(src_dir, split + ".tsv"), encoding="utf-8") as f:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                english = cols[2].strip()
                stripped = strip_marks(english)
                if stripped:
                    pairs.append((stripped, english))
        with open(os.path.join(out_dir, split + ".tsv"), "w", encoding="utf-8") as f:
            f.writelines(f"{s}\t{t}\n" for s, t in pairs)
        if split == "test":
            with open(os.path.join(out_dir, "test.src"), "w", encoding="utf-8") as f:
                f.writelines(s + "\n" for s, _ in pairs)
            with open(os.path.join(out_dir, "test.ref"), "w", encoding="utf-8") as f:
                f.writelines(t + "\n" for _, t in pairs)
        print(f"{split}: {len(pairs)} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
