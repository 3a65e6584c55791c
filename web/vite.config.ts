import { defineConfig } from 'vitest/config';

// Where `npm run dev` forwards API, WebSocket and health calls: the gateway of the
// local run (see the repository README). Override with WEBIDE_GATEWAY=http://host:port.
const gateway = process.env.WEBIDE_GATEWAY ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // scripts/check-budget.mjs reads the manifest to find the initial JS, then removes it.
    manifest: true,
  },
  server: {
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/ws': { target: gateway, ws: true, changeOrigin: false },
      '/health': { target: gateway, changeOrigin: false },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/**/*.test.ts'],
    restoreMocks: true,
  },
});
