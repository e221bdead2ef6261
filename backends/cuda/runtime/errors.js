// @ts-check
// Error classes of the CUDA runtime. Three kinds, because callers react differently:
// - CudaUnavailableError: no driver / no device / no library — a caller falls back to another backend.
// - CudaError: a CUDA, cuBLAS or NVRTC call returned an error code — a bug or a resource problem.
// - CudaCompileError: NVRTC rejected the source — carries NVRTC's log so the message shows the line.

export class CudaUnavailableError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'CudaUnavailableError';
  }
}

export class CudaError extends Error {
  /**
   * @param {string} call   the API function that failed, e.g. "cuMemAlloc_v2"
   * @param {number} code   its numeric result (CUresult, cublasStatus_t or nvrtcResult)
   * @param {string} codeName  the symbolic name of the code, e.g. "CUDA_ERROR_OUT_OF_MEMORY"
   * @param {string} [detail]  the library's description, or context added by the runtime
   */
  constructor(call, code, codeName, detail) {
    super(`${call} failed: ${codeName} (${code})${detail ? `: ${detail}` : ''}`);
    // `name` is the result's symbolic name (the agreed API), so a stack trace starts with it.
    this.name = codeName;
    this.call = call;
    this.code = code;
  }
}

export class CudaCompileError extends Error {
  /**
   * @param {string} programName
   * @param {string} arch
   * @param {string} log  NVRTC's program log (file:line: error ...)
   */
  constructor(programName, arch, log) {
    super(`NVRTC could not compile ${programName} for ${arch}:\n${log.trim()}`);
    this.name = 'CudaCompileError';
    this.log = log;
    this.arch = arch;
  }
}
