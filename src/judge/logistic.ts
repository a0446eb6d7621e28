/**
 * Logistic regression: the whole of kotae's learned judgement. Small on purpose: a few
 * explainable features per decision, weights a reviewer can read in `weights.json`, and a
 * fit that is deterministic (Newton's method from zero), so
 * `npm run train` reproduces the committed weights exactly.
 */
import { z } from 'zod';

export const LogisticModel = z.object({
  /** Feature names, in the order of `weights`. */
  features: z.array(z.string()).min(1),
  weights: z.array(z.number()),
  bias: z.number(),
  /** Per-feature standardisation learned with the weights (x - mean) / scale. */
  mean: z.array(z.number()),
  scale: z.array(z.number()),
});
export type LogisticModel = z.infer<typeof LogisticModel>;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The model's linear score (log-odds) for one feature vector (named, so order mistakes cannot happen). */
export function linear(model: LogisticModel, x: Readonly<Record<string, number>>): number {
  let z = model.bias;
  model.features.forEach((name, i) => {
    const v = x[name];
    if (v === undefined || !Number.isFinite(v)) throw new Error(`feature "${name}" missing or not finite`);
    z += (model.weights[i] ?? 0) * ((v - (model.mean[i] ?? 0)) / (model.scale[i] ?? 1));
  });
  return z;
}

/** Probability of the positive class for one feature vector. */
export function predict(model: LogisticModel, x: Readonly<Record<string, number>>): number {
  return sigmoid(linear(model, x));
}

export interface FitOptions {
  /** L2 penalty on the weights (not the bias): keeps weights small where data is thin. */
  l2?: number;
  /** Newton steps; the loss is convex, so a few dozen reach the optimum. */
  iterations?: number;
  /** Per-example weights (e.g. to give each question the same say, however many candidates it has). */
  sampleWeights?: number[];
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small: one row per feature). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]?.[c] ?? 0) > Math.abs(M[pivot]?.[c] ?? 0)) pivot = r;
    [M[c], M[pivot]] = [M[pivot] as number[], M[c] as number[]];
    const pr = M[c] as number[];
    const pv = pr[c] ?? 0;
    if (Math.abs(pv) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = M[r] as number[];
      const f = (row[c] ?? 0) / pv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) row[k] = (row[k] ?? 0) - f * (pr[k] ?? 0);
    }
  }
  return M.map((row, i) => {
    const pv = row[i] ?? 0;
    return Math.abs(pv) < 1e-12 ? 0 : (row[n] ?? 0) / pv;
  });
}

