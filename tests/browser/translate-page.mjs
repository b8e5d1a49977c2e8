// End-to-end check of the s2s serve web page in a real browser (Debian's Chromium, driven by playwright-core):
// open the page, type a sentence, click Translate, wait for the n-best list and the attention heatmap, save a
// screenshot. Prints one JSON line with what it saw; exits non-zero with a message when something is missing.
// usage: node translate-page.mjs URL TEXT SCREENSHOT.png [CHROMIUM]
import { chromium } from "playwright-core";

const [url, text, screenshot, executable = "/usr/bin/chromium"] = process.argv.slice(2);
if (!url || !text || !screenshot) { console.error("usage: node translate-page.mjs URL TEXT SCREENSHOT.png [CHROMIUM]"); process.exit(2); }

// Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed network refuses.
const browser = await chromium.launch({
  executablePath: executable, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  await page.goto(url, { waitUntil: "load" });
  await page.waitForFunction(() => !document.getElementById("model").textContent.startsWith("loading"), null, { timeout: 15000 });
  await page.fill("#source", text);
  await page.click("#translate");
  await page.waitForSelector("ol.nbest li .text", { timeout: 30000 });
  await page.waitForSelector("#heatmap tbody td", { timeout: 30000 });
  const seen = await page.evaluate(() => ({
    model: document.getElementById("model").textContent,
    hypotheses: [...document.querySelectorAll("ol.nbest li .text")].map(e => e.textContent),
    heatmapRows: document.querySelectorAll("#heatmap tbody tr").length,
    heatmapColumns: document.querySelectorAll("#heatmap thead th:not(.gate)").length - 1,
    sourceLabels: [...document.querySelectorAll("#heatmap thead th:not(.gate)")].slice(1).map(e => e.textContent),
    gates: [...document.querySelectorAll("#heatmap tbody td.gate")].map(e => e.textContent),
    attentionVisible: !document.getElementById("attention").hidden,
    status: document.getElementById("status").textContent,
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  if (errors.length) throw new Error(`script errors on the page: ${errors.join("; ")}`);
  console.log(JSON.stringify(seen));
} catch (e) {
  console.error(`browser check failed: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
