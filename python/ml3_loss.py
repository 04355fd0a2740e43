"""Learned losses of ml3-spark, in Python: read a learned-loss file, evaluate it with numpy, or
build a torch.nn.Module that computes exactly what the Java side computes.

    from ml3_loss import LearnedLossFile
    loss_file = LearnedLossFile.read("runs/sine/learned-loss.safetensors")
    value = loss_file.numpy_loss(prediction, target)            # numpy, float64
    module = loss_file.torch_module()                           # needs torch
    loss = module(prediction, target)                           # differentiable

Version 2 files are the state_dict of an nn.Sequential of nn.Linear and activation modules
(metadata `sequential` spells them); version 1 files still load.

Semantics (README, "Use a learned loss elsewhere"): the per-sample inputs are the file's
`features`, in column order; consecutive features of one source (prediction, target, input)
take that source's columns. A per-class loss (reduction sum-over-classes-mean-over-samples)
feeds each class's (prediction, target) pair as a row of its own and sums over the classes.
The network is x @ W.T + b per layer (W [out, in] as nn.Linear holds it), the hidden activation after every
layer but the last, the output activation after the last. The loss is the mean over samples.

Only the standard library and numpy are needed; torch only for torch_module().
"""
import json
import struct
import zlib

import numpy as np

FORMATS = ("ml3-spark-learned-loss-v2", "ml3-spark-learned-loss-v1")
_MAX_HEADER = 100 * 1024 * 1024


class LearnedLossFileError(ValueError):
    """A file that is not a valid learned-loss file; the message names the file and the problem."""


def _read_safetensors(data, source):
    if len(data) < 8:
        raise LearnedLossFileError(f"{source}: {len(data)} bytes, too short for a safetensors header")
    (n,) = struct.unpack("<Q", data[:8])
    if n > min(_MAX_HEADER, len(data) - 8):
        raise LearnedLossFileError(f"{source}: header of {n} bytes claimed, {len(data) - 8} present")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    body = data[8 + n:]
    if "crc32" in meta and int(meta["crc32"]) != zlib.crc32(body):
        raise LearnedLossFileError(f"{source}: data section fails its crc32")
    tensors = {}
    for name, t in header.items():
        if t.get("dtype") != "F64":
            raise LearnedLossFileError(f"{source}: tensor '{name}' has dtype {t.get('dtype')}, expected F64")
        begin, end = t["data_offsets"]
        shape = [int(d) for d in t["shape"]]
        count = int(np.prod(shape)) if shape else 1
        if not (0 <= begin <= end <= len(body)) or end - begin != 8 * count:
            raise LearnedLossFileError(f"{source}: tensor '{name}' [{begin}, {end}) does not hold shape {shape}")
        tensors[name] = np.frombuffer(body, dtype="<f8", count=count, offset=begin).reshape(shape).copy()
    return tensors, meta


def _activation_numpy(name, x):
    if name == "identity":
        return x
    if name == "relu":
        return np.where(x > 0, x, 0.0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "elu":
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0.0)))
    if name == "softplus":
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))
    raise LearnedLossFileError(f"unknown activation '{name}'")