/** Mean and spread of each feature, and the standardised vector of a row. */
function standardise(features: string[], rows: Array<Record<string, number>>): { mean: number[]; scale: number[]; z: (row: Record<string, number>) => number[] } {
  const n = rows.length;
  const mean = features.map((f) => rows.reduce((s, r) => s + (r[f] ?? 0), 0) / n);
  const scale = features.map((f, j) => {
    const sd = Math.sqrt(rows.reduce((s, r) => s + ((r[f] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / n);
    return sd > 1e-9 ? sd : 1;
  });
  return { mean, scale, z: (row) => features.map((f, j) => ((row[f] ?? 0) - (mean[j] ?? 0)) / (scale[j] ?? 1)) };
}

/**
 * Damped Newton's method on a convex loss plus (l2 / 2)·|β|² over the `penalised` coordinates.
 * `derivatives` adds the data term's gradient and (upper triangle of the) Hessian at β into
 * `g` and `H`; a step is halved until the loss goes down (a full step can overshoot).
 */
function newton(
  dim: number,
  options: { l2: number; iterations: number; penalised: (j: number) => boolean },
  loss: (beta: number[]) => number,
  derivatives: (beta: number[], g: number[], H: number[][]) => void,
): number[] {
  const { l2, iterations, penalised } = options;
  const penalty = (b: number[]): number => (l2 / 2) * b.reduce((a, v, j) => a + (penalised(j) ? v * v : 0), 0);
  let beta = new Array<number>(dim).fill(0);
  let current = loss(beta) + penalty(beta);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(dim).fill(0);
    const H = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
    derivatives(beta, g, H);
    for (let j = 0; j < dim; j++) {
      const Hj = H[j] as number[];
      for (let k = 0; k < j; k++) Hj[k] = (H[k] as number[])[j] ?? 0;
      if (penalised(j)) {
        g[j] = (g[j] ?? 0) + l2 * (beta[j] ?? 0);
        Hj[j] = (Hj[j] ?? 0) + l2;
      }
    }
    const step = solve(H, g);
    let t = 1;
    let next = beta.map((b, j) => b - t * (step[j] ?? 0));
    let value = loss(next) + penalty(next);
    while (value > current && t > 1e-6) {
      t /= 2;
      next = beta.map((b, j) => b - t * (step[j] ?? 0));
      value = loss(next) + penalty(next);
    }
    const moved = Math.max(...next.map((b, j) => Math.abs(b - (beta[j] ?? 0))));
    beta = next;
    current = value;
    if (moved < 1e-8) break;
  }
  return beta;
}

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

/**
 * Fits by Newton's method (iteratively reweighted least squares) on the mean weighted
 * log-loss plus an L2 penalty: exact, fast for a few dozen features, and deterministic.
 */
export function fit(features: string[], rows: Array<Record<string, number>>, labels: number[], options: FitOptions = {}): LogisticModel {
  const { l2 = 0.01, iterations = 30 } = options;
  const n = rows.length;
  if (n === 0 || labels.length !== n) throw new Error('fit needs as many labels as rows, and at least one');
  const d = features.length;
  const { mean, scale, z } = standardise(features, rows);
  // Standardised features plus a constant 1 for the bias (last coordinate, not penalised).
  const Z = rows.map((r) => [...z(r), 1]);
  const sw = options.sampleWeights ?? rows.map(() => 1);
  const total = sw.reduce((a, b) => a + b, 0);
  const linear = (zi: number[], b: number[]): number => zi.reduce((s, v, j) => s + v * (b[j] ?? 0), 0);
  const beta = newton(
    d + 1,
    { l2, iterations, penalised: (j) => j < d },
    (b) => Z.reduce((l, zi, i) => {
      const p = sigmoid(linear(zi, b));
      const y = labels[i] ?? 0;
      return l - ((sw[i] ?? 1) / total) * (y * Math.log(Math.max(1e-300, p)) + (1 - y) * Math.log(Math.max(1e-300, 1 - p)));
    }, 0),
    (b, g, H) => {
      Z.forEach((zi, i) => {
        const p = sigmoid(linear(zi, b));
        const w = (sw[i] ?? 1) / total;
        const err = (p - (labels[i] ?? 0)) * w;
        const curv = p * (1 - p) * w;
        for (let j = 0; j <= d; j++) {
          g[j] = (g[j] ?? 0) + err * (zi[j] ?? 0);
          const Hj = H[j] as number[];
          for (let k = j; k <= d; k++) Hj[k] = (Hj[k] ?? 0) + curv * (zi[j] ?? 0) * (zi[k] ?? 0);
        }
      });
    },
  );
  return { features, weights: beta.slice(0, d).map(round), bias: round(beta[d] ?? 0), mean: mean.map(round), scale: scale.map(round) };
}

/**
 * Platt scaling folded into the model: P = sigmoid(a·logit + c) fitted on held-out logits and
 * their labels, then the model's weights scaled by a and its bias moved, so the model predicts
 * calibrated probabilities by itself. An L2 penalty shrinks a model's scores towards the base
 * rate (too unsure where it is mostly right, too sure where it is often wrong); held-out logits
 * say by how much. Left as it is when the held-out logits do not rank the labels (a ≤ 0).
 */
export function recalibrate(model: LogisticModel, logits: number[], labels: number[]): LogisticModel {
  const platt = fit(['z'], logits.map((z) => ({ z })), labels, { l2: 0.001 });
  const a = (platt.weights[0] ?? 0) / (platt.scale[0] ?? 1);
  if (!(a > 0)) return model;
  const c = platt.bias - a * (platt.mean[0] ?? 0);
  return { ...model, weights: model.weights.map((w) => round(w * a)), bias: round(model.bias * a + c) };
}

export interface RankGroup {
  rows: Array<Record<string, number>>;
  /** 1 for the rows that answer, 0 otherwise; a group without a 1 is skipped. */
  labels: number[];
}

export interface RankOptions {
  l2?: number;
  iterations?: number;
}

const softmax = (s: number[]): number[] => {
  const max = Math.max(...s);
  const e = s.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, c) => a + c, 0);
  return e.map((v) => v / sum);
};

