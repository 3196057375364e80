import { resolve } from 'node:path';
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig } from 'vite';

/** The embeddable widget: `dist/widget/widget.js` plus lazy chunks beside it. */
export default defineConfig({
  // Lit's html`` and css`` templates keep their indentation through a JS minifier; the Lit
  // team's plugin minifies them as HTML and CSS (0.7 KB gzip off the chat's first download).
  plugins: [minifyHTML()],
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
      // Lets modules shared by the loader and the chat stay inside widget.js instead of a
      // third file the loader would have to fetch before drawing the button.
      preserveEntrySignatures: 'allow-extension',
      output: { chunkFileNames: 'chunks/[name]-[hash].js', minify: true },
    },
  },
});