class LearnedLossFile:
    """A learned loss as its file describes it: architecture, features, reduction and phi."""

    def __init__(self, layers, activation, output, bias, features, per_class, weights, biases, metadata):
        self.layers = layers
        self.activation = activation
        self.output = output
        self.bias = bias
        self.features = features          # [(name, source)], source in prediction/target/input
        self.per_class = per_class
        self.weights = weights            # [in, out] each, float64
        self.biases = biases              # [out] each, or None
        self.metadata = metadata

    @staticmethod
    def read(path):
        with open(path, "rb") as fh:
            return LearnedLossFile.parse(fh.read(), str(path))

    @staticmethod
    def parse(data, source="<bytes>"):
        tensors, meta = _read_safetensors(data, source)
        if meta.get("format") not in FORMATS:
            raise LearnedLossFileError(f"{source}: metadata format is '{meta.get('format')}', expected one of {FORMATS}")
        v2 = meta["format"] == FORMATS[0]
        layers = [int(v) for v in meta["layers"].strip("[]").split(",")]
        bias = meta["bias"] == "true"
        if "features" in meta:
            features = [tuple(f.split(":")) for f in meta["features"].split(",")]
            per_class = meta.get("reduction") == "sum-over-classes-mean-over-samples"
        else:  # files written before features were named
            legacy = {"prediction_target": [("prediction", "prediction"), ("target", "target")],
                      "per_class": [("log_probability", "prediction"), ("target", "target")]}
            features = legacy.get(meta.get("input"))
            if features is None:
                raise LearnedLossFileError(f"{source}: legacy input '{meta.get('input')}' is not supported here")
            per_class = meta.get("input") == "per_class"
        weights, biases = [], []
        for i in range(len(layers) - 1):
            # v2: an nn.Sequential's state_dict, weight [out, in]; v1: layers.<i>.weight [in, out]
            name = f"{2 * i}.weight" if v2 else f"layers.{i}.weight"
            expected = [layers[i + 1], layers[i]] if v2 else [layers[i], layers[i + 1]]
            w = tensors.get(name)
            if w is None or list(w.shape) != expected:
                raise LearnedLossFileError(f"{source}: tensor '{name}' has shape "
                                           f"{None if w is None else list(w.shape)}, the architecture needs {expected}")
            weights.append(w.T.copy() if v2 else w)
            if bias:
                name = f"{2 * i}.bias" if v2 else f"layers.{i}.bias"
                b = tensors.get(name)
                if b is None or b.size != layers[i + 1]:
                    raise LearnedLossFileError(f"{source}: tensor '{name}' does not hold {layers[i + 1]} values")
                biases.append(b.reshape(-1))
            else:
                biases.append(None)
        if not all(np.all(np.isfinite(w)) for w in weights):
            raise LearnedLossFileError(f"{source}: parameters are not finite")
        return LearnedLossFile(layers, meta["activation"], meta["output"], bias, features, per_class, weights,
                               biases, meta)

    # ----- the per-sample inputs -----
    def _columns(self, prediction, target, input):
        sources = {"prediction": prediction, "target": target, "input": input}
        parts, i = [], 0
        while i < len(self.features):
            source = self.features[i][1]
            j = i
            while j < len(self.features) and self.features[j][1] == source:
                j += 1
            part = sources[source]
            if part is None:
                raise ValueError(f"the loss's features {[f[0] for f in self.features]} need the {source}")
            parts.append((part, j - i, source))
            i = j
        return parts

    def numpy_per_sample(self, prediction, target, input=None):
        """Each sample's loss, shape [N], in float64."""
        parts = []
        for part, width, source in self._columns(prediction, target, input):
            a = np.asarray(part, dtype=np.float64)
            a = a.reshape(a.shape[0], -1)
            n = a.shape[0]
            if self.per_class:
                a = a.reshape(-1, 1)
            if a.shape[1] != width:
                raise ValueError(f"the {source} has {a.shape[1]} columns, the loss's features need {width}")
            parts.append(a)
        h = np.concatenate(parts, axis=1)
        for k, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ w
            if b is not None:
                h = h + b
            h = _activation_numpy(self.output if k == len(self.weights) - 1 else self.activation, h)
        return h.reshape(n, -1).sum(axis=1)

    def numpy_loss(self, prediction, target, input=None):
        """The loss of a batch: the mean over its samples."""
        return float(self.numpy_per_sample(prediction, target, input).mean())

    def phi_sha256(self):
        """SHA-256 (hex) of phi as ml3-spark orders it: per layer W [in, out] row-major, then b, float64
        little-endian; for a version 1 file, the SHA-256 of its data section (docs/experiments/baselines.md)."""
        import hashlib

        h = hashlib.sha256()
        for w, b in zip(self.weights, self.biases):
            h.update(np.ascontiguousarray(w, dtype="<f8").tobytes())
            if b is not None:
                h.update(np.ascontiguousarray(b, dtype="<f8").tobytes())
        return h.hexdigest()

    def torch_module(self, dtype=None):
        """A torch.nn.Module computing the same loss; its parameters are phi (float64 unless dtype says)."""
        import torch

        return _torch_module_class()(self, dtype or torch.float64)


def _torch_module_class():
    import torch

    activations = {"identity": lambda x: x, "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
                   "elu": torch.nn.functional.elu, "softplus": torch.nn.functional.softplus}

    class TorchLearnedLoss(torch.nn.Module):
        """M_phi as an nn.Module: forward(prediction, target, input=None) -> the mean over samples."""

        def __init__(self, f, dtype):
            super().__init__()
            self.file = f
            self.linears = torch.nn.ModuleList()
            for w, b in zip(f.weights, f.biases):
                lin = torch.nn.Linear(w.shape[0], w.shape[1], bias=b is not None).to(dtype)
                with torch.no_grad():
                    lin.weight.copy_(torch.from_numpy(w.T.copy()))
                    if b is not None:
                        lin.bias.copy_(torch.from_numpy(b))
                self.linears.append(lin)
            self.hidden = activations[f.activation]
            self.output = activations[f.output]
            self.dtype = dtype

        def per_sample(self, prediction, target, input=None):
            parts = []
            n = None
            for part, width, source in self.file._columns(prediction, target, input):
                a = torch.as_tensor(part, dtype=self.dtype)
                a = a.reshape(a.shape[0], -1)
                n = a.shape[0]
                if self.file.per_class:
                    a = a.reshape(-1, 1)
                if a.shape[1] != width:
                    raise ValueError(f"the {source} has {a.shape[1]} columns, the loss's features need {width}")
                parts.append(a)
            h = torch.cat(parts, dim=1)
            for k, lin in enumerate(self.linears):
                h = lin(h)
                h = self.output(h) if k == len(self.linears) - 1 else self.hidden(h)
            return h.reshape(n, -1).sum(dim=1)

        def forward(self, prediction, target, input=None):
            return self.per_sample(prediction, target, input).mean()

    return TorchLearnedLoss


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "phi-sha256":
        sys.exit("usage: python3 ml3_loss.py phi-sha256 LEARNED_LOSS_FILE")
    print(LearnedLossFile.read(sys.argv[2]).phi_sha256())
