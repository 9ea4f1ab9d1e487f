"""Save what VAEScope's reports read, from any trainer (here: made-up arrays standing in for a PyTorch model).

After evaluating your model on the test split, write one directory, then:
    vaescope import --db runs.sqlite --name my-torch-run DIR
Usage: python3 demo/export_for_vaescope.py DIR
"""
import json, os, sys
import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "torch-run"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
sentences = ["the cat sat on the mat", "a dog ran home", "prices fell sharply today"]
n, d, s, h = len(sentences), 8, 5, 16          # sentences, latent size, samples of z, encoder feature size

# In a real script: mu, logvar = model.encode(batch); z = mu + exp(logvar / 2) * eps; h = pooled encoder state.
mu = rng.normal(size=(n, d)).astype(np.float32)
logvar = rng.normal(-1.0, 0.1, size=(n, d)).astype(np.float32)
z = (mu + np.exp(logvar / 2) * rng.normal(size=(s, n, d))).astype(np.float32)   # (S, N, d)
for name, array in [("mu", mu), ("logvar", logvar), ("z", z), ("features", rng.normal(size=(n, h)))]:
    np.save(os.path.join(out, name + ".npy"), array)

with open(os.path.join(out, "sentences.txt"), "w") as f:            # the evaluated sentences, tokenized
    f.write("\n".join(sentences) + "\n")
with open(os.path.join(out, "reconstructions.txt"), "w") as f:      # greedy decoding from z = mu
    f.write("\n".join(["the cat sat on the mat", "a dog ran", "prices fell today"]) + "\n")
with open(os.path.join(out, "generations.tsv"), "w") as f:          # prior samples: scheme, parameter, text
    f.write("greedy\t-\tthe man said nothing\ntop-k\t5\ta dog sat\nnucleus\t0.9\tprices rose\n")
with open(os.path.join(out, "scalars.csv"), "w") as f:              # training curves and validation per epoch
    f.write("step,epoch,split,key,value\n")
    for step in range(1, 101):
        f.write(f"{step},{step // 50},train,reconstruction,{40 + 20 * np.exp(-step / 30):.4f}\n")
        f.write(f"{step},{step // 50},train,kl,{3 * (1 - np.exp(-step / 20)):.4f}\n")
    f.write("100,2,valid,kl,2.9\n100,2,valid,reconstruction,41.5\n")
with open(os.path.join(out, "config.json"), "w") as f:              # anything; these keys group runs in reports
    json.dump({"objective": "elbo", "pooling": "max", "latentSize": d, "trainer": "pytorch"}, f)
print("wrote", out)
