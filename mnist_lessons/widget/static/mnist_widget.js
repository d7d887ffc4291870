/*
 * Draw a digit: the book's MLP reads it in the page, with no server and no library.
 *
 * Every element <div class="mnist-widget"></div> becomes a canvas to draw on (mouse, touch or
 * pen), a Clear button, the 28x28 image the network reads, and ten probability bars.
 *
 * The preprocessing is mnist_lessons.widget.preprocess, step for step (the browser tests feed
 * both the same drawing): crop to the ink, scale by area averaging so the longer side is 20
 * pixels, make the darkest pixel 1, then shift the centre of mass to pixel (14, 14) of a 28x28
 * field. The network is the float16 MLP that mnist_lessons.widget.export wrote into
 * _static/widget/mnist-mlp.bin during the build.
 */
(function () {
  "use strict";

  var FIELD = 28; // the side of an MNIST image
  var BOX = 20; // the side of the box the digit is scaled into
  var MIN_EXTENT = 0.25; // ink under this share of the canvas is a dot or a blob
  var CANVAS = 280; // the drawing canvas, in pixels
  var PEN = CANVAS / 14; // stroke width: about 2 pixels once scaled into the 20x20 box
  var MESSAGES = {
    empty: "The canvas is empty: draw a digit first.",
    dot: "That is a dot or a blob, too small to read: draw a bigger digit.",
  };

  var script = document.currentScript;
  var MODEL_URL = new URL("widget/mnist-mlp.bin", script ? script.src : document.baseURI).href;

  // Math.floor(x + 0.5): round half up, as preprocess.py's _round does.
  function round(x) {
    return Math.floor(x + 0.5);
  }

  // (nOut x nIn) weights: output pixel i averages the input interval [i s, (i + 1) s).
  function areaWeights(nIn, nOut) {
    var s = nIn / nOut;
    var R = new Float64Array(nOut * nIn);
    for (var i = 0; i < nOut; i++) {
      var lo = i * s;
      var hi = (i + 1) * s;
      for (var j = Math.floor(lo); j < Math.min(nIn, Math.ceil(hi)); j++) {
        var overlap = Math.min(hi, j + 1) - Math.max(lo, j);
        if (overlap > 0) R[i * nIn + j] = overlap / s;
      }
    }
    return R;
  }

  /*
   * gray: ink levels in [0, 1], row-major, height x width.
   * Returns {image: Float64Array(784)} or {error: "empty" | "dot", message: "..."}.
   */
  function preprocess(gray, width, height) {
    var top = height, bottom = -1, left = width, right = -1;
    for (var y = 0; y < height; y++) {
      for (var x = 0; x < width; x++) {
        if (gray[y * width + x] > 0) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    if (bottom < 0) return { error: "empty", message: MESSAGES.empty };
    var h = bottom + 1 - top;
    var w = right + 1 - left;
    if (Math.max(h, w) < MIN_EXTENT * Math.max(width, height)) {
      return { error: "dot", message: MESSAGES.dot };
    }
    var longer = Math.max(h, w);
    var rows = Math.max(1, round((h * BOX) / longer));
    var cols = Math.max(1, round((w * BOX) / longer));
    var R = areaWeights(h, rows); // (rows, h)
    var C = areaWeights(w, cols); // (cols, w)
    // tmp = crop @ C.T, (h, cols)
    var tmp = new Float64Array(h * cols);
    for (var r = 0; r < h; r++) {
      var base = (top + r) * width + left;
      for (var k = 0; k < cols; k++) {
        var sum = 0;
        for (var c = 0; c < w; c++) sum += gray[base + c] * C[k * w + c];
        tmp[r * cols + k] = sum;
      }
    }
    // box = R @ tmp, (rows, cols)
    var box = new Float64Array(rows * cols);
    var peak = 0;
    for (var i = 0; i < rows; i++) {
      for (var k2 = 0; k2 < cols; k2++) {
        var s2 = 0;
        for (var r2 = 0; r2 < h; r2++) s2 += R[i * h + r2] * tmp[r2 * cols + k2];
        box[i * cols + k2] = s2;
        if (s2 > peak) peak = s2;
      }
    }
    var mass = 0, mr = 0, mc = 0;
    for (var i2 = 0; i2 < rows; i2++) {
      for (var k3 = 0; k3 < cols; k3++) {
        var v = box[i2 * cols + k3] / peak; // the darkest pixel full ink
        box[i2 * cols + k3] = v;
        mass += v;
        mr += i2 * v;
        mc += k3 * v;
      }
    }
    var center = [mr / mass, mc / mass];
    var offset = [
      Math.min(Math.max(round(FIELD / 2 - center[0]), 0), FIELD - rows),
      Math.min(Math.max(round(FIELD / 2 - center[1]), 0), FIELD - cols),
    ];
    var image = new Float64Array(FIELD * FIELD);
    for (var i3 = 0; i3 < rows; i3++) {
      for (var k4 = 0; k4 < cols; k4++) {
        image[(offset[0] + i3) * FIELD + offset[1] + k4] = box[i3 * cols + k4];
      }
    }
    return { image: image, center: center, offset: offset, shape: [rows, cols] };
  }

  // IEEE 754 half precision to a JavaScript number (exact).
  function halfToFloat(bits) {
    var sign = bits & 0x8000 ? -1 : 1;
    var exponent = (bits >> 10) & 0x1f;
    var fraction = bits & 0x3ff;
    if (exponent === 0) return sign * fraction * Math.pow(2, -24);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * (1 + fraction / 1024) * Math.pow(2, exponent - 15);
  }

  // The layout is documented in mnist_lessons/widget/export.py.
  function parseModel(buffer) {
    var view = new DataView(buffer);
    var magic = String.fromCharCode(
      view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3)
    );
    if (magic !== "MNW1") throw new Error("not a widget model file");
    var n = view.getUint32(4, true);
    var header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, n)));
    var at = 8 + n;
    var layers = header.layers.map(function (layer) {
      var nIn = layer.shape[0], nOut = layer.shape[1];
      var W = new Float32Array(nIn * nOut); // (nIn, nOut), row-major
      for (var i = 0; i < W.length; i++, at += 2) W[i] = halfToFloat(view.getUint16(at, true));
      var b = new Float32Array(nOut);
      for (var k = 0; k < nOut; k++, at += 2) b[k] = halfToFloat(view.getUint16(at, true));
      return { nIn: nIn, nOut: nOut, W: W, b: b, activation: layer.activation };
    });
    if (at !== buffer.byteLength) throw new Error("the model file has the wrong length");
    return { header: header, layers: layers };
  }

  // a = f(W^T a_prev + b) layer by layer: relu, then softmax at the end. x has 784 values.
  function predict(model, x) {
    var a = Float64Array.from(x);
    model.layers.forEach(function (layer) {
      var z = new Float64Array(layer.nOut);
      for (var k = 0; k < layer.nOut; k++) z[k] = layer.b[k];
      for (var j = 0; j < layer.nIn; j++) {
        var aj = a[j];
        if (aj === 0) continue; // most pixels and many hidden units are 0
        var row = j * layer.nOut;
        for (var k2 = 0; k2 < layer.nOut; k2++) z[k2] += aj * layer.W[row + k2];
      }
      if (layer.activation === "relu") {
        for (var k3 = 0; k3 < z.length; k3++) if (z[k3] < 0) z[k3] = 0;
      } else {
        var top = -Infinity, total = 0;
        for (var k4 = 0; k4 < z.length; k4++) top = Math.max(top, z[k4]);
        for (var k5 = 0; k5 < z.length; k5++) total += z[k5] = Math.exp(z[k5] - top);
        for (var k6 = 0; k6 < z.length; k6++) z[k6] /= total;
      }
      a = z;
    });
    return a;
  }

  var modelPromise = null;
  function loadModel() {
    if (!modelPromise) {
      modelPromise = fetch(MODEL_URL)
        .then(function (response) {
          if (!response.ok) throw new Error("HTTP " + response.status);
          return response.arrayBuffer();
        })
        .then(parseModel);
    }
    return modelPromise;
  }

  function element(tag, className, parent, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function Widget(root) {
    var self = this;
    root.innerHTML = "";
    var pad = element("div", "mnist-widget-pad", root);
    this.canvas = element("canvas", "mnist-widget-canvas", pad);
    this.canvas.width = this.canvas.height = CANVAS;
    this.canvas.setAttribute("aria-label", "Draw a digit here");
    var controls = element("div", "mnist-widget-controls", pad);
    this.clearButton = element("button", "mnist-widget-clear", controls, "Clear");
    this.clearButton.type = "button";
    this.message = element("p", "mnist-widget-message", controls);
    var seen = element("div", "mnist-widget-seen", root);
    element("p", "mnist-widget-caption", seen, "What the network reads (28x28)");
    this.preview = element("canvas", "mnist-widget-preview", seen);
    this.preview.width = this.preview.height = FIELD;
    var bars = element("div", "mnist-widget-bars", root);
    this.bars = [];
    for (var d = 0; d < 10; d++) {
      var row = element("div", "mnist-widget-bar", bars);
      element("span", "mnist-widget-digit", row, String(d));
      var track = element("span", "mnist-widget-track", row);
      var fill = element("span", "mnist-widget-fill", track);
      var value = element("span", "mnist-widget-value", row, "");
      this.bars.push({ row: row, fill: fill, value: value });
    }
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    this.model = null;
    this.last = null;
    this.pending = false;
    this.drawing = false;
    this.point = null;

    this.canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      self.canvas.setPointerCapture(event.pointerId);
      self.drawing = true;
      self.point = self.position(event);
      self.ctx.beginPath();
      self.ctx.arc(self.point[0], self.point[1], PEN / 2, 0, 2 * Math.PI);
      self.ctx.fill();
      self.schedule();
    });
    this.canvas.addEventListener("pointermove", function (event) {
      if (!self.drawing) return;
      event.preventDefault();
      var next = self.position(event);
      self.ctx.beginPath();
      self.ctx.moveTo(self.point[0], self.point[1]);
      self.ctx.lineTo(next[0], next[1]);
      self.ctx.stroke();
      self.point = next;
      self.schedule();
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      self.canvas.addEventListener(name, function () {
        self.drawing = false;
        self.schedule();
      });
    });
    this.clearButton.addEventListener("click", function () {
      self.clear();
    });
    this.clear();
    this.say("Loading the network…");
    loadModel().then(
      function (model) {
        self.model = model;
        self.update();
      },
      function (error) {
        self.say("The network could not be loaded (" + error.message + ").");
      }
    );
  }

  Widget.prototype.position = function (event) {
    var rect = this.canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * CANVAS) / rect.width,
      ((event.clientY - rect.top) * CANVAS) / rect.height,
    ];
  };

  Widget.prototype.say = function (text) {
    this.message.textContent = text;
  };

  Widget.prototype.clear = function () {
    this.ctx.clearRect(0, 0, CANVAS, CANVAS);
    this.ctx.lineWidth = PEN;
    this.ctx.lineCap = "round";
    this.ctx.lineJoin = "round";
    this.ctx.strokeStyle = this.ctx.fillStyle = "#000";
    this.update();
  };

  Widget.prototype.schedule = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    window.requestAnimationFrame(function () {
      self.pending = false;
      self.update();
    });
  };

  // The ink of the canvas: alpha / 255, row-major (the strokes are black on transparent).
  Widget.prototype.ink = function () {
    var rgba = this.ctx.getImageData(0, 0, CANVAS, CANVAS).data;
    var gray = new Float64Array(CANVAS * CANVAS);
    for (var i = 0; i < gray.length; i++) gray[i] = rgba[4 * i + 3] / 255;
    return gray;
  };

  // Read the canvas, preprocess, predict, show. Returns what it showed; never throws.
  Widget.prototype.update = function () {
    var result;
    try {
      result = preprocess(this.ink(), CANVAS, CANVAS);
      if (!result.error && this.model) result.probabilities = predict(this.model, result.image);
    } catch (error) {
      result = { error: "failed", message: "Something went wrong: " + error.message };
    }
    this.last = result;
    this.show(result);
    return result;
  };

  Widget.prototype.show = function (result) {
    var pixels = this.preview.getContext("2d");
    var picture = pixels.createImageData(FIELD, FIELD);
    for (var i = 0; i < FIELD * FIELD; i++) {
      var level = result.image ? 255 - Math.round(255 * result.image[i]) : 255;
      picture.data[4 * i] = picture.data[4 * i + 1] = picture.data[4 * i + 2] = level;
      picture.data[4 * i + 3] = 255;
    }
    pixels.putImageData(picture, 0, 0);
    var p = result.probabilities;
    var best = p ? p.indexOf(Math.max.apply(null, p)) : -1;
    this.bars.forEach(function (bar, d) {
      var share = p ? p[d] : 0;
      bar.fill.style.width = (100 * share).toFixed(1) + "%";
      bar.value.textContent = p ? (100 * share).toFixed(1) + " %" : "";
      bar.row.classList.toggle("mnist-widget-best", d === best);
    });
    if (result.error) this.say(result.message);
    else if (!p) this.say("Loading the network…");
    else this.say("The network reads a " + best + " (" + (100 * p[best]).toFixed(1) + " %).");
  };

  function start() {
    var roots = document.querySelectorAll(".mnist-widget");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].mnistWidget) roots[i].mnistWidget = new Widget(roots[i]);
    }
  }

  window.MnistWidget = {
    MODEL_URL: MODEL_URL,
    CANVAS: CANVAS,
    preprocess: preprocess,
    predict: predict,
    parseModel: parseModel,
    loadModel: loadModel,
    start: start,
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
