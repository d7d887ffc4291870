/*
 * Explorable "training-epochs" (chapter Your first neural network): drag through the epochs of
 * the chapter's training run. The learning curves (training solid, validation dashed) get a
 * marker at the epoch; beside them, the learning rate of that epoch, the epoch early stopping
 * kept, and the test digits the network of that epoch read wrong: their count, how many turned
 * wrong or right since the epoch before, and a few of them (those newly wrong outlined).
 * The build recorded the answers with mnist_lessons.training's watch=; they are shown only to
 * watch the training, never to choose anything (early stopping looks at validation only).
 */

import { axes, clear, legend, line, points, rule, text } from "../lib/plot.js";
import { thumbStrip } from "./confusion-explorer/thumbs.js";

export const state = {
  // The epoch shown, from 1; the range and the default (the epoch kept) come with the bundle.
  epoch: { default: 0, min: 0, max: 100, step: 1 },
};

function pct(v, digits = 2) {
  return `${(100 * v).toFixed(digits)}\u00a0%`; // a no-break space
}

function count(n) {
  return n.toLocaleString("en-US");
}

/** The epochs (from 1) from which the learning rate is lower than in the epoch before. */
export function rateDrops(rates) {
  const drops = [];
  for (let e = 1; e < rates.length; e++) if (rates[e] < rates[e - 1]) drops.push(e + 1);
  return drops;
}

let styled = false;
function addStyle() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = `
.te-plots { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.te-plots canvas { flex: 1 1 18rem; min-width: 0; }
.te-facts { margin: 0.4rem 0 0; padding: 0; list-style: none; font-size: 0.9rem;
  font-variant-numeric: tabular-nums; }
.te-facts li { margin: 0.1rem 0; }
.te-note { font-size: 0.8rem; color: var(--ex-muted); margin: 0.3rem 0 0; }`;
  document.head.append(style);
}

