import { defineConfig } from 'vite';

/** The helpers' page, served by the server at /agent/. */
export default defineConfig({
  root: 'agent-ui',
  base: '/agent/',
  build: {
    outDir: '../dist/agent',
    emptyOutDir: true,
    target: 'es2022',
  },
});
