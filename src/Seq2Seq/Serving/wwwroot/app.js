// The Seq2Seq.NET demo page: POST /v1/translate with attention, show the n-best list, draw the attention of the
// chosen hypothesis as a table (rows: output tokens, columns: source tokens). No external scripts: works offline.
"use strict";
const $ = id => document.getElementById(id);

async function describeModel() {
  try {
    const r = await fetch("/v1/model");
    if (!r.ok) { setTimeout(describeModel, 1000); return; }
    const m = await r.json();
    const architecture = m.type === "transformer"
      ? `Transformer (${m.encoder.layers}+${m.decoder.layers} layers, d ${m.encoder.hidden_size}, ${m.encoder.heads} heads)`
      : `${m.encoder.type}/${m.decoder.type}, ${m.decoder.attention_type} ${m.decoder.attention} attention`;
    $("model").textContent = `${m.name}: ${architecture}, ${(m.parameters / 1e6).toFixed(1)}M parameters`;
    $("beam").value = m.decoding.beam_size;
  } catch { setTimeout(describeModel, 1000); }
}

async function translate() {
  const texts = $("source").value.split("\n").map(s => s.trim()).filter(s => s.length > 0);
  if (texts.length === 0) { status("Type something to translate.", true); return; }
  const beam = Number($("beam").value), nbest = Math.min(Number($("nbest").value), beam);
  $("translate").disabled = true;
  status("Translating…");
  try {
    const r = await fetch("/v1/translate", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ texts, beam, nbest, attention: true, attention_nbest: true }),
    });
    const body = await r.json();
    if (!r.ok) { status(body.error || `HTTP ${r.status}`, true); return; }
    show(body.translations);
    status(`${body.translations.length} sentence(s) in ${body.ms} ms`);
  } catch (e) {
    status(`The server did not answer: ${e}`, true);
  } finally {
    $("translate").disabled = false;
  }
}

function show(translations) {
  const results = $("results");
  results.replaceChildren();
  translations.forEach((t, i) => {
    const box = el("div", "sentence");
    box.append(el("div", "src", t.source_tokens.join(" ")));
    const list = el("ol", "nbest");
    t.nbest.forEach((c, k) => {
      const item = el("li");
      item.append(el("span", "text", c.text), el("span", "score", `log P ${c.log_prob.toFixed(3)} · score ${c.score.toFixed(3)}`));
      item.addEventListener("click", () => choose(list, item, c, i, k));
      list.append(item);
    });
    box.append(list);
    results.append(box);
    if (i === 0) choose(list, list.firstChild, t.nbest[0], 0, 0);
  });
}

function choose(list, item, candidate, sentence, rank) {
  for (const li of document.querySelectorAll("ol.nbest li")) li.classList.remove("chosen");
  item.classList.add("chosen");
  const a = candidate.attention;
  if (!a) { $("attention").hidden = true; return; }
  $("attention-caption").textContent = `sentence ${sentence + 1}, hypothesis ${rank + 1}`;
  const table = $("heatmap");
  table.replaceChildren();
  const head = el("tr");
  head.append(el("th"));
  for (const s of a.source_tokens) head.append(el("th", "", s));
  if (a.gates) head.append(el("th", "gate", "gate"));
  $("gate-hint").hidden = !a.gates;
  const thead = el("thead"); thead.append(head); table.append(thead);
  const tbody = el("tbody");
  a.weights.forEach((row, t) => {
    const tr = el("tr");
    tr.append(el("th", "", a.output_tokens[t]));
    a.source_tokens.forEach((s, j) => {
      const w = row[j] ?? 0, td = el("td");
      td.style.background = `rgba(43, 108, 176, ${w.toFixed(3)})`;
      td.title = `${a.output_tokens[t]} ← ${s}: ${w.toFixed(3)}`;
      tr.append(td);
    });
    if (a.gates && t < a.gates.length) {
      // hybrid attention: the global share of this step's weights (1 = global, 0 = local)
      const g = el("td", "gate", a.gates[t].toFixed(2));
      g.title = `${a.output_tokens[t]}: gate ${a.gates[t].toFixed(3)} (1 = global attention, 0 = local)`;
      tr.append(g);
    }
    tbody.append(tr);
  });
  table.append(tbody);
  $("attention").hidden = false;
}

function el(tag, cls = "", text = null) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== null) e.textContent = text;
  return e;
}

function status(text, error = false) { $("status").textContent = text; $("status").className = error ? "error" : ""; }

$("translate").addEventListener("click", translate);
$("source").addEventListener("keydown", e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) translate(); });
describeModel();
