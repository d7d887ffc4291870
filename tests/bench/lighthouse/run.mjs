// Runs Lighthouse (its default: mobile emulation, simulated slow 4G and 4x CPU slowdown) on each
// URL given, RUNS times, in one headless Chromium (started once: faster than Lighthouse's CLI,
// which starts one per run; Lighthouse clears the cache and storage before each run), and
// prints one JSON line per run with the figures tests/bench/bench_lighthouse.py reads.
// Usage: CHROME_PATH=/usr/bin/chromium node run.mjs RUNS URL...
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [runs, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({ chromeFlags: ["--headless", "--no-sandbox"] });
const flags = {
  port: chrome.port,
  output: "json",
  logLevel: "error",
  onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
  // The screenshots of the HTML report: not needed for the figures, and slow.
  disableFullPageScreenshot: true,
  skipAudits: ["screenshot-thumbnails", "final-screenshot"],
};
try {
  for (const url of urls) {
    for (let run = 0; run < Number(runs); run++) {
      const { lhr } = await lighthouse(url, flags);
      const score = (name) => lhr.categories[name].score;
      console.log(
        JSON.stringify({
          url,
          run,
          performance: score("performance"),
          accessibility: score("accessibility"),
          bestPractices: score("best-practices"),
          seo: score("seo"),
          lcp: lhr.audits["largest-contentful-paint"].numericValue,
          bytes: lhr.audits["total-byte-weight"].numericValue,
          benchmarkIndex: lhr.environment.benchmarkIndex,
          runtimeError: lhr.runtimeError?.message ?? null,
          warnings: lhr.runWarnings,
        }),
      );
    }
  }
} finally {
  await chrome.kill();
}
