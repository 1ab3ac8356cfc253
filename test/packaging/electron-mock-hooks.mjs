// Module resolution hook: `electron` resolves to the mock next to this file.
const mock = new URL('./electron-mock.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: mock, shortCircuit: true };
  return next(specifier, context);
}
