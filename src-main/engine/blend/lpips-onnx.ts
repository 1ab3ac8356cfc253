/**
 * LPIPS through an ONNX export: two inputs [1, 3, S, S] with pixels in [−1, 1] (the LPIPS
 * convention), one output whose mean is the distance. Images are area-resized to S×S first
 * (default 256) so cost does not grow with the render size.
 */
import type * as ort from 'onnxruntime-node';
import type { RgbImage } from '../image';
import { EngineError } from '../errors';
import { areaResize, type PerceptualMetric } from './perceptual-metric';

export class OnnxLpipsMetric implements PerceptualMetric {
  readonly name = 'lpips';

  private constructor(
    private readonly ortModule: typeof ort,
    private readonly session: ort.InferenceSession,
    private readonly inputs: readonly [string, string],
    private readonly size: number,
  ) {}

  static async load(modelPath: string, options: { size?: number } = {}): Promise<OnnxLpipsMetric> {
    const ortModule = (await import('onnxruntime-node')) as typeof ort;
    let session: ort.InferenceSession;
    try {
      session = await ortModule.InferenceSession.create(modelPath);
    } catch (error) {
      throw new EngineError('MODEL_NOT_ONNX', `The LPIPS model ${modelPath} could not be loaded: ${(error as Error).message}`, {
        file: modelPath,
        hint: 'Remove lpips/model.onnx to use the built-in metric, or replace it with a valid LPIPS ONNX export.',
        cause: error,
      });
    }
    if (session.inputNames.length !== 2 || session.outputNames.length < 1) {
      throw new EngineError('MODEL_BAD_IO', `The LPIPS model ${modelPath} must take two image inputs and give a distance; it has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}].`, { file: modelPath });
    }
    return new OnnxLpipsMetric(ortModule, session, [session.inputNames[0], session.inputNames[1]], options.size ?? 256);
  }

  async distance(a: RgbImage, b: RgbImage): Promise<number> {
    const feeds: Record<string, ort.Tensor> = {
      [this.inputs[0]]: this.toInput(a),
      [this.inputs[1]]: this.toInput(b),
    };
    const result = await this.session.run(feeds);
    const out = result[this.session.outputNames[0]].data as Float32Array;
    let sum = 0;
    for (const v of out) sum += v;
    return sum / out.length;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }

  private toInput(image: RgbImage): ort.Tensor {
    const S = this.size;
    const hwc = areaResize(image, S, S);
    const chw = new Float32Array(3 * S * S);
    for (let p = 0; p < S * S; p++) for (let c = 0; c < 3; c++) chw[c * S * S + p] = (hwc[p * 3 + c] / 255) * 2 - 1;
    return new this.ortModule.Tensor('float32', chw, [1, 3, S, S]);
  }
}
