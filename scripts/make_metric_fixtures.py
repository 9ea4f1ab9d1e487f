#!/usr/bin/env python3
"""Reference values for Tests/MetricsTests, computed ONCE with the real Python implementations.

Run with the bench venv (sacrebleu 2.6.0, nltk 3.10.4, rouge-score 0.1.2, numpy 2.4.6):
    bash /work/shared/bench/setup.sh     # once per machine (creates /tmp/vaescope-bench-venv)
    /tmp/vaescope-bench-venv/bin/python scripts/make_metric_fixtures.py
Writes Tests/MetricsTests/Fixtures/{text.json,latent.json}: the fixed inputs AND the reference outputs, so
the Swift tests need no Python. Inputs are deterministic (random.Random / numpy default_rng with fixed seeds).
"""
import json
import math
import os
import random
import sys
from importlib.metadata import version

import numpy as np
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu, sentence_bleu
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "MetricsTests", "Fixtures")
W = {2: (0.5, 0.5), 4: (0.25, 0.25, 0.25, 0.25)}
SM1 = SmoothingFunction().method1


def bucket(n):
    return "≤10" if n <= 10 else "11–20" if n <= 20 else "21–30" if n <= 30 else ">30"


def make_pairs():
    """Hand-made edge cases, then noisy copies of random sentences over a small vocabulary."""
    pairs = [
        ("the cat sat on the mat", "the cat sat on the mat"),          # identical
        ("the cat sat on the mat", "a dog ran"),                         # zero matches
        ("the cat sat on the mat", ""),                                  # empty hypothesis
        ("", "some words here"),                                         # empty reference
        ("the cat sat on the mat", "the"),                               # shorter than n
        ("the cat sat on the mat", "cat the"),                           # no bigram match
        ("The Cat, sat-on the MAT!", "the cat sat on the mat"),          # rouge-score tokenizer
        ("it's 42 o'clock   now", "its 42 oclock now"),
        ("the the the the", "the the"),                                  # clipping
        ("a b c d e f g h i j k l", "a b c d x f g h i j k l"),
    ]
    rng = random.Random(20240501)
    vocab = ["w%d" % i for i in range(40)] + ["The", "the", "cat's", "x-y", "A.B", "é", "naïve"]
    for _ in range(190):
        n = rng.choice([rng.randint(1, 10), rng.randint(11, 20), rng.randint(21, 30), rng.randint(31, 38)])
        ref = [rng.choice(vocab) for _ in range(n)]
        p = rng.uniform(0, 0.6)
        hyp = []
        for w in ref:
            r = rng.random()
            if r < p / 2:
                continue
            hyp.append(rng.choice(vocab) if r < p else w)
            if rng.random() < p / 6:
                hyp.append(rng.choice(vocab))
        pairs.append((" ".join(ref), " ".join(hyp)))
    return pairs


def sacre(hyps, refs, order):
    s = BLEU(max_ngram_order=order, tokenize="none").corpus_score(hyps, [refs])
    return dict(score=s.score / 100, precisions=[p / 100 for p in s.precisions], bp=s.bp,
                sys_len=s.sys_len, ref_len=s.ref_len)


def set_rouge(ref, hyp, n):
    """Prokhorov's variant: n-grams as sets, F = 2PR/(P+R), whitespace tokens (no library: the definition)."""
    r, h = ref.split(), hyp.split()
    R = {tuple(r[i:i + n]) for i in range(len(r) - n + 1)}
    H = {tuple(h[i:i + n]) for i in range(len(h) - n + 1)}
    c = len(R & H)
    p = c / len(H) if H else 0.0
    q = c / len(R) if R else 0.0
    return 2 * p * q / (p + q) if p + q > 0 else 0.0


