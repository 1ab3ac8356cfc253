import * as ort from 'onnxruntime-node';
import { adapterLabel, cudaBinariesPresent, probeGpuAdapter, type AdapterProbe, type GpuAdapterInfo } from './gpu-adapter';
import type { ProviderName, ProviderStatus } from './types';

export type ConcreteProvider = Exclude<ProviderName, 'auto'>;

/** ONNX Runtime's graph optimisation levels. */
export const GRAPH_OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;

export interface SessionSettings {
  provider: ProviderName;
  /** ONNX Runtime graph optimisation level; 'all' unless debugging an export. */
  graphOptimizationLevel?: (typeof GRAPH_OPTIMIZATION_LEVELS)[number];
  /** Threads inside one operator; 0 lets ONNX Runtime decide (all cores). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
}

/**
 * What `auto` tries, best first, per platform; the CPU provider is always the last resort.
 * CUDA leads on NVIDIA when onnxruntime-node's CUDA binaries were downloaded: it is ONNX
 * Runtime's most tuned path for SD (≈ 22 ms per CFG step on an A100 in its published figures);
 * the WebGPU EP's figure on the same GPU is pending (`npm run bench:gpu` needs a GPU machine).
 * WebGPU comes next because it is bundled (Dawn over Vulkan/D3D12/Metal) and runs on NVIDIA, AMD
 * and Intel alike, where the alternative is the CPU. On Windows DirectML
 * and on macOS CoreML keep the place they had before WebGPU existed here; their order against
 * WebGPU waits for `npm run bench:gpu` on those machines (see README, "GPU setup").
 * A software adapter (SwiftShader, WARP, llvmpipe) is never picked by `auto`: measured here, it
 * is slower than the CPU provider (README, "GPU setup").
 */
export const AUTO_ORDER: Readonly<Partial<Record<NodeJS.Platform, readonly ConcreteProvider[]>>> = {
  linux: ['cuda', 'webgpu', 'cpu'],
  win32: ['cuda', 'dml', 'webgpu', 'cpu'],
  darwin: ['coreml', 'webgpu', 'cpu'],
};

export const PROVIDER_LABEL: Record<ConcreteProvider, string> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'CoreML',
  webgpu: 'WebGPU',
};

/** Why a provider cannot even be tried on this platform, or undefined if it can. */
export function platformRefusal(provider: ConcreteProvider, platform: NodeJS.Platform): string | undefined {
  if (provider === 'cpu') return undefined;
  if (provider === 'cuda' && platform !== 'linux' && platform !== 'win32') {
    return `CUDA is not available on ${platform}`;
  }
  if (provider === 'dml' && platform !== 'win32') return `DirectML is only available on Windows (this is ${platform})`;
  if (provider === 'coreml' && platform !== 'darwin') return `CoreML is only available on macOS (this is ${platform})`;
  if (provider === 'webgpu' && platform !== 'linux' && platform !== 'win32' && platform !== 'darwin') {
    return `WebGPU is only bundled with onnxruntime-node on Linux, Windows and macOS (this is ${platform})`;
  }
  return undefined;
}

/** Providers to try, best first; the CPU provider is always the last resort. */
export function providerCandidates(requested: ProviderName, platform: NodeJS.Platform = process.platform): ConcreteProvider[] {
  if (requested === 'cpu') return ['cpu'];
  if (requested === 'auto') return [...(AUTO_ORDER[platform] ?? ['cpu'])];
  return [requested, 'cpu'];
}

const CUDA_NOT_INSTALLED =
  "onnxruntime-node's CUDA binaries are not installed (they are a separate download: reinstall onnxruntime-node without ONNXRUNTIME_NODE_INSTALL=skip on a machine with CUDA 12 and cuDNN 9)";

