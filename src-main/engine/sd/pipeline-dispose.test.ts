import { describe, expect, it } from 'vitest';
import { isCancelled } from '../errors';
import { loadDemoPipelines } from '../testing/demo-pipelines';

describe('pipeline dispose with work in flight', () => {
  it('waits for a run inside ONNX Runtime before releasing its sessions, and refuses runs after', async () => {
    const { sd, inpaint } = await loadDemoPipelines();
    await inpaint.dispose();
    // A run still inside ONNX Runtime when the engine shuts down (a cancelled job's sibling task).
    const running = sd.encodePrompt('a lighthouse in a storm');
    const disposed = sd.dispose();
    const embedding = await running;
    expect(embedding).toBeDefined();
    await disposed;
    // Nothing may start on a released session (that aborts the process from native code).
    const late = await sd.encodePrompt('another prompt').catch((e: unknown) => e);
    expect(isCancelled(late)).toBe(true);
  });
});
