#!/usr/bin/env python3
"""A small LSTM sequence VAE (Bowman et al. 2016) in PyTorch that logs into a VAEScope run store.

    pip install torch numpy ./python
    python examples/torch_vae.py --db runs.sqlite --name torch-demo [--corpus DIR] [--steps 600]
    vaescope runs list --db runs.sqlite && vaescope report --db runs.sqlite --out site

DIR holds train.txt, valid.txt and test.txt, one tokenised sentence per line (`vaescope corpus` makes one);
without --corpus a small built-in corpus is used. What VAEScope reads: training curves (loss, reconstruction,
kl, beta, lr), validation per evaluation (kl, reconstruction, elbo, ppl_bound), and on the test split the
latents (μ, log σ², S samples of z, the pooled encoder feature h), the sentences, greedy reconstructions from
z = μ, prior samples (greedy and top-k) and interpolations. Without PyTorch it says so and exits 0.
"""
import argparse
import math
import os
import random
import sys

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    torch = None

try:
    import vaescope
except ImportError:   # run from the repository without installing the client
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
    import vaescope

PAD, BOS, EOS, UNK = 0, 1, 2, 3


def builtin_corpus(seed):
    """Short templated sentences: (train, valid, test) lists of token lists."""
    rng = random.Random(seed)
    subjects = ["the cat", "a dog", "the old man", "my sister", "the market", "a small bird", "the teacher"]
    verbs = ["saw", "liked", "found", "left", "watched", "followed", "painted"]
    objects = ["the house", "a red car", "the river", "an apple", "the letter", "the city", "a quiet garden"]
    tails = ["", "today", "at night", "in the rain", "again", "with care"]
    sentences = sorted({" ".join(w for w in (rng.choice(subjects), rng.choice(verbs), rng.choice(objects),
                                             rng.choice(tails)) if w) for _ in range(3000)})
    rng.shuffle(sentences)
    tokens = [s.split() for s in sentences]
    return tokens[:-200], tokens[-200:-100], tokens[-100:]


def read_corpus(directory):
    def read(name):
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            return [line.split() for line in f if line.strip()]
    return read("train.txt"), read("valid.txt"), read("test.txt")


if torch is not None:
    class SequenceVAE(nn.Module):
        """LSTM encoder, pooled into q(z|x) = N(μ, diag σ²); LSTM decoder fed z at every step and in h0."""

        def __init__(self, vocab, embedding, hidden, latent, pooling):
            super().__init__()
            self.pooling = pooling
            self.embed = nn.Embedding(vocab, embedding, padding_idx=PAD)
            self.encoder = nn.LSTM(embedding, hidden, batch_first=True)
            self.to_mu, self.to_logvar = nn.Linear(hidden, latent), nn.Linear(hidden, latent)
            self.z_to_h = nn.Linear(latent, hidden)
            self.decoder = nn.LSTM(embedding + latent, hidden, batch_first=True)
            self.out = nn.Linear(hidden, vocab)

        def encode(self, x, lengths):
            out, _ = self.encoder(self.embed(x))                     # (B, T, H)
            mask = (x != PAD).unsqueeze(-1)                           # (B, T, 1)
            if self.pooling == "mean":
                h = (out * mask).sum(1) / lengths[:, None]
            elif self.pooling == "max":
                h = out.masked_fill(~mask, float("-inf")).max(1).values
            else:                                                     # last
                h = out[torch.arange(x.size(0), device=x.device), lengths - 1]
            return self.to_mu(h), self.to_logvar(h), h                # (B, Z), (B, Z), (B, H)

        def start(self, z):
            h0 = torch.tanh(self.z_to_h(z))[None]                     # (1, B, H)
            return h0, torch.zeros_like(h0)

        def logits(self, z, inputs):
            e = self.embed(inputs)                                    # (B, T, E)
            out, _ = self.decoder(torch.cat([e, z[:, None].expand(-1, e.size(1), -1)], -1), self.start(z))
            return self.out(out)                                      # (B, T, V)

        @torch.no_grad()
        def decode(self, z, max_length, top_k=None, generator=None):
            token = torch.full((z.size(0), 1), BOS, dtype=torch.long, device=z.device)
            state, steps = self.start(z), []
            for _ in range(max_length):
                out, state = self.decoder(torch.cat([self.embed(token), z[:, None]], -1), state)
                logits = self.out(out[:, -1])                         # (B, V)
                if top_k is None:
                    token = logits.argmax(-1, keepdim=True)
                else:
                    values, indices = logits.topk(top_k, -1)
                    choice = torch.multinomial(F.softmax(values, -1), 1, generator=generator)
                    token = indices.gather(-1, choice)
                steps.append(token)
            return torch.cat(steps, 1).tolist()                       # (B, max_length)

    def batches(data, size, vocab, rng, device):
        order = list(range(len(data)))
        rng.shuffle(order)
        for i in range(0, len(order) - size + 1, size):
            yield tensors([data[j] for j in order[i:i + size]], vocab, device)

    def tensors(sentences, vocab, device):
        ids = [[vocab.get(w, UNK) for w in s] for s in sentences]
        lengths = torch.tensor([len(s) for s in ids], device=device)
        width = int(lengths.max())
        x = torch.tensor([s + [PAD] * (width - len(s)) for s in ids], device=device)          # (B, T)
        inputs = torch.tensor([[BOS] + s + [PAD] * (width - len(s)) for s in ids], device=device)
        targets = torch.tensor([s + [EOS] + [PAD] * (width - len(s)) for s in ids], device=device)
        return x, lengths, inputs, targets

    def terms(model, x, lengths, inputs, targets):
        """Per-sentence means of −log p(x|z) and KL(q(z|x) ‖ N(0, I)) (nats), and the batch's tokens."""
        mu, logvar, _ = model.encode(x, lengths)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        logits = model.logits(z, inputs)
        nll = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=PAD, reduction="sum") / x.size(0)
        kl = 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1).sum(1).mean()
        return nll, kl, int((targets != PAD).sum())


