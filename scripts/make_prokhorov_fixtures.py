#!/usr/bin/env python3
"""Reference values of Prokhorov et al. 2019's own BLEU and ROUGE, computed with THEIR functions.

Their table script (KL_Text_VAE, Scripts/Experiments/experiment_table_1.py) reads a gold and a reconstructed
file line by line and calls:
    BLEU:  tokens = line.strip().split(' ');  bleu.compute_bleu([[gold]...], [rec...], max_order=n, smooth=False)[0]
           (bleu.py is tensorflow/nmt's nmt/scripts/bleu.py)
    ROUGE: rouge.rouge_n([rec.strip()], [gold.strip()], n=n)[0], averaged over the pairs
This script imports bleu.py and rouge.py from a copy of that repository (not vendored here) and writes
Tests/MetricsTests/Fixtures/prokhorov.json: the input pairs and, per order 2 and 4, their corpus BLEU and mean
ROUGE-N F1 (fractions, not ×100), over all pairs and over a few sub-corpora.

Usage: python3 scripts/make_prokhorov_fixtures.py PATH/TO/KL_Text_VAE/Scripts/Experiments   (needs numpy)
"""
import json
import os
import random
import sys

sys.path.insert(0, sys.argv[1])
import bleu  # noqa: E402  (their copy of tensorflow/nmt's bleu.py)
import rouge  # noqa: E402  (their rouge.py)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "MetricsTests", "Fixtures",
                   "prokhorov.json")


def their_bleu(pairs, n):
    gold = [[g.strip().split(' ')] for g, _ in pairs]
    rec = [r.strip().split(' ') for _, r in pairs]
    return bleu.compute_bleu(gold, rec, max_order=n, smooth=False)[0]


def their_rouge(pairs, n):
    f1s = [rouge.rouge_n([r.strip()], [g.strip()], n=n)[0] for g, r in pairs]
    return sum(f1s) / len(f1s)


def make_pairs():
    """(gold, reconstruction) pairs: the edge cases that separate their definitions from NLTK's, then noisy
    copies of random sentences over a small vocabulary."""
    pairs = [
        ("the cat sat on the mat", "the cat sat on the mat"),     # identical
        ("the cat sat on the mat", "a dog ran"),                   # no match
        ("the cat sat on the mat", ""),                            # empty output: [''] in their tokenisation
        ("the cat sat on the mat", "the"),                         # output shorter than n
        ("the cat sat on the mat", "cat the"),                     # no bigram match
        ("the the the the", "the the the the the the"),            # repeated n-grams (clipping; sets in ROUGE)
        ("a b a b a b", "a b a b"),                                # repeated bigrams
        ("the  cat sat", "the cat  sat"),                          # double spaces: empty tokens
        ("  padded line  ", "padded line"),                        # strip()
        ("one", "one"),                                            # shorter than every order > 1
        ("x y", ""),                                               # empty output, short gold
    ]
    rng = random.Random(7)
    vocab = "the a cat dog sat ran on under mat house big small red blue <unk> , .".split()
    for _ in range(120):
        gold = [rng.choice(vocab) for _ in range(rng.randint(1, 35))]
        rec = []
        for w in gold:
            u = rng.random()
            if u < 0.15:
                continue
            rec.append(rng.choice(vocab) if u < 0.35 else w)
            if u > 0.95:
                rec.append(rng.choice(vocab))
        pairs.append((" ".join(gold), " ".join(rec)))
    return pairs


def main():
    pairs = make_pairs()
    subsets = {"all": list(range(len(pairs))), "edge": list(range(11)), "random": list(range(11, len(pairs))),
               "without-empty": [i for i, (_, r) in enumerate(pairs) if r.strip() != ""]}
    expected = []
    for name, idx in subsets.items():
        sub = [pairs[i] for i in idx]
        for n in (2, 4):
            expected.append({"subset": name, "indices": idx, "order": n,
                             "bleu": their_bleu(sub, n), "rouge": their_rouge(sub, n)})
    with open(OUT, "w") as f:
        json.dump({"source": "KL_Text_VAE Scripts/Experiments bleu.py, rouge.py (experiment_table_1.py's calls)",
                   "pairs": [{"gold": g, "rec": r} for g, r in pairs], "expected": expected}, f, indent=1)
    print(f"wrote {OUT}: {len(pairs)} pairs, {len(expected)} values")


if __name__ == "__main__":
    main()
