"""Cross-check of the trainer's pooling behaviour with PyTorch (development tool, not used by the tests).

The same sequence VAE as `vaescope train` (embedding, 1-layer LSTM encoder, pooling last/max/mean, linear mu and
log sigma^2, LSTM decoder with z concatenated to every input, softmax, ELBO with beta annealed linearly from
beta0 to 1), trained on PTB-style files (ptb.train.txt, ptb.valid.txt) with batches of equal-length sentences, so
that pooling needs no mask. Prints validation reconstruction, KL and the mean pairwise cosine of the encoder
features every --every steps. Needs torch (e.g. the venv of ../shared/bench/setup.sh):

    python scripts/reference/torch_pooling_check.py --data PTB_DIR --pooling max --steps 3000 --anneal 2000
"""
import argparse, collections, math, random, time, torch, torch.nn as nn, torch.nn.functional as F
ap = argparse.ArgumentParser()
ap.add_argument("--pooling", default="last"); ap.add_argument("--E", type=int, default=64)
ap.add_argument("--H", type=int, default=128); ap.add_argument("--Z", type=int, default=32)
ap.add_argument("--V", type=int, default=2000); ap.add_argument("--steps", type=int, default=1500)
ap.add_argument("--anneal", type=int, default=10000); ap.add_argument("--beta0", type=float, default=0.1)
ap.add_argument("--lr", type=float, default=1e-3); ap.add_argument("--opt", default="adam")
ap.add_argument("--drop", type=float, default=0.0); ap.add_argument("--init", type=float, default=0.1)
ap.add_argument("--seed", type=int, default=0); ap.add_argument("--every", type=int, default=100)
ap.add_argument("--train", type=int, default=0)
ap.add_argument("--data", required=True, help="directory with ptb.{train,valid}.txt")
a = ap.parse_args(); torch.set_num_threads(1); torch.manual_seed(a.seed); random.seed(a.seed)
D = a.data.rstrip("/") + "/"
tr = [l.split() for l in open(D + "ptb.train.txt") if l.strip()]
va = [l.split() for l in open(D + "ptb.valid.txt") if l.strip()][:1000]
if a.train: tr = tr[:a.train]
cnt = collections.Counter(w for s in tr for w in s)
itos = ["<pad>", "<unk>", "<bos>", "<eos>"] + [w for w, _ in cnt.most_common(a.V - 4)]
stoi = {w: i for i, w in enumerate(itos)}
enc = lambda s: [stoi.get(w, 1) for w in s]
def batches(data, B, shuffle):
    by = collections.defaultdict(list)
    for s in data: by[len(s)].append(enc(s))
    out = []
    for L, ss in by.items():
        if shuffle: random.shuffle(ss)
        for i in range(0, len(ss), B): out.append(torch.tensor(ss[i:i + B]))
    if shuffle: random.shuffle(out)
    return out
class VAE(nn.Module):
    def __init__(s):
        super().__init__(); V, E, H, Z = len(itos), a.E, a.H, a.Z
        s.emb = nn.Embedding(V, E); s.enc = nn.LSTM(E, H, batch_first=True)
        s.mu = nn.Linear(H, Z); s.lv = nn.Linear(H, Z)
        s.demb = nn.Embedding(V, E); s.dec = nn.LSTM(E + Z, H, batch_first=True); s.out = nn.Linear(H, V)
        for p in s.parameters(): nn.init.uniform_(p, -a.init, a.init)
    def forward(s, x):
        hs, (hn, _) = s.enc(s.emb(x))
        h = hn[-1] if a.pooling == "last" else hs.max(1).values if a.pooling == "max" else hs.mean(1)
        mu, lv = s.mu(h), s.lv(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * lv)
        B = x.size(0)
        din = torch.cat([torch.full((B, 1), 2), x], 1); tgt = torch.cat([x, torch.full((B, 1), 3)], 1)
        e = F.dropout(s.demb(din), a.drop, s.training)
        o, _ = s.dec(torch.cat([e, z.unsqueeze(1).expand(-1, e.size(1), -1)], -1))
        o = F.dropout(o, a.drop, s.training)
        rec = F.cross_entropy(s.out(o).reshape(-1, len(itos)), tgt.reshape(-1), reduction="sum") / B
        kl = (-0.5 * (1 + lv - mu ** 2 - lv.exp()).sum(1)).mean()
        return rec, kl, h
m = VAE()
opt = torch.optim.Adam(m.parameters(), lr=a.lr) if a.opt == "adam" else torch.optim.SGD(m.parameters(), lr=a.lr)
vb = batches(va, 100, False)
def valid():
    m.eval(); R = K = n = 0; hs = []
    with torch.no_grad():
        for x in vb:
            r, k, h = m(x); R += r.item() * x.size(0); K += k.item() * x.size(0); n += x.size(0); hs.append(h)
    h = F.normalize(torch.cat(hs), dim=1); N = h.size(0); g = h @ h.t()
    cos = ((g.sum() - N) / (N * (N - 1))).item(); m.train(); return R / n, K / n, cos
step = 0; t0 = time.time()
while step < a.steps:
    for x in batches(tr, 32, True):
        beta = min(1.0, a.beta0 + (1 - a.beta0) * step / a.anneal)
        rec, kl, _ = m(x); loss = rec + beta * kl
        opt.zero_grad(); loss.backward(); nn.utils.clip_grad_norm_(m.parameters(), 5.0); opt.step(); step += 1
        if step % a.every == 0:
            R, K, c = valid(); print(f"{a.pooling} step {step} beta {beta:.3f} trainKL {kl.item():.3f} validRec {R:.2f} validKL {K:.3f} cos {c:.3f} t {time.time()-t0:.0f}", flush=True)
        if step >= a.steps: break
