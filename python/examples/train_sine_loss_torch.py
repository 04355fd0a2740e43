"""Meta-trains the sine-regression learned loss in plain PyTorch and saves its state_dict as
safetensors, in the layout of the official ML3 code (layers.0 2->50, layers.2 50->50, loss.0
50->1, ReLU, softplus output, no biases), for `./ml3 import-loss` to bring into ml3-spark.

usage: python3 train_sine_loss_torch.py OUT.safetensors [ITERATIONS] [SEED]

Settings as conf/sine-regression.conf: one task per iteration, amplitude 1, phase pi, inputs
U[-2, 2], 100 points, optimizee 1-100-10-1 ReLU (Xavier-uniform weights, zero biases), one
inner SGD step at lr 1e-3 on the learned loss, MSE after it as the task loss, Adam 1e-3 on phi.
Needs torch; writes the safetensors file with the standard library (no safetensors package).
"""
import json
import struct
import sys

import torch


class SineLoss(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(2, 50, bias=False), torch.nn.ReLU(),
                                          torch.nn.Linear(50, 50, bias=False), torch.nn.ReLU())
        self.loss = torch.nn.Sequential(torch.nn.Linear(50, 1, bias=False), torch.nn.Softplus())

    def forward(self, prediction, target):
        return self.loss(self.layers(torch.cat([prediction, target], dim=1))).mean()


def optimizee(gen):
    def xavier(out_features, in_features):
        a = (6.0 / (in_features + out_features)) ** 0.5
        return ((torch.rand(out_features, in_features, generator=gen) * 2 - 1) * a).requires_grad_()

    return [xavier(100, 1), torch.zeros(100, requires_grad=True), xavier(10, 100),
            torch.zeros(10, requires_grad=True), xavier(1, 10), torch.zeros(1, requires_grad=True)]


def forward(theta, x):
    h = torch.relu(x @ theta[0].T + theta[1])
    h = torch.relu(h @ theta[2].T + theta[3])
    return h @ theta[4].T + theta[5]


def save_safetensors(path, tensors):
    header, data, offset = {}, bytearray(), 0
    for name, t in tensors.items():
        raw = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(encoded)) + encoded + bytes(data))


def main(out, iterations=500, seed=0):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    loss = SineLoss().double()
    adam = torch.optim.Adam(loss.parameters(), lr=1e-3)
    for it in range(1, iterations + 1):
        x = (torch.rand(100, 1, generator=gen, dtype=torch.float64) * 4 - 2)
        y = torch.sin(x - torch.pi)
        theta = [p.double().detach().requires_grad_() for p in optimizee(gen)]
        inner = loss(forward(theta, x), y)
        grads = torch.autograd.grad(inner, theta, create_graph=True)
        adapted = [p - 1e-3 * g for p, g in zip(theta, grads)]
        task = torch.nn.functional.mse_loss(forward(adapted, x), y)
        adam.zero_grad()
        task.backward()
        adam.step()
        if it % 100 == 0:
            print(f"iteration {it}: task loss {task.item():.5f}", flush=True)
    save_safetensors(out, loss.state_dict())
    print(f"wrote {out}: {', '.join(f'{k} {list(v.shape)}' for k, v in loss.state_dict().items())}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 500, int(sys.argv[3]) if len(sys.argv) > 3 else 0)
