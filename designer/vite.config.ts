import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleReport } from '../runtime-ui/build/bundle-report.ts';

// Served by the engine at /designer/ (engine/src/infra/ui.ts).
export default defineConfig({
  base: '/designer/',
  plugins: [react(), bundleReport('designer')],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['chrome87', 'edge88', 'firefox78', 'safari14'],
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
