export { Mt19937, normalizeSeed } from './mt19937';
export { TorchCpuGenerator, torchRandn } from './torch-generator';
export { seededStepNoise, type StepNoise } from './step-noise';