def words(ids, itos):
    out = []
    for i in ids:
        if i == EOS:
            break
        out.append(itos[i])
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="runs.sqlite")
    parser.add_argument("--name", default="torch-demo")
    parser.add_argument("--corpus", help="directory with train.txt, valid.txt, test.txt (default: built in)")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--latent", type=int, default=16)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--embedding", type=int, default=64)
    parser.add_argument("--pooling", choices=["last", "mean", "max"], default="mean")
    parser.add_argument("--warmup", type=int, default=300, help="steps of linear KL annealing, β 0 → 1")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--eval-every", type=int, default=100)
    parser.add_argument("--samples", type=int, default=5, help="z samples per test sentence")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--device", default="cuda" if torch is not None and torch.cuda.is_available() else "cpu")
    args = parser.parse_args(argv)
    if torch is None:
        print("SKIP examples/torch_vae.py: PyTorch is not installed (pip install torch)", file=sys.stderr)
        return 0

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    train, valid, test = read_corpus(args.corpus) if args.corpus else builtin_corpus(args.seed)
    if len(train) < args.batch or not valid or len(test) < 6:
        parser.error("the corpus needs at least --batch training sentences, 1 validation and 6 test sentences")
    itos = ["<pad>", "<bos>", "<eos>", "<unk>"] + sorted({w for s in train for w in s})
    vocab = {w: i for i, w in enumerate(itos)}
    device = torch.device(args.device)
    model = SequenceVAE(len(itos), args.embedding, args.hidden, args.latent, args.pooling).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    config = dict(vars(args), objective="elbo", klAnnealing={"kind": "linear", "steps": args.warmup},
                  latentSize=args.latent, vocabulary=len(itos), trainer="pytorch %s" % torch.__version__)

    with vaescope.run(args.db, name=args.name, config=config, corpus_name=args.corpus or "builtin",
                      seed=args.seed) as run:
        step, epoch = 0, 0
        while step < args.steps:
            epoch += 1
            for x, lengths, inputs, targets in batches(train, args.batch, vocab, rng, device):
                step += 1
                model.train()
                beta = min(1.0, step / max(1, args.warmup))
                nll, kl, _ = terms(model, x, lengths, inputs, targets)
                loss = nll + beta * kl
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                run.log(step, epoch=epoch, loss=loss.item(), reconstruction=nll.item(), kl=kl.item(), beta=beta,
                        lr=args.lr)
                if step % args.eval_every == 0 or step == args.steps:
                    model.eval()
                    with torch.no_grad():
                        parts = [terms(model, *tensors(valid[i:i + 100], vocab, device))
                                 for i in range(0, len(valid), 100)]
                    n = len(valid)
                    nll_v = sum(p[0].item() * min(100, n - 100 * i) for i, p in enumerate(parts)) / n
                    kl_v = sum(p[1].item() * min(100, n - 100 * i) for i, p in enumerate(parts)) / n
                    tokens = sum(p[2] for p in parts)
                    run.log(step, split="valid", epoch=epoch, reconstruction=nll_v, kl=kl_v, elbo=-(nll_v + kl_v),
                            ppl_bound=math.exp((nll_v + kl_v) * n / tokens))
                if step >= args.steps:
                    break

        # The test split: what VAEScope's metrics and site read.
        model.eval()
        with torch.no_grad():
            x, lengths, _, _ = tensors(test, vocab, device)
            mu, logvar, h = model.encode(x, lengths)
            z = mu[None] + torch.randn(args.samples, *mu.shape, device=device) * (0.5 * logvar).exp()[None]
            run.log_latents(mu, logvar, z=z, features=h, sentences=[" ".join(s) for s in test], split="test")
            longest = max(len(s) for s in train) + 5
            run.log_texts("reconstruction", [words(s, itos) for s in model.decode(mu, longest)])
            prior = torch.randn(20, args.latent, generator=torch.Generator().manual_seed(args.seed)).to(device)
            run.log_texts("prior-sample", [words(s, itos) for s in model.decode(prior, longest)])
            sampler = torch.Generator(device=device).manual_seed(args.seed)
            run.log_texts("prior-sample", [words(s, itos) for s in model.decode(prior, longest, 5, sampler)],
                          scheme="top-k", parameter=5)
            points = torch.linspace(0, 1, 7, device=device)[:, None]
            paths = [[words(s, itos) for s in model.decode(mu[a] + points * (mu[b] - mu[a]), longest)]
                     for a, b in ((0, 1), (2, 3), (4, 5))]
            run.log_texts("interpolation", paths)
    print("wrote run %r into %s (%d steps); next: vaescope report --db %s --out site"
          % (args.name, args.db, step, args.db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