export function mount(ex, data, arrays) {
  addStyle();
  const E = data.epochs;
  const best = data.best_epoch;
  // The slider's range and default are this run's: epoch 1 to the last, the kept one first.
  Object.assign(state.epoch, { min: 1, max: E, default: best });
  if (ex.state.epoch < 1 || ex.state.epoch > E) ex.set("epoch", best);

  let timer = null;
  ex.slider("epoch", { label: "epoch", format: (v) => `${v} of ${E}` });
  const play = ex.button("Play", () => {
    if (timer) return stop();
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    const step = () => {
      const next = ex.state.epoch >= E ? 1 : ex.state.epoch + 1;
      ex.set("epoch", next);
      if (next === E) stop();
    };
    step();
    timer = setInterval(step, 450);
  });
  play.setAttribute("aria-pressed", "false");
  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }
  ex.button("Kept epoch", () => {
    stop();
    ex.set("epoch", best);
  });

  const plots = ex.panel("te-plots");
  const accFig = ex.canvas({ width: 320, height: 230, label: "", parent: plots });
  const lossFig = ex.canvas({ width: 320, height: 230, label: "", parent: plots });
  const facts = document.createElement("ul");
  facts.className = "te-facts";
  const factRate = document.createElement("li");
  const factKept = document.createElement("li");
  const factWrong = document.createElement("li");
  facts.append(factRate, factKept, factWrong);
  const info = ex.panel("te-info");
  info.append(facts);
  const nShow = arrays.slot.shape[1];
  const strip = thumbStrip(info, nShow);
  const note = document.createElement("p");
  note.className = "te-note";
  note.textContent = "Outlined: read right after the epoch before. The test digits are shown "
    + "only to watch the training; nothing was chosen by them.";
  info.append(note);

  const epochs = Array.from({ length: E }, (_, i) => i + 1);
  const drops = rateDrops(data.learning_rate);
  const accAll = [...data.accuracy, ...data.val_accuracy];
  const lossAll = [...data.loss, ...data.val_loss];
  const accLim = [Math.floor(Math.min(...accAll) * 100) / 100, 1];
  const lossLim = [0, Math.ceil(Math.max(...lossAll) * 20) / 20];

  function panel(fig, s, train, val, ylim, ylabel) {
    const c = ex.colors();
    clear(fig);
    const ax = axes(fig, { xlim: [0.5, E + 0.5], ylim, xlabel: "epoch", ylabel });
    for (const d of drops) rule(fig, ax, { x: d - 0.5, dash: [2, 3], width: 1 });
    line(fig, ax, epochs, train, { color: c.series[0] });
    line(fig, ax, epochs, val, { color: c.series[2], dash: [6, 4] });
    points(fig, ax, [best], [val[best - 1]], { color: c.series[2], radius: 5, stroke: c.bg });
    rule(fig, ax, { x: s.epoch, color: c.accent, dash: [], width: 2 });
    points(fig, ax, [s.epoch, s.epoch], [train[s.epoch - 1], val[s.epoch - 1]],
      { color: c.accent, radius: 4 });
    return { ax, c };
  }

  ex.expose({ rateDrops, wrongAt: (e) => data.wrong[e - 1], epochs: E, best });

  return function render(s) {
    const e = s.epoch;
    const i = e - 1;
    const { ax: accAx, c } = panel(accFig, s, data.accuracy, data.val_accuracy, accLim,
      "accuracy");
    legend(accFig, [{ label: "training", color: c.series[0] },
      { label: "validation", color: c.series[2], dash: [6, 4] }],
    accAx.box.left + accAx.box.width - 100, accAx.box.top + accAx.box.height * 0.55);
    panel(lossFig, s, data.loss, data.val_loss, lossLim, "loss");
    text(accFig, `epoch ${e}`, accAx.x(e) + (e > E / 2 ? -4 : 4), accAx.box.top
      + accAx.box.height - 6,
      { align: e > E / 2 ? "right" : "left", color: c.accent, weight: "bold" });
    accFig.setLabel(`Accuracy per epoch: at epoch ${e}, training ${pct(data.accuracy[i])}, `
      + `validation ${pct(data.val_accuracy[i])}; the dot marks epoch ${best}, the best on `
      + "validation.");
    lossFig.setLabel(`Loss per epoch: at epoch ${e}, training ${data.loss[i].toFixed(4)}, `
      + `validation ${data.val_loss[i].toFixed(4)}.`);

    const rate = data.learning_rate[i];
    factRate.textContent = `Learning rate in epoch ${e}: ${rate.toExponential(2)}`
      + (drops.includes(e) ? " (halved from this epoch on)" : "");
    factKept.textContent = e === best
      ? `Early stopping kept this epoch's weights (the best validation accuracy, `
        + `${pct(data.val_accuracy[i])}).`
      : `Early stopping kept epoch ${best} (validation accuracy `
        + `${pct(data.val_accuracy[best - 1])}); this one has ${pct(data.val_accuracy[i])}.`;
    const wrong = data.wrong[i];
    factWrong.textContent = `Test digits read wrong after epoch ${e}: ${count(wrong)} of `
      + `${count(data.n_test)}` + (e > 1
      ? `; since epoch ${e - 1}, ${count(data.newly_wrong[i])} turned wrong and `
        + `${count(data.newly_right[i])} turned right.`
      : ".");

    for (let k = 0; k < nShow; k++) {
      const slot = arrays.slot[i * nShow + k];
      if (slot < 0) {
        strip.hide(k);
        continue;
      }
      const label = arrays.label[slot];
      const pred = arrays.pred[i * nShow + k];
      const conf = arrays.conf[i * nShow + k];
      const isNew = arrays.is_new[i * nShow + k] === 1;
      strip.show(k, arrays.images, slot, [`${label} → ${pred}`, pct(conf, 1)], {
        dark: c.dark,
        marked: isNew,
        label: `test digit ${arrays.index[slot]}, a ${label} read as ${pred} with probability `
          + `${pct(conf, 1)}${isNew ? ", read right after the epoch before" : ""}`,
      });
    }
    return `Epoch ${e} of ${E}: training accuracy ${pct(data.accuracy[i])}, validation `
      + `${pct(data.val_accuracy[i])}, learning rate ${rate.toExponential(2)}; `
      + `${count(wrong)} test digits wrong.`;
  };
}
