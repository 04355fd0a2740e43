"""Checks ml3_loss.py against values the Java side computed (see PythonLossModuleTest).

usage: python3 check_against_java.py FIXTURE_DIR

FIXTURE_DIR holds, per case, NAME.safetensors (a learned-loss file) and NAME.json with
prediction, target, input (or null), the per-sample losses, the loss and its gradient with
respect to the prediction, as the Java engine computed them. Prints one line per backend
("numpy: N cases agree", "torch 1.13.0: N cases agree" or "torch: absent") and exits 1 on
the first disagreement.
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ml3_loss import LearnedLossFile  # noqa: E402


def close(what, expected, actual, tol):
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(expected))))
    err = float(np.max(np.abs(expected - actual))) / scale
    if not err <= tol:
        print(f"{what}: error {err:.3g} exceeds {tol:g}\nexpected {expected.ravel()[:6]}\nactual   {actual.ravel()[:6]}")
        sys.exit(1)


def main(folder):
    cases = sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".json"))
    if not cases:
        print(f"no cases in {folder}")
        sys.exit(1)
    loaded = []
    for name in cases:
        with open(os.path.join(folder, name + ".json")) as fh:
            case = json.load(fh)
        loaded.append((name, LearnedLossFile.read(os.path.join(folder, name + ".safetensors")), case))
    for name, f, c in loaded:
        close(name + " numpy per-sample", c["per_sample"], f.numpy_per_sample(c["prediction"], c["target"], c["input"]),
              1e-12)
        close(name + " numpy loss", c["loss"], f.numpy_loss(c["prediction"], c["target"], c["input"]), 1e-12)
        if f.phi_sha256() != c["phi_sha256"]:
            print(f"{name}: phi SHA-256 {f.phi_sha256()}, Java says {c['phi_sha256']}")
            sys.exit(1)
    print(f"numpy: {len(loaded)} cases agree")
    try:
        import torch
    except ImportError:
        print("torch: absent")
        return
    for name, f, c in loaded:
        module = f.torch_module()
        prediction = torch.tensor(c["prediction"], dtype=torch.float64, requires_grad=True)
        inp = None if c["input"] is None else torch.tensor(c["input"], dtype=torch.float64)
        loss = module(prediction, torch.tensor(c["target"], dtype=torch.float64), inp)
        loss.backward()
        close(name + " torch loss", c["loss"], loss.item(), 1e-12)
        close(name + " torch gradient", c["gradient"], prediction.grad.numpy(), 1e-10)
    print(f"torch {torch.__version__}: {len(loaded)} cases agree")


if __name__ == "__main__":
    main(sys.argv[1])
