"""The JavaScript convolution (explore/static/explore/math/convolution.js) against the package.

This test writes two sets of fixtures and runs ``tests/js/convolution.test.mjs`` on them:

* ``scratch.convolution`` in float64: ``convolve2d`` with each padding (valid, same, an int),
  stride (1 to 3), kernel shape (square, oblong, even) and a bias; ``max_pool2d`` with windows
  and strides; ``output_size``; ``receptive_fields`` of the chapter's CNN. Tolerance 1e-12,
  relative to the larger of 1 and the value (only the order of the additions differs).
* Keras in float32: ``build_cnn`` (the chapter's network, smaller) with random weights and
  BatchNormalization statistics, its every layer's output on three images; the JS
  ``cnn_forward`` (float64 on the float32 weights) must match to 1e-5 relative to the larger
  of 1 and the value (Keras' float32 roundings, a few ulps of float32 per addition).
"""

from __future__ import annotations

import json

import numpy as np
from jsrun import run_node

from mnist_lessons.scratch.convolution import (
    convolve2d,
    max_pool2d,
    output_size,
    receptive_fields,
)


def flat(a) -> dict:
    a = np.asarray(a, dtype=float)
    return {"shape": list(a.shape), "values": a.ravel().tolist()}


def scratch_fixtures() -> dict:
    rng = np.random.default_rng(15)
    x = rng.normal(size=(9, 11))
    convolutions = []
    for k_shape in [(3, 3), (2, 3), (4, 4), (1, 1)]:
        K = rng.normal(size=k_shape)
        for padding in ["valid", "same", 1, 2]:
            for stride in [1, 2, 3]:
                bias = float(rng.normal())
                z = convolve2d(x, K, padding=padding, stride=stride, bias=bias)
                convolutions.append(
                    {
                        "K": flat(K),
                        "padding": padding,
                        "stride": stride,
                        "bias": bias,
                        "z": flat(z),
                    }
                )
    pools = []
    for size, stride in [(2, None), (3, None), (2, 1), (3, 2)]:
        y = max_pool2d(x, size, stride=stride)
        pools.append({"size": size, "stride": stride, "y": flat(y)})
    sizes = [
        {"n": n, "k": k, "stride": s, "padding": p, "out": output_size(n, k, stride=s, padding=p)}
        for n in (2, 5, 14, 28)
        for k in (1, 2, 3, 5)
        for s in (1, 2, 3)
        for p in ("valid", "same", 1)
        if n + (2 * p if isinstance(p, int) else 0 if p == "valid" else k) >= k
    ]
    stack = [
        ("conv_1", 3, 1, "same"),
        ("pool_1", 2, 2, "valid"),
        ("conv_2", 3, 1, "same"),
        ("pool_2", 2, 2, "valid"),
        ("conv_3", 3, 1, "same"),
        ("pool_3", 2, 2, "valid"),
    ]
    fields = [f._asdict() for f in receptive_fields(stack, 28)]
    return {
        "x": flat(x),
        "convolutions": convolutions,
        "pools": pools,
        "sizes": sizes,
        "stack": stack,
        "fields": fields,
    }


def keras_fixtures() -> dict:
    from mnist_lessons.models import build_cnn, keras

    keras.utils.set_random_seed(7)
    model = build_cnn(filters=(4, 6, 5), dense_units=12)
    rng = np.random.default_rng(8)
    weights = {}
    for i in (1, 2, 3):
        bn = model.get_layer(f"batchnorm_{i}")
        n = bn.get_weights()[0].shape[0]
        gamma, beta = rng.normal(1, 0.3, n), rng.normal(0, 0.3, n)
        mean, variance = rng.normal(0, 0.5, n), rng.uniform(0.2, 2, n)
        bn.set_weights([a.astype(np.float32) for a in (gamma, beta, mean, variance)])
        weights.update(
            {
                f"conv_{i}": model.get_layer(f"conv_{i}").get_weights()[0],
                f"gamma_{i}": gamma,
                f"beta_{i}": beta,
                f"mean_{i}": mean,
                f"variance_{i}": variance,
            }
        )
        weights["epsilon"] = bn.epsilon
    dense, out = model.get_layer("dense"), model.get_layer("probabilities")
    weights["dense_kernel"], weights["dense_bias"] = dense.get_weights()
    weights["out_kernel"], weights["out_bias"] = out.get_weights()
    dense.set_weights([weights["dense_kernel"], rng.normal(0, 0.1, 12).astype(np.float32)])
    weights["dense_bias"] = dense.get_weights()[1]
    weights = {
        k: (v if isinstance(v, float) else flat(np.asarray(v, dtype=np.float32)))
        for k, v in weights.items()
    }
    images = rng.random((3, 28, 28)).astype(np.float32)
    images[0, :5] = 0  # blank rows, as a digit's
    names = [f"{kind}_{i}" for i in (1, 2, 3) for kind in ("conv", "batchnorm", "relu", "pool")]
    names += ["dense", "probabilities"]
    probe = keras.Model(model.input, [model.get_layer(name).output for name in names])
    outputs = probe.predict(images[..., None], verbose=0)
    return {
        "weights": weights,
        "images": [flat(x) for x in images],
        "layers": {
            name: [flat(out[j]) for j in range(len(images))]
            for name, out in zip(names, outputs, strict=True)
        },
    }


def test_js_convolution_matches_scratch_and_keras(tmp_path):
    (tmp_path / "convolution.json").write_text(json.dumps(scratch_fixtures()))
    (tmp_path / "convolution_keras.json").write_text(json.dumps(keras_fixtures()))
    run_node("tests/js/convolution.test.mjs", tmp_path)
