// WebGPU on the NVIDIA host (issue: Dawn aborted there with a futex error after device creation).
// Tries the lensc WGSL runtime through Dawn's Vulkan backend, then one small std kernel against the
// f64 JS kernel, printing each step so a crash still leaves a trace of how far it got.
const t0 = Date.now();
const say = (m) => console.log(`[webgpu ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
process.env.LENSC_WEBGPU_BACKENDS ??= 'vulkan,default';
say(`backends to try: ${process.env.LENSC_WEBGPU_BACKENDS}`);
try {
  const { getGpu } = await import('../../backends/wgsl/runtime/index.js');
  const gpu = await getGpu();
  say(`device: ${gpu.backend} ${JSON.stringify(gpu.adapterInfo)}`);
  const caps = gpu.capabilities();
  say(`capabilities: ${JSON.stringify(caps)}`);
  const { wTilde } = await import('../../kernels/wgsl/w_tilde.js');
  const js = await import('../../kernels/js/w_tilde.js');
  const M = 256,
    K = 4096,
    d = 0.05 / 206265;
  const grid = Float64Array.from({ length: 2 * M }, (_, i) => (((i * 7919) % 97) - 48) * d * 0.2);
  const uv = Float64Array.from({ length: 2 * K }, (_, i) => ((((i * 104729) % 1000) / 500 - 1) * 0.45) / d);
  const noiseReal = Float64Array.from({ length: K }, (_, i) => 0.5 + ((i * 31) % 100) / 100);
  const want = await js.wTilde({ noiseReal, uv, grid }, { threads: 4 });
  let t = Date.now();
  const got = await wTilde({ noiseReal, uv, grid });
  say(`wTilde on WebGPU: ${Date.now() - t} ms (first call, with pipeline creation)`);
  t = Date.now();
  await wTilde({ noiseReal, uv, grid });
  say(`wTilde on WebGPU: ${Date.now() - t} ms (second call)`);
  let num = 0,
    den = 0;
  for (let i = 0; i < want.length; i++) {
    num += (got[i] - want[i]) ** 2;
    den += want[i] ** 2;
  }
  say(`relative Frobenius error vs f64 JS: ${Math.sqrt(num / den).toExponential(2)}`);
  say('PASS webgpu');
  process.exit(0);
} catch (e) {
  say(`FAIL webgpu: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
}
