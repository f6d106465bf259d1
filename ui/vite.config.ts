/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// Tauri loads the built files from ui/dist (tauri.conf.json frontendDist) and the dev server
// from http://localhost:5173 (devUrl).
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // One small bundle; no inline scripts (the CSP forbids them).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
