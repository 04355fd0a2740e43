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
import io
import json
import os
import struct
import zlib

import numpy as np

FORMATS = ("ml3-spark-learned-loss-v2", "ml3-spark-learned-loss-v1")
_MAX_HEADER = 100 * 1024 * 1024
_FILE_CRC_FIELD = b'"file-crc32":"'
_CHUNK = 1 << 20


class LearnedLossFileError(ValueError):
    """A file that is not a valid learned-loss file; the message (one line) names the file and the problem."""


def _fail(source, problem):
    raise LearnedLossFileError(f"{source}: {' '.join(str(problem).split())}")


def _read_safetensors(fh, size, source):
    """Tensors and metadata of an open file of `size` bytes: the header is read and checked first
    (every tensor's range against the bytes the file holds), then the data is read in chunks for
    its checksums and only the tensors are kept, so nothing the file merely claims is allocated."""
    if size < 8:
        _fail(source, f"{size} bytes, too short for a safetensors header")
    (n,) = struct.unpack("<Q", fh.read(8))
    if n <= 0 or n > min(_MAX_HEADER, size - 8):
        _fail(source, f"header of {n} bytes claimed, {size - 8} present")
    raw_header = fh.read(n)
    try:
        header = json.loads(raw_header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        _fail(source, f"unreadable JSON header: {e}")
    if not isinstance(header, dict):
        _fail(source, "the header is not a JSON object")
    meta = header.pop("__metadata__", {}) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        _fail(source, "__metadata__ is not an object of strings")
    body_size = size - 8 - n
    ranges = {}
    for name, t in header.items():
        if not isinstance(t, dict):
            _fail(source, f"tensor '{name}' is not described by an object")
        if t.get("dtype") != "F64":
            _fail(source, f"tensor '{name}' has dtype {t.get('dtype')}, expected F64")
        shape, offsets = t.get("shape"), t.get("data_offsets")
        if not isinstance(shape, list) or not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < 2 ** 31
                                                  for d in shape):
            _fail(source, f"tensor '{name}' has shape {shape} (dimensions must be integers in [0, 2^31))")
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)):
            _fail(source, f"tensor '{name}' has data_offsets {offsets}")
        count = 1
        for d in shape:
            count *= d
        begin, end = offsets
        if not (0 <= begin <= end <= body_size) or end - begin != 8 * count:
            _fail(source, f"tensor '{name}' [{begin}, {end}) does not hold shape {shape} within {body_size} data bytes")
        ranges[name] = (begin, count, shape)
    if "crc32" not in meta:
        _fail(source, "no crc32 in its metadata")
    file_crc_at = -1
    if "file-crc32" in meta:
        first = raw_header.find(_FILE_CRC_FIELD)
        if first < 0 or raw_header.find(_FILE_CRC_FIELD, first + 1) >= 0 or first + len(_FILE_CRC_FIELD) + 10 > n:
            _fail(source, "the file-crc32 field is not written as one 10-digit string")
        file_crc_at = first + len(_FILE_CRC_FIELD)
    header_as_summed = raw_header if file_crc_at < 0 else (
        raw_header[:file_crc_at] + b"0000000000" + raw_header[file_crc_at + 10:])
    file_crc = zlib.crc32(header_as_summed, zlib.crc32(struct.pack("<Q", n)))
    data_crc = 0
    tensors = {name: np.empty(count, dtype="<f8") for name, (begin, count, shape) in ranges.items()}
    position = 0
    while position < body_size:
        chunk = fh.read(min(_CHUNK, body_size - position))
        if not chunk:
            _fail(source, f"ends after {position} of its {body_size} data bytes")
        data_crc = zlib.crc32(chunk, data_crc)
        file_crc = zlib.crc32(chunk, file_crc)
        for name, (begin, count, shape) in ranges.items():
            lo, hi = max(begin, position), min(begin + 8 * count, position + len(chunk))
            if lo < hi:
                tensors[name].view(np.uint8)[lo - begin:hi - begin] = np.frombuffer(chunk, np.uint8)[lo - position:
                                                                                                      hi - position]
        position += len(chunk)
    if file_crc_at >= 0 and f"{file_crc:010d}" != meta["file-crc32"]:
        _fail(source, f"file checksum mismatch (CRC-32 {file_crc:010d}, header says {meta['file-crc32']}): "
                      "the file was changed or damaged after it was written")
    if str(data_crc) != meta["crc32"]:
        _fail(source, f"data checksum mismatch (CRC-32 {data_crc}, header says {meta['crc32']})")
    for name, (begin, count, shape) in ranges.items():
        values = tensors[name]
        if not np.all(np.isfinite(values)):
            _fail(source, f"tensor '{name}' holds values that are not finite (NaN or infinite)")
        tensors[name] = values.astype(np.float64).reshape(shape)
    return tensors, meta


