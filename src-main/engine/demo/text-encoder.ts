import { GraphBuilder } from '../onnx/graph-builder';
import type { ClipVocabulary } from './clip-vocabulary';
import { DEMO_HIDDEN_SIZE, tokenEmbedding, tokenWeight } from './prior';

/**
 * Demo text encoder: input_ids int32 [batch, sequence] → last_hidden_state [batch, sequence, D]
 * and pooler_output [batch, D]. Every position carries the same prompt vector: the weighted sum
 * of the token embeddings divided by √(Σ weight²) (at least 1), so the prompt's strength does
 * not fade with its length, and BOS/EOS/pad contribute nothing (the empty prompt gives zero).
 * Everything downstream is linear in this vector, so mixing two embeddings mixes the prompts.
 */
export function buildDemoTextEncoder(vocabulary: ClipVocabulary): GraphBuilder {
  const D = DEMO_HIDDEN_SIZE;
  const V = vocabulary.tokens.length;
  const g = new GraphBuilder('demo_text_encoder');
  g.input('input_ids', 'int32', ['batch', 'sequence']);
  g.output('last_hidden_state', 'float32', ['batch', 'sequence', D]);
  g.output('pooler_output', 'float32', ['batch', D]);

  const table = new Float32Array(V * D);
  const squaredWeights = new Float32Array(V);
  const isSpecial = (id: number) => id === vocabulary.bosId || id === vocabulary.eosId;
  vocabulary.tokens.forEach((token, id) => {
    table.set(tokenEmbedding(token, isSpecial(id)), id * D);
    squaredWeights[id] = tokenWeight(token, isSpecial(id)) ** 2;
  });
  const embeddings = g.op('Gather', [g.initializer('token_embedding', table, [V, D]), 'input_ids']); // [B, S, D]
  const weights = g.op('Gather', [g.initializer('token_weight_squared', squaredWeights, [V]), 'input_ids']); // [B, S]
  const sum = g.op('ReduceSum', [embeddings, g.constInt64([1])], { keepdims: 1 }); // [B, 1, D]
  const norm = g.op('Sqrt', [g.op('Max', [g.op('ReduceSum', [weights, g.constInt64([1])], { keepdims: 1 }), g.constFloat(1)])]); // [B, 1]
  const pooled = g.op('Div', [sum, g.op('Unsqueeze', [norm, g.constInt64([2])])]); // [B, 1, D]
  g.node('Expand', [pooled, g.op('Shape', [embeddings])], ['last_hidden_state']);
  g.node('Squeeze', [pooled, g.constInt64([1])], ['pooler_output']);
  return g;
}