/** Turn ONNX Runtime's provider failure into a sentence a user can act on. */
export function explainProviderFailure(provider: ConcreteProvider, message: string, adapterReason?: string): string {
  const label = PROVIDER_LABEL[provider];
  if (provider === 'cuda' && /Failed to load (shared )?librar/i.test(message)) {
    return `${label} provider could not be loaded: onnxruntime-node's CUDA binaries are not installed (installed with ONNXRUNTIME_NODE_INSTALL=skip?) or CUDA 12 / cuDNN 9 are missing. Reinstall onnxruntime-node without the skip switch on a machine with CUDA 12.`;
  }
  if (provider === 'webgpu' && /WebGPU adapter|No supported adapters/i.test(message)) {
    return `${label} provider found no GPU adapter: ${adapterReason ?? 'no usable GPU adapter found; to fix, install or update the GPU driver (Linux: its Vulkan driver)'}`;
  }
  if (/backend not found|no available backend/i.test(message)) {
    return `${label} provider is not included in this onnxruntime-node build`;
  }
  return `${label} provider failed: ${firstLine(message)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** The facts provider selection depends on, injectable so every platform can be tested anywhere. */
export interface ProviderEnvironment {
  readonly platform: NodeJS.Platform;
  /** Whether onnxruntime-node's CUDA provider library is installed. */
  cudaBinaries(): boolean;
  /** The GPU adapter WebGPU would get (probed once per process). */
  probeAdapter(): Promise<AdapterProbe>;
}

export const hostEnvironment: ProviderEnvironment = {
  platform: process.platform,
  cudaBinaries: () => cudaBinariesPresent(),
  probeAdapter: () => probeGpuAdapter(),
};

export interface SessionFactory {
  (path: string, options: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession>;
}

// ONNX Runtime logs provider-probe failures (e.g. a missing CUDA library) as errors on stderr
// before we can catch them; we report the reason ourselves, once, in words a user can act on.
ort.env.logLevel = 'fatal';

const defaultFactory: SessionFactory = (path, options) => ort.InferenceSession.create(path, options);

/**
 * Chooses the execution provider once per model: the first session decides, the rest of the
 * model's sessions use the same provider so that one model never runs on two devices.
 */
export class ProviderSelector {
  private chosen?: ConcreteProvider;
  /** Why each provider before the chosen one was passed over, "CUDA: …". */
  private reasons: string[] = [];
  private adapter?: GpuAdapterInfo;
  private readonly env: ProviderEnvironment;

  constructor(
    private readonly settings: SessionSettings,
    env: Partial<ProviderEnvironment> & { platform?: NodeJS.Platform } = {},
    private readonly factory: SessionFactory = defaultFactory,
  ) {
    this.env = { ...hostEnvironment, ...env };
  }

  get status(): ProviderStatus {
    const active = this.chosen ?? 'cpu';
    const requested = this.settings.provider;
    const adapter = this.adapter ? { adapter: this.adapter } : {};
    if (requested === 'auto') return { requested, active, fallbackReason: undefined, choice: this.describeChoice(active), ...adapter };
    const fellBack = requested !== 'cpu' && requested !== active;
    return { requested, active, fallbackReason: fellBack ? this.reasons.join('; ') || undefined : undefined, ...adapter };
  }

  /** auto's account of its pick: what it runs on and why the better ones were passed over. */
  private describeChoice(active: ConcreteProvider): string {
    const why = this.reasons.length ? ` (${this.reasons.join('; ')})` : '';
    if (active === 'webgpu' && this.adapter) return `WebGPU on ${adapterLabel(this.adapter)}${why}`;
    if (active === 'cpu') {
      const gpu = this.adapter && !this.adapter.software;
      return `${gpu ? 'The GPU could not be used' : 'No GPU found'}, running on the CPU${why}`;
    }
    return `${PROVIDER_LABEL[active]}${why}`;
  }

  private sessionOptions(provider: ConcreteProvider): ort.InferenceSession.SessionOptions {
    return {
      executionProviders: [provider],
      graphOptimizationLevel: this.settings.graphOptimizationLevel ?? 'all',
      intraOpNumThreads: this.settings.intraOpNumThreads ?? 0,
      interOpNumThreads: this.settings.interOpNumThreads ?? 0,
      // Provider probing fails loudly inside ONNX Runtime; we report the reason ourselves.
      logSeverityLevel: 3,
    };
  }

  /**
   * Why auto passes over a provider without trying it (absent binaries, no or a software
   * GPU adapter), or undefined to try it. A provider the user chose is always tried.
   */
  private async autoSkip(provider: ConcreteProvider): Promise<string | undefined> {
    if (provider === 'cuda' && !this.env.cudaBinaries()) return CUDA_NOT_INSTALLED;
    if (provider !== 'webgpu') return undefined;
    const probe = await this.env.probeAdapter();
    if (!probe.found) return probe.reason;
    if (probe.adapter.software) {
      return `the only GPU adapter is ${adapterLabel(probe.adapter)}, a CPU emulation that is slower than the CPU provider`;
    }
    return undefined;
  }

  /** Create a session, falling back through the candidates; model errors are rethrown. */
  async create(path: string): Promise<ort.InferenceSession> {
    if (this.chosen) return this.factory(path, this.sessionOptions(this.chosen));
    const auto = this.settings.provider === 'auto';
    const candidates = providerCandidates(this.settings.provider, this.env.platform);
    let lastError: unknown;
    for (const provider of candidates) {
      const refusal = platformRefusal(provider, this.env.platform);
      if (refusal) {
        this.reasons.push(refusal);
        continue;
      }
      let probe: AdapterProbe | undefined;
      if (provider === 'webgpu') {
        probe = await this.env.probeAdapter();
        if (probe.found) this.adapter = probe.adapter;
      }
      const skip = auto && provider !== 'cpu' ? await this.autoSkip(provider) : undefined;
      if (skip) {
        this.reasons.push(`${PROVIDER_LABEL[provider]}: ${skip}`);
        continue;
      }
      try {
        const session = await this.factory(path, this.sessionOptions(provider));
        this.chosen = provider;
        return session;
      } catch (error) {
        lastError = error;
        const message = error instanceof Error ? error.message : String(error);
        if (provider === 'cpu' || !isProviderFailure(message)) throw error;
        this.reasons.push(explainProviderFailure(provider, message, probe && !probe.found ? probe.reason : undefined));
      }
    }
    throw lastError ?? new Error('no execution provider available');
  }

  /**
   * The model turned out unable to run on the chosen provider after its first session loaded
   * (an fp16 UNet on an adapter without shader-f16): every session from now on uses the CPU,
   * and the reason is kept. The caller reloads the sessions it already made.
   */
  fallBackToCpu(reason: string): void {
    if (this.chosen === 'cpu') return;
    this.reasons.push(reason);
    this.chosen = 'cpu';
  }
}

/**
 * Why an fp16 model must not run on the active provider, found from its first session: the
 * WebGPU EP compiles f16 shaders only on adapters with `shader-f16`; without it every run fails
 * ("Program Cast requires f16 but the device does not support it"). Undefined when it can run.
 */
export function fp16Refusal(status: ProviderStatus, inputs: readonly { type: string }[]): string | undefined {
  if (status.active !== 'webgpu' || !status.adapter || status.adapter.shaderF16) return undefined;
  if (!inputs.some((io) => io.type === 'float16')) return undefined;
  return `WebGPU: this is an fp16 model and ${adapterLabel(status.adapter)} has no shader-f16 (16-bit floats in shaders), so it runs on the CPU; use the fp32 export of the model on this GPU, or update the GPU driver (shader-f16 needs Vulkan's shaderFloat16 / D3D12 SM 6.2 / Metal on Apple GPUs)`;
}

/** Distinguish "this provider cannot run here" from "this model is broken". */
export function isProviderFailure(message: string): boolean {
  return /AppendExecutionProvider|Failed to load (shared )?librar|backend not found|no available backend|adapter|CUDA|cuDNN|DirectML|CoreML|WebGPU|Dawn/i.test(
    message,
  );
}
