import * as ort from 'onnxruntime-node';
import type { ProviderName, ProviderStatus } from './types';

export type ConcreteProvider = Exclude<ProviderName, 'auto'>;

export interface SessionSettings {
  provider: ProviderName;
  /** ONNX Runtime graph optimisation level; 'all' unless debugging an export. */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Threads inside one operator; 0 lets ONNX Runtime decide (all cores). */
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
}

const PLATFORM_PROVIDER: Record<string, ConcreteProvider | undefined> = {
  linux: 'cuda',
  win32: 'dml',
  darwin: 'coreml',
};

const PROVIDER_LABEL: Record<ConcreteProvider, string> = {
  cpu: 'CPU',
  cuda: 'CUDA',
  dml: 'DirectML',
  coreml: 'CoreML',
};

/** Why a provider cannot even be tried on this platform, or undefined if it can. */
export function platformRefusal(provider: ConcreteProvider, platform: NodeJS.Platform): string | undefined {
  if (provider === 'cpu') return undefined;
  if (provider === 'cuda' && platform !== 'linux' && platform !== 'win32') {
    return `CUDA is not available on ${platform}`;
  }
  if (provider === 'dml' && platform !== 'win32') return `DirectML is only available on Windows (this is ${platform})`;
  if (provider === 'coreml' && platform !== 'darwin') return `CoreML is only available on macOS (this is ${platform})`;
  return undefined;
}

/** Providers to try, best first; the CPU provider is always the last resort. */
export function providerCandidates(requested: ProviderName, platform: NodeJS.Platform = process.platform): ConcreteProvider[] {
  if (requested === 'cpu') return ['cpu'];
  if (requested === 'auto') {
    const preferred = PLATFORM_PROVIDER[platform];
    return preferred ? [preferred, 'cpu'] : ['cpu'];
  }
  return [requested, 'cpu'];
}

/** Turn ONNX Runtime's provider failure into a sentence a user can act on. */
export function explainProviderFailure(provider: ConcreteProvider, message: string): string {
  const label = PROVIDER_LABEL[provider];
  if (provider === 'cuda' && /Failed to load (shared )?librar/i.test(message)) {
    return `${label} provider could not be loaded: onnxruntime-node's CUDA binaries are not installed (installed with ONNXRUNTIME_NODE_INSTALL=skip?) or CUDA 12 / cuDNN 9 are missing. Reinstall onnxruntime-node without the skip switch on a machine with CUDA 12.`;
  }
  if (/backend not found|no available backend/i.test(message)) {
    return `${label} provider is not included in this onnxruntime-node build`;
  }
  return `${label} provider failed: ${firstLine(message)}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

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
  private reasons: string[] = [];

  constructor(
    private readonly settings: SessionSettings,
    private readonly platform: NodeJS.Platform = process.platform,
    private readonly factory: SessionFactory = defaultFactory,
  ) {}

  get status(): ProviderStatus {
    const active = this.chosen ?? 'cpu';
    const requested = this.settings.provider;
    const fellBack = requested !== 'cpu' && requested !== active;
    return { requested, active, fallbackReason: fellBack ? this.reasons.join('; ') || undefined : undefined };
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

  /** Create a session, falling back through the candidates; model errors are rethrown. */
  async create(path: string): Promise<ort.InferenceSession> {
    if (this.chosen) return this.factory(path, this.sessionOptions(this.chosen));
    const candidates = providerCandidates(this.settings.provider, this.platform);
    let lastError: unknown;
    for (const provider of candidates) {
      const refusal = platformRefusal(provider, this.platform);
      if (refusal) {
        this.reasons.push(refusal);
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
        this.reasons.push(explainProviderFailure(provider, message));
      }
    }
    throw lastError ?? new Error('no execution provider available');
  }
}

/** Distinguish "this provider cannot run here" from "this model is broken". */
export function isProviderFailure(message: string): boolean {
  return /AppendExecutionProvider|Failed to load (shared )?librar|backend not found|no available backend|adapter|CUDA|cuDNN|DirectML|CoreML/i.test(
    message,
  );
}
