#!/usr/bin/env python3
"""MountainCar task loss over linear policies a = clip(k1 p + k2 v) (docs/experiments/mountain-car.md).

The reference policy 2 -> 200 -> 1 has no biases and no activation, so it is exactly such a
gain vector k = W1 W2. This prints, for a grid of gains, the meta-train task loss (mean
distance to the goal, the first 15 states to the intermediate goal) x 100, with '*' where the
rollout ends at the goal (p = 0.5). Same dynamics and clipping as MountainCar.java;
GainLandscapeTest recomputes the report's excerpt of this table with the Java car.
Usage: python3 docs/analysis/mountain_car_landscape.py
"""
import math

GOAL, INTERMEDIATE, INTERMEDIATE_STEPS, HORIZON = (0.5, 1.0375), (-0.947, -0.0055), 15, 35


def rollout(k1, k2):
    p, v = -0.55, 0.0
    states = [(p, v)]
    for _ in range(HORIZON):
        a = min(max(k1 * p + k2 * v, -0.25), 0.25)
        v_next = v + (-9.8 * 0.2 * math.cos(3 * p) + a / 0.2 - 0.3 * v) * 0.1
        p_next = p + v_next * 0.1
        v_next = min(max(v_next, -1.5), 1.5)
        p_next = min(max(p_next, -1.2), 0.5)
        if p_next <= -1.2 and v_next < 0:
            v_next = 0.0
        p, v = p_next, v_next
        states.append((p, v))
    return states


def task_loss(states):
    total = 0.0
    for t, (p, v) in enumerate(states):
        g = INTERMEDIATE if t < INTERMEDIATE_STEPS else GOAL
        total += math.hypot(p - g[0], v - g[1])
    return total / len(states)


if __name__ == "__main__":
    k2s = [x * 0.5 for x in range(-2, 21)]
    print("k1 \\ k2 " + " ".join(f"{k:5.1f}" for k in k2s))
    for k1 in [x * 0.25 for x in range(-4, 13)]:
        cells = []
        for k2 in k2s:
            s = rollout(k1, k2)
            cells.append(f"{round(100 * task_loss(s)):4d}{'*' if s[-1][0] >= 0.4999 else ' '}")
        print(f"{k1:7.2f} " + " ".join(cells))
