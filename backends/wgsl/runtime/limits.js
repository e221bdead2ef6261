// @ts-check
/**
 * The capability record the memory planner reads, derived from a device's limits, plus the 2-D
 * workgroup grid helper every dispatch of more than 65535 workgroups needs.
 */

const GiB = 1024 ** 3;

/**
 * WebGPU cannot tell how much memory the device has. The planner needs a budget, so we guess:
 * 4 × maxBufferSize (a driver that allows one 2 GiB buffer can usually hold a few), capped at 2 GiB
 * because llvmpipe allocates from host RAM and real browsers kill tabs far earlier than VRAM runs out.
 * Override with getGpu({ memoryBytes }) or env LENSC_WGSL_MEMORY_BYTES when you know better.
 * @param {GPUSupportedLimits} limits
 */
export function memoryBudgetGuess(limits) {
  return Math.min(limits.maxBufferSize * 4, 2 * GiB);
}

/**
 * @param {GPUSupportedLimits} limits
 * @param {number} memoryBytes
 * @param {number} loopIterationLimit measured by loop-probe.js
 * @returns {import('./index.js').WgslCapabilities}
 */
export function capabilitiesFromLimits(limits, memoryBytes, loopIterationLimit) {
  return {
    target: 'wgsl',
    memoryBytes,
    maxBufferBytes: limits.maxBufferSize,
    maxBindingBytes: limits.maxStorageBufferBindingSize,
    maxStorageBuffersPerStage: limits.maxStorageBuffersPerShaderStage,
    maxWorkgroupsPerDim: limits.maxComputeWorkgroupsPerDimension,
    maxInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    maxWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
    workgroupStorageBytes: limits.maxComputeWorkgroupStorageSize,
    storageOffsetAlignment: limits.minStorageBufferOffsetAlignment,
    loopIterationLimit,
    supportsF64: false,
  };
}

/**
 * Spread `count` workgroups over a 2-D grid [x, y, 1] with x, y ≤ maxPerDim and x·y − count < y
 * (little waste). Shaders recover the linear id as `wid.y * x + wid.x` and must skip ids ≥ count
 * (that test is uniform per workgroup, so it may precede barriers).
 * @param {number} count
 * @param {number} [maxPerDim]
 * @returns {[number, number, number]}
 */
export function workgroupGrid(count, maxPerDim = 65535) {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`workgroupGrid: count must be a non-negative integer, got ${count}`);
  if (count <= maxPerDim) return [count, 1, 1];
  const y = Math.ceil(count / maxPerDim);
  if (y > maxPerDim)
    throw new RangeError(`workgroupGrid: ${count} workgroups exceed ${maxPerDim}² — chunk the dispatch`);
  return [Math.ceil(count / y), y, 1];
}
