"""The Seq2Seq.NET attention encoder-decoder as a plain PyTorch module, loading the files of `s2s export`.

Covers the RNN family with global attention: (bi)LSTM/GRU encoder; LSTM/GRU decoder with `dot`, `general`,
`concat` or `additive` (Bahdanau) scores, or no attention; input feeding; bridge; tied target embeddings.
(CNN encoders and local/hybrid attention are not ported.) Parameter names equal the exported state_dict's, so
`load_state_dict` is strict. Shapes are written beside each step: B batch, S source length, T target length.

    model = Seq2Seq.from_export("export_dir")      # config.json + model.pt (or model.safetensors)
    logp = model.log_prob([[5, 9, 7]], [[4, 6]])   # log P(y | x) incl. </s>, one value per pair
"""
import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Recurrent(nn.Module):
    """Holds an nn.LSTM or nn.GRU under the attribute name the C# model uses (`lstm` / `gru`)."""

    def __init__(self, kind, input_size, hidden, layers, bidirectional):
        super().__init__()
        cls = {"lstm": nn.LSTM, "gru": nn.GRU}[kind]
        setattr(self, kind, cls(input_size, hidden, layers, batch_first=True, bidirectional=bidirectional))
        self.kind = kind

    @property
    def rnn(self):
        return getattr(self, self.kind)


class Encoder(nn.Module):
    def __init__(self, cfg, vocab, emb, pad):
        super().__init__()
        e = cfg["encoder"]
        if e["type"] == "cnn":
            raise NotImplementedError("the CNN encoder is not ported to this module")
        self.bidirectional, self.layers = e["bidirectional"], e["layers"]
        self.embed = nn.Embedding(vocab, emb, padding_idx=pad)
        hidden = e["hidden_size"] // 2 if self.bidirectional else e["hidden_size"]
        self.rnn = Recurrent(e["type"], emb, hidden, e["layers"], self.bidirectional)

    def forward(self, src, lengths):
        x = self.embed(src)                                                   # [B, S, emb]
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, state = self.rnn.rnn(packed)
        states, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])  # [B, S, enc]
        h, c = (state if isinstance(state, tuple) else (state, None))

        def top(t):                                                           # [layers*dirs, B, H] -> [B, enc]
            if t is None:
                return None
            return torch.cat([t[-2], t[-1]], -1) if self.bidirectional else t[-1]
        return states, top(h), top(c)


class Score(nn.Module):
    def __init__(self, kind, query, key):
        super().__init__()
        self.kind = kind
        if kind in ("general", "concat", "additive"):
            self.keyLayer = nn.Linear(key, query, bias=False)
        if kind in ("concat", "additive"):
            self.queryLayer = nn.Linear(query, query, bias=kind == "additive")
            self.v = nn.Linear(query, 1, bias=False)

    def keys(self, states):
        return states if self.kind == "dot" else self.keyLayer(states)        # [B, S, hidden]

    def forward(self, q, keys):                                               # q [B, 1, hidden] -> [B, 1, S]
        if self.kind in ("dot", "general"):
            return torch.bmm(q, keys.transpose(1, 2))
        return self.v(torch.tanh(self.queryLayer(q).unsqueeze(2) + keys.unsqueeze(1))).squeeze(-1)


class Attention(nn.Module):
    def __init__(self, kind, query, key):
        super().__init__()
        self.score = Score(kind, query, key)


