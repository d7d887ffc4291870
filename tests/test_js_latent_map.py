"""The decoder of the latent-map explorable (book/autoencoders), in Node, against Keras.

``makeDecoder`` in ``explorables/latent-map.js`` runs build_autoencoder's decoder (2 -> 256
relu -> 784 sigmoid) with ``math/network.js`` on weights laid out as the chapter exports them
(the book's W, shape (n_out, n_in)). Here Keras' decoder, with its own random initial weights
and random biases, decodes codes across and beyond the chapter's map; the JavaScript (float64
on the same float32 weights) must match to 1e-5 per pixel.
"""

from __future__ import annotations

import numpy as np
from jsrun import run_node, write_fixture

from mnist_lessons.models import build_autoencoder, keras


def test_the_page_decoder_matches_keras(tmp_path):
    rng = np.random.default_rng(15)
    keras.utils.set_random_seed(15)
    decoder = build_autoencoder(hidden_units=(256,), latent_dim=2).get_layer("decoder")
    kernel_1, b_1, kernel_2, b_2 = decoder.get_weights()
    b_1 = rng.normal(0, 0.5, b_1.shape).astype(np.float32)
    b_2 = rng.normal(0, 0.5, b_2.shape).astype(np.float32)
    decoder.set_weights([kernel_1, b_1, kernel_2, b_2])
    codes = rng.normal(0, 15, (12, 2)).astype(np.float32)  # (12, 2)
    x_hat = decoder.predict(codes, verbose=0)  # (12, 784)
    assert x_hat.std() > 0.1 and x_hat.min() < 0.05 and x_hat.max() > 0.95  # not all grey
    write_fixture(
        tmp_path,
        "latent_map",
        {
            "W_1": kernel_1.T,  # (256, 2), as the chapter exports it
            "b_1": b_1,
            "W_2": kernel_2.T,  # (784, 256)
            "b_2": b_2,
            "codes": codes,
            "x_hat": x_hat,
        },
    )
    run_node("tests/js/latent-map.test.mjs", tmp_path)