def lcs(a, b):
    t = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            t[i][j] = t[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(t[i - 1][j], t[i][j - 1])
    return t[-1][-1]


def lcs_f1_whitespace(ref, hyp):
    r, h = ref.split(), hyp.split()
    if not r or not h:
        return 0.0
    l = lcs(r, h)
    p, q = l / len(h), l / len(r)
    return 2 * p * q / (p + q) if p + q > 0 else 0.0


def text_fixture():
    pairs = make_pairs()
    refs = [r for r, _ in pairs]
    hyps = [h for _, h in pairs]
    scorer = rouge_scorer.RougeScorer(["rouge2", "rouge4", "rougeL"], use_stemmer=False)
    per_pair = []
    for r, h in pairs:
        s = scorer.score(r, h)
        per_pair.append(dict(
            rouge2=s["rouge2"].fmeasure, rouge4=s["rouge4"].fmeasure, rougeL=s["rougeL"].fmeasure,
            rouge2_set=set_rouge(r, h, 2), rouge4_set=set_rouge(r, h, 4), rougeL_whitespace=lcs_f1_whitespace(r, h),
            bleu2_nltk1=sentence_bleu([r.split()], h.split(), weights=W[2], smoothing_function=SM1),
            bleu4_nltk1=sentence_bleu([r.split()], h.split(), weights=W[4], smoothing_function=SM1),
            tokens_rouge_score=scorer._tokenizer.tokenize(h)))
    # Each hand-made edge case alone as a one-pair corpus.
    edges = []
    for r, h in pairs[:10]:
        edges.append(dict(sacrebleu2=sacre([h], [r], 2), sacrebleu4=sacre([h], [r], 4),
                          nltk_corpus4=corpus_bleu([[r.split()]], [h.split()], weights=W[4])))
    buckets = {}
    for name in ["≤10", "11–20", "21–30", ">30", "all"]:
        idx = [i for i, r in enumerate(refs) if name == "all" or bucket(len(r.split())) == name]
        if not idx:
            continue
        br, bh = [refs[i] for i in idx], [hyps[i] for i in idx]
        entry = dict(count=len(idx))
        for o in (2, 4):
            entry["sacrebleu%d" % o] = sacre(bh, br, o)
            entry["nltk_corpus%d" % o] = corpus_bleu([[r.split()] for r in br], [h.split() for h in bh], weights=W[o])
            entry["nltk_sentence_mean%d" % o] = float(np.mean([per_pair[i]["bleu%d_nltk1" % o] for i in idx]))
        for k in ("rouge2", "rouge4", "rougeL", "rouge2_set", "rouge4_set", "rougeL_whitespace"):
            entry[k] = float(np.mean([per_pair[i][k] for i in idx]))
        buckets[name] = entry
    # Self-BLEU (Texygen get_bleu_parallel: each sentence against all the others, method1), whitespace tokens.
    gens = [h.split() for h in hyps[10:70]] + [[], ["w1"], ["w1", "w2"]]
    selfb = {}
    for o in (2, 4):
        vals = [sentence_bleu(gens[:i] + gens[i + 1:], g, weights=W[o], smoothing_function=SM1)
                for i, g in enumerate(gens)]
        selfb["self_bleu%d" % o] = float(np.mean(vals))
    small = [["a", "b", "c"], ["a", "b", "d"], ["a", "b", "c"]]
    selfb["small_sentences"] = small
    selfb["small_self_bleu4"] = float(np.mean([sentence_bleu(small[:i] + small[i + 1:], g, smoothing_function=SM1)
                                               for i, g in enumerate(small)]))
    return dict(versions={p: version(p) for p in ("sacrebleu", "nltk", "rouge-score", "numpy")},
                references=refs, hypotheses=hyps, pairs=per_pair, buckets=buckets, edges=edges,
                generations=[" ".join(g) for g in gens], **selfb)


def logsumexp(a, axis):
    m = a.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def mi_mixture(mu, lv, z):
    """He et al. 2019 calc_mi on one batch, in float64 with broadcasting."""
    n, d = mu.shape
    neg_ent = (-0.5 * d * math.log(2 * math.pi) - 0.5 * (1 + lv).sum(-1)).mean()
    dev = z[:, None, :] - mu[None, :, :]
    logd = -0.5 * (dev ** 2 / np.exp(lv)[None]).sum(-1) - 0.5 * (d * math.log(2 * math.pi) + lv.sum(-1))[None]
    return float(neg_ent - (logsumexp(logd, 1) - math.log(n)).mean())


def latent_fixture():
    rng = np.random.default_rng(7)
    N, d, S = 50, 4, 2
    scale = np.array([1.0, 0.5, 0.05, 0.0])          # the last dimension is constant in μ
    mu = (rng.standard_normal((N, d)) * scale + np.array([0.1, -0.2, 0.0, 0.3])).astype(np.float32)
    lv = np.stack([rng.normal(-2.0, 0.3, N), rng.normal(-1.0, 0.2, N), rng.normal(0.0, 0.01, N),
                   rng.normal(-0.05, 0.01, N)], axis=1).astype(np.float32)
    zs = [(mu + np.exp(0.5 * lv) * rng.standard_normal((N, d))).astype(np.float32) for _ in range(S)]
    h = rng.standard_normal((30, 8)).astype(np.float32) + 0.3
    h[5] = 0.0                                          # a zero feature row
    m64, l64 = mu.astype(np.float64), lv.astype(np.float64)
    var = m64.var(axis=0, ddof=1)
    kl = (0.5 * (m64 ** 2 + np.exp(l64) - 1 - l64)).mean(axis=0)
    fits = []
    for z in zs:
        z64 = z.astype(np.float64)
        m = z64.mean(axis=0)
        cov = np.cov(z64, rowvar=False, ddof=1)
        sign, ld = np.linalg.slogdet(cov)
        fits.append(dict(logdet=float(ld), sign=float(sign), mean_norm2=float(m @ m),
                         kl_gauss=float(0.5 * (np.trace(cov) + m @ m - d - ld))))
    mis = [mi_mixture(m64, l64, z.astype(np.float64)) for z in zs]
    mb = []
    for s in range(0, N, 16):
        e = min(N, s + 16)
        mb.append(mi_mixture(m64[s:e], l64[s:e], zs[0].astype(np.float64)[s:e]) * (e - s))
    h64 = h.astype(np.float64)
    nrm = np.linalg.norm(h64, axis=1, keepdims=True)
    u = np.divide(h64, nrm, out=np.zeros_like(h64), where=nrm > 0)
    G = u @ u.T
    iu = np.triu_indices(len(h), 1)
    hist, edges = np.histogram(G[iu], bins=10, range=(-1, 1))
    return dict(version=version("numpy"), N=N, d=d, mu=mu.ravel().tolist(), logvar=lv.ravel().tolist(),
                z=[z.ravel().tolist() for z in zs], h=h.ravel().tolist(), h_dim=8,
                variances=var.tolist(), active_units=int((var >= 0.01).sum()), kl_per_dim=kl.tolist(),
                rate=float(kl.sum()), fits=fits, mi_mixture=mis, mi_mixture_mean=float(np.mean(mis)),
                mi_minibatch16=float(sum(mb) / N), mean_cosine=float(G[iu].mean()),
                cosine_hist10=hist.tolist())


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fx in (("text.json", text_fixture()), ("latent.json", latent_fixture())):
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as fh:
            json.dump(fx, fh, ensure_ascii=False, indent=0)
        print("wrote", os.path.join(OUT, name), file=sys.stderr)


if __name__ == "__main__":
    main()
