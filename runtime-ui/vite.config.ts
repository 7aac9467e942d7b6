import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { bundleReport } from './build/bundle-report.ts';

// Served by the engine at /app/ (engine/src/infra/ui.ts). The target keeps the Chromium 87-era browsers
// (360/QQ browsers on old township PCs) working.
export default defineConfig({
  base: '/app/',
  plugins: [react(), bundleReport('runtime-ui')],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: ['chrome87', 'edge88', 'firefox78', 'safari14'],
    reportCompressedSize: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
