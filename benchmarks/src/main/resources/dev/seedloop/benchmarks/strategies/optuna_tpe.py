"""Optuna's TPE on Seedloop's benchmark functions, for ./seedloop bench strategies (StrategyBenchmark).

Reads one JSON request on stdin and writes one JSON answer on stdout. The Java side owns the protocol: it sends
each function's name and bounds, the seeds, the budget and, per run, the additive noise of every evaluation; this
script only minimises and reports what it evaluated. The Java side then re-evaluates every point with its own
definition of the function and refuses the run when a value differs, so the formulas below (written out a second
time, the one thing that cannot be shared with Java) are checked on every point of every run.

Request:  {"mode": "run", "evaluations": N, "workers": W,
           "runs": [{"function": NAME, "bounds": [[lo, hi], ...], "seed": S, "noise": [e_0, ..., e_N-1]}]}
          {"mode": "check", "points": [{"function": NAME, "x": [...]}]}
Answer:   {"version": VERSION, "runs": [{"function", "seed", "points": [[...]], "observed": [...]}]}
          {"values": [...]}
"""
import json
import math
import sys


def branin(x):
    b = 5.1 / (4 * math.pi * math.pi)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    term = x[1] - b * x[0] * x[0] + c * x[0] - 6
    return term * term + 10 * (1 - t) * math.cos(x[0]) + 10


_H_ALPHA = [1.0, 1.2, 3.0, 3.2]
_H_A = [[10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14]]
_H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = 0.0
        for j in range(6):
            d = x[j] - _H_P[i][j]
            inner += _H_A[i][j] * d * d
        total += _H_ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock(x):
    total = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1 - x[i]
        total += 100 * a * a + b * b
    return total


FUNCTIONS = {"Branin": branin, "Hartmann-6": hartmann6, "Rosenbrock-5": rosenbrock}


def one_run(run, evaluations):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.ERROR)
    f = FUNCTIONS[run["function"]]
    bounds = run["bounds"]
    noise = run["noise"]
    points, observed = [], []

    def objective(trial):
        x = [trial.suggest_float("x%d" % (i + 1), lo, hi) for i, (lo, hi) in enumerate(bounds)]
        value = f(x) + noise[trial.number]
        points.append(x)
        observed.append(value)
        return value

    # TPESampler with every default but the seed: the field's default configuration, not a tuned one.
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=run["seed"]))
    study.optimize(objective, n_trials=evaluations)
    return {"function": run["function"], "seed": run["seed"], "points": points, "observed": observed}


def _run_star(args):
    return one_run(*args)


def main():
    request = json.load(sys.stdin)
    if request["mode"] == "check":
        json.dump({"values": [FUNCTIONS[p["function"]](p["x"]) for p in request["points"]]}, sys.stdout)
        return
    import optuna

    jobs = [(run, request["evaluations"]) for run in request["runs"]]
    workers = max(1, int(request.get("workers", 1)))
    if workers == 1:
        runs = [_run_star(job) for job in jobs]
    else:
        from multiprocessing import Pool

        with Pool(workers) as pool:
            runs = pool.map(_run_star, jobs, chunksize=1)
    json.dump({"version": optuna.__version__, "runs": runs}, sys.stdout)


if __name__ == "__main__":
    main()
