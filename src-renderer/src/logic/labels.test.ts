import { describe, expect, it } from 'vitest';
import { CURRENT_PROJECT_VERSION, EXPORT_FORMATS, PROVIDERS, ProjectDocumentSchema, SCHEDULERS } from '../../../src-main/contract/contract';
import { EXPORT_FORMAT_LABELS, IMAGE_SIDE_CHOICES, PROVIDER_LABELS, SCHEDULER_LABELS } from './labels';

describe('display labels of the project format', () => {
  it('label exactly the values the schema accepts', () => {
    expect(Object.keys(SCHEDULER_LABELS).sort()).toEqual([...SCHEDULERS].sort());
    expect(Object.keys(PROVIDER_LABELS).sort()).toEqual([...PROVIDERS].sort());
    expect(Object.keys(EXPORT_FORMAT_LABELS).sort()).toEqual([...EXPORT_FORMATS].sort());
  });

  it.each(IMAGE_SIDE_CHOICES)('offers only image sizes the schema accepts (%i px)', (side) => {
    const project = { format: 'latent-blending-studio', version: CURRENT_PROJECT_VERSION, width: side, height: side, keyframes: [{ prompt: 'a' }] };
    expect(ProjectDocumentSchema.safeParse(project).success).toBe(true);
  });
});
