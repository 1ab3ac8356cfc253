// node --import ./register-electron-mock.mjs out/main/index.js
import { register } from 'node:module';

register('./electron-mock-hooks.mjs', import.meta.url);
