#!/usr/bin/env python3
"""Is the no-attention baseline's weak reverse-task score ours or the model's? Writes the reverse task (12 symbols,
lengths 3..MAXLEN, 3,000 training pairs, 200 test pairs), trains a PyTorch replica of our no-attention model on it
(embeddings 32, bi-LSTM encoder 2×32, tanh/linear bridge, LSTM decoder 64 with input feeding, attentional layer over
[o_t; final encoder state], Adam 3e-3, clip 5, batches of 64 sentences) and prints greedy exact match per length.
With --s2s it also trains and decodes `s2s` on the same files with the same sizes, so both lines come from one run.
usage: /usr/bin/python3 bench/no-attention-reverse.py [--steps 400] [--seed 1] [--maxlen 8] [--bucketed] [--s2s "dotnet .../s2s.dll"]
Figures in bench/RESULTS.md ("Attention and encoder ablation")."""
import argparse, os, random, shlex, subprocess, tempfile
import torch, torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=400)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--maxlen", type=int, default=8)
ap.add_argument("--bucketed", action="store_true", help="replica batches hold one source length each (as s2s's buckets do)")
ap.add_argument("--s2s", help="command that runs s2s, e.g. 'dotnet src/Seq2Seq.Cli/bin/Release/net10.0/s2s.dll'")
args = ap.parse_args()
torch.set_num_threads(1)
torch.manual_seed(args.seed)
work = tempfile.mkdtemp(prefix="no-attention-reverse-")

rng = random.Random(7)
for name, n in [("train", 3000), ("dev", 200), ("test", 200)]:
    with open(os.path.join(work, name + ".tsv"), "w") as f:
        for _ in range(n):
            s = [f"w{rng.randrange(12)}" for _ in range(rng.randint(3, args.maxlen))]
            f.write(" ".join(s) + "\t" + " ".join(reversed(s)) + "\n")

def read(name):
    return [tuple(c.split() for c in l.rstrip("\n").split("\t")) for l in open(os.path.join(work, name + ".tsv"))]

train, test = read("train"), read("test")

def exact_by_length(hyps):
    per = {}
    for (_, t), h in zip(test, hyps):
        ok, n = per.get(len(t), (0, 0))
        per[len(t)] = (ok + (h == t), n + 1)
    total = sum(ok for ok, _ in per.values()) / len(test)
    return f"exact {total:.3f}  by length " + " ".join(f"{k}:{ok / n:.2f}" for k, (ok, n) in sorted(per.items()))

PAD, BOS, EOS = 1, 2, 3
vocab = {w: i + 4 for i, w in enumerate(sorted({w for s, t in train for w in s + t}))}
V, E, H = len(vocab) + 4, 32, 64

class NoAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed = nn.Embedding(V, E, padding_idx=PAD)
        self.tgt_embed = nn.Embedding(V, E, padding_idx=PAD)
        self.encoder = nn.LSTM(E, H // 2, batch_first=True, bidirectional=True)
        self.bridge_h, self.bridge_c = nn.Linear(H, H), nn.Linear(H, H)
        self.decoder = nn.LSTMCell(E + H, H)
        self.attentional = nn.Linear(2 * H, H)
        self.output = nn.Linear(H, V)

    def encode(self, src, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(self.src_embed(src), lengths, batch_first=True, enforce_sorted=False)
        _, (h, c) = self.encoder(packed)
        final_h, final_c = torch.cat([h[-2], h[-1]], -1), torch.cat([c[-2], c[-1]], -1)   # [batch, H]
        return final_h, (torch.tanh(self.bridge_h(final_h)), self.bridge_c(final_c))

    def step(self, y, state, feed, context):
        h, c = self.decoder(torch.cat([self.tgt_embed(y), feed], -1), state)
        att = torch.tanh(self.attentional(torch.cat([h, context], -1)))
        return self.output(att), (h, c), att

    def forward(self, src, lengths, target_in):
        context, state = self.encode(src, lengths)
        feed, logits = torch.zeros(src.size(0), H), []
        for t in range(target_in.size(1)):
            out, state, feed = self.step(target_in[:, t], state, feed, context)
            logits.append(out)
        return torch.stack(logits, 1)                                                        # [batch, tgtLen, V]

def pad(seqs):
    n = max(map(len, seqs))
    return torch.tensor([q + [PAD] * (n - len(q)) for q in seqs])

model = NoAttention()
opt = torch.optim.Adam(model.parameters(), lr=3e-3)
batch_rng = random.Random(args.seed)
by_length = {}
for pair in train:
    by_length.setdefault(len(pair[0]), []).append(pair)
for _ in range(args.steps):
    if args.bucketed:
        same = by_length[len(batch_rng.choice(train)[0])]
        batch = batch_rng.sample(same, min(64, len(same)))
    else:
        batch = batch_rng.sample(train, 64)
    src = pad([[vocab[w] for w in s] for s, _ in batch])
    lengths = torch.tensor([len(s) for s, _ in batch])
    tgt = [[vocab[w] for w in t] for _, t in batch]
    logits = model(src, lengths, pad([[BOS] + t for t in tgt]))
    loss = nn.functional.cross_entropy(logits.reshape(-1, V), pad([t + [EOS] for t in tgt]).reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()

model.eval()
words = {i: w for w, i in vocab.items()}
hyps = []
with torch.no_grad():
    for s, t in test:
        context, state = model.encode(torch.tensor([[vocab[w] for w in s]]), torch.tensor([len(s)]))
        feed, y, out = torch.zeros(1, H), torch.tensor([BOS]), []
        for _ in range(3 * args.maxlen):
            logits, state, feed = model.step(y, state, feed, context)
            y = logits.argmax(-1)
            if y.item() == EOS: break
            out.append(words.get(y.item(), "?"))
        hyps.append(out)
print(f"pytorch replica{' (bucketed)' if args.bucketed else ''}, {args.steps} updates, seed {args.seed}: {exact_by_length(hyps)}")

if args.s2s:
    config = os.path.join(work, "s2s.yaml")
    with open(config, "w") as f:
        f.write(f"""name: no-attention-reverse
run_dir: {work}/run
data: {{train: {work}/train.tsv, dev: {work}/dev.tsv, test: {work}/test.tsv, source_tokenizer: space, target_tokenizer: space, min_frequency: 1}}
model: {{embedding_size: {E}, dropout: 0.0, encoder: {{hidden_size: {H}, layers: 1}}, decoder: {{hidden_size: {H}, layers: 1, attention: none}}}}
training: {{batch_tokens: 512, learning_rate: 0.003, label_smoothing: 0.0, max_steps: {args.steps}, validate_every: {args.steps}, threads: 1, log_every: 1000, seed: {args.seed}}}
decoding: {{beam_size: 1, metric: wer}}
""")
    s2s = shlex.split(args.s2s)
    subprocess.run(s2s + ["train", config], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(work, "test.src"), "w") as f:
        f.writelines(" ".join(s) + "\n" for s, _ in test)
    subprocess.run(s2s + ["translate", "--model", f"{work}/run", "--beam", "1", "--threads", "1",
                          "--input", f"{work}/test.src", "--output", f"{work}/test.hyp"], check=True, stderr=subprocess.DEVNULL)
    hyps = [l.split() for l in open(os.path.join(work, "test.hyp"))]
    print(f"s2s,             {args.steps} updates, seed {args.seed}: {exact_by_length(hyps)}")