_ACTIVATIONS = ("identity", "relu", "tanh", "sigmoid", "elu", "softplus")


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
        try:
            with open(path, "rb") as fh:
                return LearnedLossFile._parse(fh, os.fstat(fh.fileno()).st_size, str(path))
        except OSError as e:
            _fail(path, e.strerror or e)

    @staticmethod
    def parse(data, source="<bytes>"):
        return LearnedLossFile._parse(io.BytesIO(data), len(data), source)

    @staticmethod
    def _parse(fh, size, source):
        tensors, meta = _read_safetensors(fh, size, source)
        if meta.get("format") not in FORMATS:
            _fail(source, f"metadata format is '{meta.get('format')}', expected one of {FORMATS}")
        v2 = meta["format"] == FORMATS[0]
        try:
            layers = [int(v) for v in meta["layers"].strip("[]").split(",")]
            bias = meta["bias"] == "true"
            activation, output = meta["activation"], meta["output"]
        except (KeyError, ValueError) as e:
            _fail(source, f"bad architecture metadata: {e!r}")
        if len(layers) < 2 or min(layers) < 1:
            _fail(source, f"bad architecture metadata: layers {layers}")
        for a in (activation, output):
            if a not in _ACTIVATIONS:
                _fail(source, f"bad architecture metadata: unknown activation '{a}'")
        if "features" in meta:
            features = [tuple(f.split(":")) for f in meta["features"].split(",")]
            if not all(len(f) == 2 and f[1] in ("prediction", "target", "input") for f in features):
                _fail(source, f"bad features metadata '{meta['features']}'")
            per_class = meta.get("reduction") == "sum-over-classes-mean-over-samples"
        else:  # files written before features were named
            legacy = {"prediction_target": [("prediction", "prediction"), ("target", "target")],
                      "per_class": [("log_probability", "prediction"), ("target", "target")]}
            features = legacy.get(meta.get("input"))
            if features is None:
                _fail(source, f"legacy input '{meta.get('input')}' is not supported here")
            per_class = meta.get("input") == "per_class"
        weights, biases = [], []
        for i in range(len(layers) - 1):
            # v2: an nn.Sequential's state_dict, weight [out, in]; v1: layers.<i>.weight [in, out]
            name = f"{2 * i}.weight" if v2 else f"layers.{i}.weight"
            expected = [layers[i + 1], layers[i]] if v2 else [layers[i], layers[i + 1]]
            w = tensors.get(name)
            if w is None or list(w.shape) != expected:
                _fail(source, f"tensor '{name}' has shape {None if w is None else list(w.shape)}, "
                              f"the architecture needs {expected}")
            weights.append(w.T.copy() if v2 else w)
            if bias:
                name = f"{2 * i}.bias" if v2 else f"layers.{i}.bias"
                b = tensors.get(name)
                if b is None or b.size != layers[i + 1]:
                    _fail(source, f"tensor '{name}' does not hold {layers[i + 1]} values")
                biases.append(b.reshape(-1))
            else:
                biases.append(None)
        return LearnedLossFile(layers, activation, output, bias, features, per_class, weights, biases, meta)

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
