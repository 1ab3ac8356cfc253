"""Reference vectors for the studio's Euler and Euler ancestral schedulers.

An independent re-derivation, written from the published formulas (Karras et al. 2022 /
k-diffusion's Euler and Euler-ancestral samplers, as documented for diffusers'
EulerDiscreteScheduler and EulerAncestralDiscreteScheduler), in the same number formats those
classes use: betas, alphas_cumprod, training sigmas and every per-step quantity in float32
torch tensors; timesteps built with numpy (float64, then float32); sigmas read at each
timestep with np.interp (float64) and stored as float32.

Run with Debian's torch (fixtures only, never a runtime dependency of the studio):
    apt-get install python3-torch python3-numpy
    /usr/bin/python3 euler_reference.py > euler-reference.json
"""
import json

import numpy as np
import torch

T = 1000


def betas(schedule, start, end):
    if schedule == "linear":
        return torch.linspace(start, end, T, dtype=torch.float32)
    if schedule == "scaled_linear":
        return torch.linspace(start ** 0.5, end ** 0.5, T, dtype=torch.float32) ** 2
    raise ValueError(schedule)


def timesteps_for(spacing, n, steps_offset):
    if spacing == "linspace":
        return np.linspace(0, T - 1, n, dtype=np.float32)[::-1].copy()
    if spacing == "leading":
        ratio = T // n
        return (np.arange(0, n) * ratio).round()[::-1].copy().astype(np.float32) + steps_offset
    if spacing == "trailing":
        return np.arange(T, 0, -T / n).round().astype(np.float32) - 1
    raise ValueError(spacing)


def schedule(cfg, n):
    abar = torch.cumprod(1.0 - betas(cfg["beta_schedule"], cfg["beta_start"], cfg["beta_end"]), dim=0)
    training = (((1 - abar) / abar) ** 0.5).numpy()
    ts = timesteps_for(cfg["spacing"], n, cfg["steps_offset"])
    sig = np.interp(ts, np.arange(0, len(training)), training)
    sig = torch.from_numpy(np.concatenate([sig, [0.0]]).astype(np.float32))
    smax = sig.max()
    init = smax if cfg["spacing"] in ("linspace", "trailing") else (smax ** 2 + 1) ** 0.5
    return ts, sig, float(init)


def x0_of(pred, x, out, s):
    if pred == "epsilon":
        return x - s * out
    return out * (-s / (s ** 2 + 1) ** 0.5) + x / (s ** 2 + 1)


def euler_step(pred, sig, i, x, out):
    s = sig[i]
    x0 = x0_of(pred, x, out, s)
    d = (x - x0) / s
    return x + d * (sig[i + 1] - s)


def ancestral_step(pred, sig, i, x, out, noise):
    s_from, s_to = sig[i], sig[i + 1]
    up = (s_to ** 2 * (s_from ** 2 - s_to ** 2) / s_from ** 2) ** 0.5
    down = (s_to ** 2 - up ** 2) ** 0.5
    x0 = x0_of(pred, x, out, s_from)
    d = (x - x0) / s_from
    return x + d * (down - s_from) + noise * up


SD2 = dict(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012, steps_offset=1)
LINEAR = dict(beta_schedule="linear", beta_start=0.0001, beta_end=0.02, steps_offset=0)
CONFIGS = []
for spacing in ("trailing", "leading", "linspace"):
    for pred in ("epsilon", "v_prediction"):
        CONFIGS.append(dict(SD2, spacing=spacing, prediction_type=pred, name=f"sd2-{spacing}-{pred}"))
CONFIGS.append(dict(LINEAR, spacing="linspace", prediction_type="epsilon", name="linear-linspace-epsilon"))

x = torch.tensor([1.0, -0.5, 0.25, 2.0, -3.0, 0.0], dtype=torch.float32)
out = torch.tensor([0.3, -0.7, 1.1, 0.0, 0.45, -1.25], dtype=torch.float32)
noise = torch.tensor([-0.2, 0.5, 0.9, 1.4, -1.1, 0.05], dtype=torch.float32)

cases = []
for cfg in CONFIGS:
    for n in (1, 2, 3, 4, 8, 25):
        ts, sig, init = schedule(cfg, n)
        steps = sorted({0, n // 2, n - 1})
        x_in = x * init
        cases.append(dict(
            config=cfg["name"], spacing=cfg["spacing"], prediction_type=cfg["prediction_type"],
            beta_schedule=cfg["beta_schedule"], beta_start=cfg["beta_start"], beta_end=cfg["beta_end"],
            steps_offset=cfg["steps_offset"], steps=n,
            timesteps=[float(t) for t in ts], sigmas=[float(s) for s in sig], init_noise_sigma=init,
            model_input=[[float(v) for v in (x_in / ((sig[i] ** 2 + 1) ** 0.5))] for i in steps],
            step_index=steps,
            euler=[[float(v) for v in euler_step(cfg["prediction_type"], sig, i, x_in, out)] for i in steps],
            ancestral=[[float(v) for v in ancestral_step(cfg["prediction_type"], sig, i, x_in, out, noise)] for i in steps],
        ))

print(json.dumps(dict(
    provenance="euler_reference.py with torch " + torch.__version__ + ", numpy " + np.__version__,
    sample=[float(v) for v in x], model_output=[float(v) for v in out], noise=[float(v) for v in noise],
    note="sample is multiplied by init_noise_sigma before every listed step",
    cases=cases), indent=1))