class Decoder(nn.Module):
    def __init__(self, cfg, vocab, emb, enc, pad):
        super().__init__()
        d = cfg["decoder"]
        if d["attention"] != "none" and d["attention_type"] != "global":
            raise NotImplementedError("local and hybrid attention are not ported to this module")
        self.kind, self.hidden, self.layers = d["type"], d["hidden_size"], d["layers"]
        self.bahdanau = d["attention"] == "additive"
        self.input_feeding = d["input_feeding"] and not self.bahdanau
        rnn_input = emb + (enc if self.bahdanau else self.hidden if self.input_feeding else 0)
        self.embed = nn.Embedding(vocab, emb, padding_idx=pad)
        self.rnn = Recurrent(d["type"], rnn_input, self.hidden, self.layers, False)
        self.attention = Attention(d["attention"], self.hidden, enc) if d["attention"] != "none" else None
        self.attentionLayer = nn.Linear(self.hidden + enc, self.hidden)
        self.bridge = d["bridge"]
        if self.bridge:
            self.bridgeH = nn.Linear(enc, self.hidden)
            if self.kind == "lstm":
                self.bridgeC = nn.Linear(enc, self.hidden)
        self.output = nn.Linear(self.hidden, vocab)
        if cfg["tie_target_embeddings"]:
            self.output.weight = self.embed.weight

    def initial_state(self, states, final_h, final_c):
        batch = states.shape[0]
        if self.bridge:
            h = torch.tanh(self.bridgeH(final_h))                             # [B, hidden]
            c = self.bridgeC(final_c if final_c is not None else final_h) if self.kind == "lstm" else None
        else:
            h = states.new_zeros(batch, self.hidden)
            c = states.new_zeros(batch, self.hidden) if self.kind == "lstm" else None
        h = h.unsqueeze(0).repeat(self.layers, 1, 1)                          # [layers, B, hidden]
        rnn_state = (h, c.unsqueeze(0).repeat(self.layers, 1, 1)) if c is not None else h
        return rnn_state, states.new_zeros(batch, 1, self.hidden)             # attentional vector [B, 1, hidden]

    def attend(self, o, keys, states, mask, final_h):                         # o [B, 1, hidden]
        if self.attention is None:
            return final_h.unsqueeze(1)                                       # fixed context [B, 1, enc]
        w = self.attention.score(o, keys).masked_fill(~mask.unsqueeze(1), float("-inf")).softmax(-1)  # [B, 1, S]
        return torch.bmm(w, states)                                           # [B, 1, enc]

    def step(self, y, rnn_state, attentional, keys, states, mask, final_h):
        emb = self.embed(y).unsqueeze(1)                                      # [B, 1, emb]
        if self.bahdanau:
            top = (rnn_state[0] if isinstance(rnn_state, tuple) else rnn_state)[-1].unsqueeze(1)
            ctx = self.attend(top, keys, states, mask, final_h)
            o, rnn_state = self.rnn.rnn(torch.cat([emb, ctx], -1), rnn_state)
        else:
            x = torch.cat([emb, attentional], -1) if self.input_feeding else emb
            o, rnn_state = self.rnn.rnn(x, rnn_state)                         # [B, 1, hidden]
            ctx = self.attend(o, keys, states, mask, final_h)
        attentional = torch.tanh(self.attentionLayer(torch.cat([o, ctx], -1)))  # [B, 1, hidden]
        return self.output(attentional.squeeze(1)), rnn_state, attentional    # logits [B, vocab]


class Seq2Seq(nn.Module):
    def __init__(self, config):
        super().__init__()
        m = config["model"]
        self.pad, self.bos, self.eos = config["pad"], config["bos"], config["eos"]
        self.encoder = Encoder(m, config["source_vocab_size"], m["embedding_size"], self.pad)
        self.decoder = Decoder(m, config["target_vocab_size"], m["embedding_size"], m["encoder"]["hidden_size"], self.pad)

    @classmethod
    def from_export(cls, directory):
        with open(os.path.join(directory, "config.json"), encoding="utf-8") as f:
            model = cls(json.load(f))
        pt = os.path.join(directory, "model.pt")
        if os.path.exists(pt):
            state = torch.load(pt)
        else:
            from safetensors.torch import load_file
            state = load_file(os.path.join(directory, "model.safetensors"))
        model.load_state_dict(state, strict=True)
        return model.eval()

    @torch.no_grad()
    def log_prob(self, sources, targets):
        """log P(target | source) for id lists (no <s>/</s>; </s> is scored), one float per pair."""
        b = len(sources)
        src = torch.full((b, max(map(len, sources))), self.pad, dtype=torch.long)
        for i, s in enumerate(sources):
            src[i, :len(s)] = torch.tensor(s)
        lengths = torch.tensor([len(s) for s in sources])
        states, final_h, final_c = self.encoder(src, lengths)
        mask = src.ne(self.pad)
        keys = self.decoder.attention.score.keys(states) if self.decoder.attention is not None else None
        rnn_state, attentional = self.decoder.initial_state(states, final_h, final_c)
        gold = [list(t) + [self.eos] for t in targets]
        steps = max(map(len, gold))
        y = torch.full((b,), self.bos, dtype=torch.long)
        total = torch.zeros(b, dtype=torch.float64)
        for t in range(steps):
            logits, rnn_state, attentional = self.decoder.step(y, rnn_state, attentional, keys, states, mask, final_h)
            logp = logits.log_softmax(-1)
            nxt = torch.tensor([g[t] if t < len(g) else self.pad for g in gold])
            real = torch.tensor([t < len(g) for g in gold])
            total += torch.where(real, logp.gather(1, nxt.unsqueeze(1)).squeeze(1), torch.zeros(b)).double()
            y = nxt
        return total.tolist()