/** Mean of the rows under weights p (summing to 1). */
const weightedMean = (Z: number[][], p: number[], d: number): number[] => {
  const m = new Array<number>(d).fill(0);
  Z.forEach((zi, i) => zi.forEach((v, j) => (m[j] = (m[j] ?? 0) + (p[i] ?? 0) * v)));
  return m;
};

/** Adds w · Σ_i p_i (z_i − m)(z_i − m)ᵀ (upper triangle) to H: the softmax's curvature. */
function addCovariance(H: number[][], Z: number[][], p: number[], m: number[], w: number): void {
  const d = m.length;
  Z.forEach((zi, i) => {
    const pi = (p[i] ?? 0) * w;
    if (pi === 0) return;
    for (let j = 0; j < d; j++) {
      const dj = (zi[j] ?? 0) - (m[j] ?? 0);
      const Hj = H[j] as number[];
      for (let k = j; k < d; k++) Hj[k] = (Hj[k] ?? 0) + pi * dj * ((zi[k] ?? 0) - (m[k] ?? 0));
    }
  });
}

/** One question's loss from its rows' scores: the mean negative log-share of its answering rows. */
function questionLoss(s: number[], positive: boolean[]): number {
  const pi = softmax(s);
  return -pi.reduce((a, p, i) => a + (positive[i] ? Math.log(Math.max(1e-300, p)) : 0), 0) / positive.filter(Boolean).length;
}

/** A ranker's mean loss per question (groups without an answering row skipped): how well it ranks questions it was not fitted on. */
export function rankLoss(model: LogisticModel, groups: RankGroup[]): number {
  const used = groups.filter((g) => g.labels.some((l) => l === 1));
  const total = used.reduce((sum, g) => sum + questionLoss(g.rows.map((r) => linear(model, r)), g.labels.map((l) => l === 1)), 0);
  return used.length === 0 ? 0 : total / used.length;
}

/**
 * Fits a conditional logit ranker: within each question, P(row i is an answer) =
 * softmax(w·x)_i, maximising the mean log-share of the answering rows, each question with the
 * same say however many candidates it has (Newton's method, L2 on the weights). It learns to
 * order the rows of one question, which a pointwise classifier over all rows of all questions
 * does not: most rows are easy negatives, and what matters is beating the near misses of the
 * same question.
 */
export function fitRanker(features: string[], groups: RankGroup[], options: RankOptions = {}): LogisticModel {
  const { l2 = 0.01, iterations = 30 } = options;
  const all = groups.flatMap((g) => g.rows);
  const d = features.length;
  if (all.length === 0) throw new Error('fitRanker needs rows');
  const { mean, scale, z } = standardise(features, all);
  const used = groups.filter((g) => g.labels.some((l) => l === 1)).map((g) => ({ Z: g.rows.map(z), positive: g.labels.map((l) => l === 1) }));
  if (used.length === 0) throw new Error('fitRanker needs a group with an answering row');
  const w = 1 / used.length;
  const scores = (Z: number[][], b: number[]): number[] => Z.map((row) => row.reduce((acc, v, j) => acc + v * (b[j] ?? 0), 0));
  const beta = newton(
    d,
    { l2, iterations, penalised: () => true },
    (b) => used.reduce((l, group) => l + w * questionLoss(scores(group.Z, b), group.positive), 0),
    (b, g, H) => {
      for (const { Z, positive } of used) {
        const pi = softmax(scores(Z, b));
        const m = weightedMean(Z, pi, d);
        // The target distribution over the rows: each answering row alike.
        const n = positive.filter(Boolean).length;
        const t = weightedMean(Z, positive.map((isPos) => (isPos ? 1 / n : 0)), d);
        for (let j = 0; j < d; j++) g[j] = (g[j] ?? 0) + w * ((m[j] ?? 0) - (t[j] ?? 0));
        addCovariance(H, Z, pi, m, w);
      }
    },
  );
  return { features, weights: beta.map(round), bias: 0, mean: mean.map(round), scale: scale.map(round) };
}
