import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What the GPU behind ONNX Runtime's WebGPU execution provider is.
 *
 * onnxruntime-node's WebGPU EP (Dawn, built into libonnxruntime) exposes nothing about the
 * adapter it picked: `ort.env.webgpu` is empty in Node and even verbose logs name only a device
 * pointer. So we ask Dawn ourselves, through Dawn's own Node binding (the `webgpu` package), with
 * the same request ONNX Runtime makes (default backend, high-performance power preference). It
 * runs in a child process: a second Dawn inside the engine's thread would share its Vulkan loader
 * and a driver crash there would take the engine down.
 */
export interface GpuAdapterInfo {
  /** A readable device name, e.g. "NVIDIA H200" or "SwiftShader Device Subzero". */
  readonly name: string;
  /** The native API Dawn runs on: Vulkan (Linux), D3D12 (Windows), Metal (macOS). */
  readonly backend: string;
  readonly vendor: string;
  readonly architecture: string;
  /** Driver description as Dawn reports it. */
  readonly description: string;
  /** A CPU emulation of a GPU (SwiftShader, WARP, llvmpipe): slower than the CPU provider. */
  readonly software: boolean;
  /** WGSL `f16` support, which fp16 models need on the WebGPU EP. */
  readonly shaderF16: boolean;
}

export type AdapterProbe = { readonly found: true; readonly adapter: GpuAdapterInfo } | { readonly found: false; readonly reason: string };

/** Dawn's default backend per platform (ONNX Runtime asks for "backend type 0", the default). */
export function dawnBackend(platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'D3D12';
  if (platform === 'darwin') return 'Metal';
  return 'Vulkan';
}

const VENDOR_WORDS: Record<string, string> = {
  nvidia: 'NVIDIA',
  amd: 'AMD',
  ati: 'AMD',
  intel: 'Intel',
  apple: 'Apple',
  google: 'Google',
  microsoft: 'Microsoft',
  qualcomm: 'Qualcomm',
  arm: 'Arm',
  swiftshader: 'SwiftShader',
  geforce: 'GeForce',
  radeon: 'Radeon',
  llvmpipe: 'llvmpipe',
};

/** Dawn hands the device name back as a slug ("nvidia-h200"); make it readable ("NVIDIA H200"). */
export function readableDeviceName(device: string, description: string, vendor: string): string {
  if (/\s/.test(device.trim())) return device.trim();
  const words = device
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) => VENDOR_WORDS[w.toLowerCase()] ?? (/\d/.test(w) ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1)));
  if (words.length > 0) return words.join(' ');
  return description.trim() || VENDOR_WORDS[vendor.toLowerCase()] || vendor || 'unknown GPU adapter';
}

/** Raw facts from Dawn's GPUAdapter, as the probe prints them. */
export interface DawnAdapterFacts {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
  readonly features?: readonly string[];
}

export function adapterFromDawn(facts: DawnAdapterFacts, platform: NodeJS.Platform): GpuAdapterInfo {
  const vendor = facts.vendor ?? '';
  const architecture = facts.architecture ?? '';
  const description = facts.description ?? '';
  const device = facts.device ?? '';
  const software =
    facts.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|softpipe|basic render driver|\bwarp\b/i.test([architecture, device, description].join(' '));
  return {
    name: readableDeviceName(device, description, vendor),
    backend: dawnBackend(platform),
    vendor,
    architecture,
    description,
    software,
    shaderF16: (facts.features ?? []).includes('shader-f16'),
  };
}

/** "GPU: NVIDIA H200 · Vulkan" — the top bar's and the CLI's words for an adapter. */
export function adapterLabel(adapter: GpuAdapterInfo): string {
  return `${adapter.name}${adapter.software ? ' (software)' : ''} · ${adapter.backend}`;
}

/** Turn the probe's stderr (Dawn's adapter warnings) into a reason a user can act on. */
export function explainNoAdapter(stderr: string, platform: NodeJS.Platform): string {
  const dawn = stderr
    .split('\n')
    .map((l) => l.trim())
    // Wayland's complaint about XDG_RUNTIME_DIR is noise here: compute needs no display.
    .find((l) => /^(Warning|Error):/i.test(l) && !/XDG_RUNTIME_DIR/.test(l));
  const fix =
    platform === 'linux'
      ? 'install the Vulkan driver of your GPU (NVIDIA: the proprietary driver; AMD/Intel: mesa-vulkan-drivers) and check `vulkaninfo --summary`'
      : platform === 'win32'
        ? 'update the graphics driver (Windows Update or the GPU vendor\'s installer)'
        : 'update macOS (Metal comes with it)';
  return `no usable GPU adapter found${dawn ? ` (Dawn: ${dawn.replace(/^(Warning|Error):\s*/i, '')})` : ''}; to fix, ${fix}`;
}

const PROBE_SCRIPT = `
const { create, globals } = await import(process.argv[1]);
Object.assign(globalThis, globals);
const gpu = create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const out = adapter
  ? { found: true, vendor: adapter.info.vendor, architecture: adapter.info.architecture, device: adapter.info.device,
      description: adapter.info.description, isFallbackAdapter: adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false,
      features: [...adapter.features] }
  : { found: false };
process.stdout.write(JSON.stringify(out) + '\\n');
process.exit(0);
`;

const PROBE_TIMEOUT_MS = 20_000;

function dawnModuleUrl(): string | undefined {
  try {
    const file = createRequire(import.meta.url).resolve('webgpu');
    return existsSync(file) ? pathToFileURL(file).href : undefined;
  } catch {
    return undefined;
  }
}

/** Run the probe in a child process (Electron's binary runs as plain Node there). */
export function runAdapterProbe(platform: NodeJS.Platform = process.platform): Promise<AdapterProbe> {
  const moduleUrl = dawnModuleUrl();
  if (!moduleUrl) {
    return Promise.resolve({ found: false, reason: "the GPU adapter could not be queried: the 'webgpu' package (Dawn for Node) is not installed; run npm install" });
  }
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE_SCRIPT, moduleUrl],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: PROBE_TIMEOUT_MS, windowsHide: true },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('{'));
        if (!line) {
          const why = error ? (error.killed ? `it did not answer within ${PROBE_TIMEOUT_MS / 1000} s` : error.message.split('\n')[0]) : 'it printed nothing';
          resolve({ found: false, reason: `the GPU adapter could not be queried (${why}): ${explainNoAdapter(stderr, platform)}` });
          return;
        }
        const facts = JSON.parse(line) as DawnAdapterFacts & { found: boolean };
        resolve(facts.found ? { found: true, adapter: adapterFromDawn(facts, platform) } : { found: false, reason: explainNoAdapter(stderr, platform) });
      },
    );
  });
}

let cached: Promise<AdapterProbe> | undefined;

/** The adapter of this process's environment, probed once (the answer does not change while running). */
export function probeGpuAdapter(): Promise<AdapterProbe> {
  cached ??= runAdapterProbe();
  return cached;
}

/** Where onnxruntime-node keeps its native binaries (the CUDA provider library is downloaded there). */
function ortBinaryDir(platform: NodeJS.Platform, arch: string): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node');
    return path.join(path.dirname(entry), '..', 'bin', 'napi-v6', platform, arch);
  } catch {
    return undefined;
  }
}

/** Whether onnxruntime-node's CUDA provider library is installed (it is a separate download). */
export function cudaBinariesPresent(platform: NodeJS.Platform = process.platform, arch: string = process.arch): boolean {
  const dir = ortBinaryDir(platform, arch);
  if (!dir) return false;
  const file = platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return existsSync(path.join(dir, file));
}
