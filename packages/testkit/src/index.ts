export { specsDir, specPath, validateXml } from './specs.js';
export type { XsdResult } from './specs.js';
