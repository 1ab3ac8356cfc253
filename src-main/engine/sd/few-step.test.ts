import { describe, expect, it } from 'vitest';
import { detectFewStep } from './few-step';

describe('detectFewStep', () => {
  it('recognises SD-Turbo\'s scheduler (Euler, trailing) and distilled names, not SD 2.1', () => {
    expect(detectFewStep({ _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'trailing' })).toMatchObject({ steps: 4, guidance: 0, mode: 'fast' });
    expect(detectFewStep({ _class_name: 'EulerAncestralDiscreteScheduler', timestep_spacing: 'trailing' })?.reason).toMatch(/EulerAncestralDiscreteScheduler/);
    expect(detectFewStep({ _class_name: 'PNDMScheduler' }, { _name_or_path: 'stabilityai/sd-turbo' })?.reason).toMatch(/names it "stabilityai\/sd-turbo"/);
    expect(detectFewStep({ _class_name: 'EulerDiscreteScheduler', timestep_spacing: 'leading' })).toBeUndefined();
    expect(detectFewStep({ _class_name: 'PNDMScheduler', steps_offset: 1 }, { _name_or_path: 'stabilityai/stable-diffusion-2-1-base' })).toBeUndefined();
    expect(detectFewStep(null)).toBeUndefined();
  });
});
