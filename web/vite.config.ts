import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// The SPA lives in web/ and is built into <repo>/dist/web, which the server serves.
// In development (`npm run dev:web`) API calls are proxied to a locally running server.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // antd's core lands in one shared chunk of ~730 kB (~240 kB gzip); the pages and the
    // table component are lazy chunks. Rolldown's automatic split beats hand-made vendor groups
    // here: those pulled the table into the first load.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': process.env.DUTYDESK_URL ?? 'http://localhost:8080',
    },
  },
});
