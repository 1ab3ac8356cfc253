import type { GraphBuilder } from '../onnx/graph-builder';

/** Shared graph fragments of the demo networks. */

/** Dimension `axis` of a Shape output as a float32 scalar. */
export function dimAsFloat(g: GraphBuilder, shape: string, axis: number): string {
  return g.op('Cast', [g.op('Gather', [shape, g.constInt64(axis)])], { to: 1 });
}

/**
 * The first K orthonormal DCT-II vectors of an axis of (runtime) length N, as an [N, K] matrix:
 * U[n, k] = c_k·cos(π(n+½)k/N), c_0 = √(1/N), c_k = √(2/N). Built in the graph so any latent
 * size works.
 */
export function dctBasis(g: GraphBuilder, sizeFloat: string, K: number): string {
  const positions = g.op('Range', [g.constFloat(0.5), g.op('Add', [sizeFloat, g.constFloat(0.5)]), g.constFloat(1)]);
  const column = g.op('Unsqueeze', [positions, g.constInt64([1])]); // [N, 1]
  const frequencies = g.constFloat(
    Array.from({ length: K }, (_, k) => Math.PI * k),
    [1, K],
  );
  const angles = g.op('Div', [g.op('Mul', [column, frequencies]), sizeFloat]);
  const norms = g.constFloat(
    Array.from({ length: K }, (_, k) => (k === 0 ? 1 : Math.SQRT2)),
    [1, K],
  );
  return g.op('Mul', [g.op('Cos', [angles]), g.op('Div', [norms, g.op('Sqrt', [sizeFloat])])]);
}

export function transpose2d(g: GraphBuilder, matrix: string): string {
  return g.op('Transpose', [matrix], { perm: [1, 0] });
}
