import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The embeddable widget: `dist/widget/widget.js` plus lazy chunks beside it. */
export default defineConfig({
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    // Library mode keeps whitespace in ES output by default; a visitor downloads this.
    minify: true,
    lib: {
      entry: resolve(import.meta.dirname, 'widget/help-widget.ts'),
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    rolldownOptions: {
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
    },
  },
});
