// The README's Rollup recipe, as it stands there: Rollup resolves no bare names and emits no
// `new URL('…', import.meta.url)` assets by itself; @rollup/plugin-node-resolve finds 'portnn'
// in node_modules and @web/rollup-plugin-import-meta-assets emits each file the package refers
// to (the three .wasm files and the three glue modules) under a hashed name.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'src/main.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve(), importMetaAssets()],
};
